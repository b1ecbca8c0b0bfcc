import { useCallback, useEffect, useState } from 'react';
import { boardStream, type BoardDTO } from '../../../../shared/boards';
import { userStream } from '../../../../shared/realtime';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { useRealtime, useStream } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { boardsApi } from './boardsApi';
import { applyUnread } from './boardState';
import { UnreadBadges } from './UnreadBadges';
import './boards.css';

/** The board index: boards by category, each with what is unread and new for the user, kept live. */
export function BoardIndexPage() {
  const { t } = useI18n();
  const me = useMe();
  const realtime = useRealtime();
  const [boards, setBoards] = useState<BoardDTO[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => boardsApi.list().then(setBoards, setError), []);
  useEffect(() => void load(), [load]);

  // Read positions and tracked threads' replies, from every device of the user.
  useStream(userStream(me.id), (event) => {
    if (event.type === 'board.read') setBoards((list) => list && applyUnread(list, event.data.unread));
    if (event.type === 'board.unread') setBoards((list) => list && applyUnread(list, { boardId: event.data.boardId, unreadThreads: event.data.unreadThreads }));
  });
  // New threads of the boards one sees in full (a semi-open board's poster has only their own).
  const followed = (boards ?? []).filter((b) => b.seq !== null).map((b) => `${b.id}:${b.seq}`).join(',');
  useEffect(() => {
    const stops = (boards ?? [])
      .filter((b) => b.seq !== null && b.level !== 'muted')
      .map((b) =>
        realtime.follow(
          boardStream(b.id),
          (event) => {
            if (event.type === 'thread.created' && event.data.thread.author?.id !== me.id && !event.data.thread.anonymous) {
              setBoards((list) => list && list.map((x) => (x.id === b.id ? { ...x, unread: { ...x.unread, newThreads: x.unread.newThreads + 1 } } : x)));
            }
          },
          { fromSeq: b.seq! },
        ),
      );
    return () => stops.forEach((stop) => stop());
    // Re-follow only when the set of boards (and where their snapshot ends) changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [realtime, followed, me.id]);

  if (!boards) return <ErrorNotice error={error} testId="boards-error" />;
  const categories = [...new Set(boards.map((b) => b.category))];
  return (
    <section className="page boards" data-testid="board-index">
      <div className="page-head">
        <h1>{t('boards.title')}</h1>
        {me.can.administer && (
          <div className="actions">
            <Link to="/boards/new" className="button-primary" data-testid="board-new">
              {t('boards.newBoard')}
            </Link>
            <Link to="/boards/audit" className="button-quiet" data-testid="board-audit">
              {t('boards.audit')}
            </Link>
          </div>
        )}
      </div>
      <ErrorNotice error={error} testId="boards-error" onDismiss={() => setError(null)} />
      {boards.length === 0 && <p className="muted empty">{t('boards.none')}</p>}
      {categories.map((category) => (
        <section key={category ?? ''} className="board-category" data-testid="board-category">
          <h2>{category ?? t('boards.uncategorised')}</h2>
          <ul className="board-list">
            {boards
              .filter((b) => b.category === category)
              .map((b) => (
                <li key={b.id} className="board-row card" data-testid="board-row" data-board-id={b.id}>
                  <div className="board-row-main">
                    <Link to={`/boards/${b.id}`} className="board-name" data-testid="board-link">
                      {b.name}
                    </Link>
                    <span className={`tag tag-${b.openness}`}>{t(`boards.openness.${b.openness}`)}</span>
                    {b.readOnly && <span className="tag">{t('boards.readOnly')}</span>}
                  </div>
                  {b.description && <p className="muted pre-wrap">{b.description}</p>}
                  <UnreadBadges unread={b.unread} />
                </li>
              ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
