import type { BoardUnreadDTO } from '../../../../shared/boards';
import { useI18n } from '../../i18n';

/** A board's counts: threads one follows with unread replies, and new threads. */
export function UnreadBadges({ unread }: { unread: BoardUnreadDTO }) {
  const { t } = useI18n();
  return (
    <span className="unread-badges" data-testid="board-unread" data-unread={unread.unreadThreads} data-new={unread.newThreads}>
      {unread.unreadThreads > 0 && <span className="pill pill-unread">{t('boards.unreadThreads', { count: unread.unreadThreads })}</span>}
      {unread.newThreads > 0 && <span className="pill pill-new">{t('boards.newThreads', { count: unread.newThreads })}</span>}
    </span>
  );
}
