import { useEffect, useState } from 'react';
import type { BoardDTO, ThreadDTO } from '../../../../shared/boards';
import { useI18n } from '../../i18n';
import { boardsApi, type ThreadModeration } from './boardsApi';
import { ReasonForm } from './ReasonForm';

/** A moderator's controls of a thread: pin, lock, hide with a reason, move to another board they moderate. */
export function ModerationBar({ thread, onModerate }: { thread: ThreadDTO; onModerate: (input: ThreadModeration) => void }) {
  const { t } = useI18n();
  const [hiding, setHiding] = useState(false);
  const [targets, setTargets] = useState<BoardDTO[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    boardsApi.list().then((boards) => !cancelled && setTargets(boards.filter((b) => b.can.moderate && b.id !== thread.board.id)), () => !cancelled && setTargets([]));
    return () => {
      cancelled = true;
    };
  }, [thread.board.id]);
  return (
    <div className="moderation toolbar wrap" data-testid="moderation">
      <span className="muted">{t('boards.moderation')}</span>
      <button type="button" className="button-quiet" data-testid="thread-pin" onClick={() => onModerate({ action: thread.pinned ? 'unpin' : 'pin' })}>
        {thread.pinned ? t('boards.unpin') : t('boards.pin')}
      </button>
      <button type="button" className="button-quiet" data-testid="thread-lock" onClick={() => onModerate({ action: thread.locked ? 'unlock' : 'lock' })}>
        {thread.locked ? t('boards.unlock') : t('boards.lock')}
      </button>
      {thread.hidden ? (
        <button type="button" className="button-quiet" data-testid="thread-unhide" onClick={() => onModerate({ action: 'unhide' })}>
          {t('boards.unhide')}
        </button>
      ) : (
        <button type="button" className="button-quiet" data-testid="thread-hide" onClick={() => setHiding(true)}>
          {t('boards.hide')}
        </button>
      )}
      {targets && targets.length > 0 && (
        <select value="" aria-label={t('boards.moveTo')} data-testid="thread-move" onChange={(e) => e.target.value && onModerate({ action: 'move', boardId: e.target.value })}>
          <option value="">{t('boards.moveTo')}</option>
          {targets.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name} ({t(`boards.openness.${b.openness}`)})
            </option>
          ))}
        </select>
      )}
      {hiding && <ReasonForm testId="thread-hide-form" onCancel={() => setHiding(false)} onSubmit={(reason) => (setHiding(false), onModerate({ action: 'hide', reason }))} />}
    </div>
  );
}
