import type { ThreadListItemDTO } from '../../../../shared/boards';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { useMe } from '../auth/session';

/** One row of a board's thread list: title, author, replies, last activity, and the user's unread marker. */
export function ThreadRow({ thread }: { thread: ThreadListItemDTO }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const author = thread.author?.displayName ?? t('boards.anonymous');
  const last = thread.replyCount > 0 ? (thread.lastReplier?.displayName ?? t('boards.anonymous')) : null;
  const firstUnread = thread.unread.readNumber !== null && thread.unread.newReplies > 0 ? `?reply=${thread.unread.readNumber + 1}` : '';
  return (
    <li className={`thread-row card${thread.hidden ? ' thread-hidden' : ''}`} data-testid="thread-row" data-thread-id={thread.id} data-new={thread.unread.isNew || undefined} data-new-replies={thread.unread.newReplies}>
      <div className="thread-row-main">
        {thread.pinned && <span className="tag tag-pinned">{t('boards.pinned')}</span>}
        {thread.locked && <span className="tag">{t('boards.locked')}</span>}
        {thread.hidden && <span className="tag tag-urgent">{t('boards.hidden')}</span>}
        <Link to={`/boards/threads/${thread.id}${firstUnread}`} className="thread-title" data-testid="thread-link">
          {thread.title}
        </Link>
        {thread.unread.isNew && <span className="pill pill-new" data-testid="thread-new-marker">{t('boards.newMarker')}</span>}
        {thread.unread.newReplies > 0 && (
          <span className="pill pill-unread" data-testid="thread-unread-marker">
            {t('boards.newReplies', { count: thread.unread.newReplies })}
          </span>
        )}
      </div>
      <div className="thread-row-meta muted">
        <span>{thread.mine ? t('boards.byYou', { name: author }) : author}</span>
        <span data-testid="thread-reply-count">{t('boards.replyCount', { count: thread.replyCount })}</span>
        <span>
          {last ? t('boards.lastReply', { name: last, time: formatDateTime(thread.lastActivityAt, me.timeZone) }) : formatDateTime(thread.createdAt, me.timeZone)}
        </span>
      </div>
    </li>
  );
}
