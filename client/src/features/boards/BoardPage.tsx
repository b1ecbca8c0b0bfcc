import { useCallback, useEffect, useState } from 'react';
import { boardStream, type BoardDetailDTO, type SubscriptionLevel, type ThreadListItemDTO } from '../../../../shared/boards';
import { userStream } from '../../../../shared/realtime';
import { Link, navigate } from '../../app/router';
import { useI18n } from '../../i18n';
import { useRealtime, useStream } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { boardsApi } from './boardsApi';
import { applyRead, markerFor, mergeSummary } from './boardState';
import { SubscriptionControl } from './SubscriptionControl';
import { ThreadComposer } from './ThreadComposer';
import { ThreadRow } from './ThreadRow';
import { UnreadBadges } from './UnreadBadges';
import './boards.css';

/** One board: its threads (pinned first, latest activity first, with unread markers), paged, kept live; starting a thread. */
export function BoardPage({ id }: { id: string }) {
  const { t } = useI18n();
  const me = useMe();
  const realtime = useRealtime();
  const [board, setBoard] = useState<BoardDetailDTO | null>(null);
  const [threads, setThreads] = useState<ThreadListItemDTO[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [composing, setComposing] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      // The board (with its stream's head) first: the stream is followed from there, the list read after it.
      const found = await boardsApi.get(id);
      setBoard(found);
      const page = await boardsApi.threads(id);
      setThreads(page.items);
      setNext(page.nextCursor);
    } catch (failure) {
      setBoard(null);
      setError(failure);
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  // Who sees every thread follows the board's stream; a semi-open board's poster sees their own threads' news on their own stream.
  useEffect(() => {
    if (!board || board.seq === null) return;
    return realtime.follow(
      boardStream(id),
      (event) => {
        switch (event.type) {
          case 'thread.created':
          case 'thread.changed':
            return setThreads((list) => mergeSummary(list, event.data.thread, me.id, event.type === 'thread.created'));
          case 'thread.removed':
          case 'thread.redacted':
            return setThreads((list) => list.filter((x) => x.id !== event.data.threadId));
        }
      },
      { fromSeq: board.seq },
    );
  }, [realtime, id, board?.seq, me.id]);
  // Access changed (the board's openness or roles): its page is read again, or says it is gone.
  useEffect(() => realtime.onStreamRefused((stream) => stream === boardStream(id) && void load()), [realtime, id, load]);
  useStream(userStream(me.id), (event) => {
    if (event.data && 'boardId' in event.data && event.data.boardId !== id) return;
    if (event.type === 'board.read') {
      setThreads((list) => applyRead(list, event.data.threadId, event.data.readNumber));
      setBoard((b) => b && { ...b, unread: event.data.unread });
    }
    if (event.type === 'board.unread') {
      const { threadId, lastNumber, readNumber, unreadThreads } = event.data;
      setThreads((list) => list.map((x) => (x.id === threadId ? { ...x, replyCount: Math.max(x.replyCount, lastNumber), unread: markerFor(x, Math.max(x.replyCount, lastNumber), readNumber) } : x)));
      setBoard((b) => b && { ...b, unread: { ...b.unread, unreadThreads } });
    }
    if (event.type === 'board.subscription' && event.data.threadId === null) setBoard((b) => b && { ...b, level: event.data.level });
  });

  if (!board) return <ErrorNotice error={error} testId="board-error" />;
  const more = async () => {
    if (!next) return;
    try {
      const page = await boardsApi.threads(id, next);
      setThreads((list) => [...list, ...page.items.filter((x) => !list.some((y) => y.id === x.id))]);
      setNext(page.nextCursor);
    } catch (failure) {
      setError(failure);
    }
  };
  const act = (work: () => Promise<unknown>) => work().then(undefined, setError);
  const setLevel = (level: SubscriptionLevel) => act(async () => setBoard({ ...board, level: (await boardsApi.subscribeBoard(id, level)).level }));

  return (
    <section className="page boards" data-testid="board-page" data-board-id={id}>
      <nav className="breadcrumbs">
        <Link to="/boards">{t('boards.title')}</Link>
      </nav>
      <div className="page-head">
        <h1 data-testid="board-title">{board.name}</h1>
        <span className={`tag tag-${board.openness}`}>{t(`boards.openness.${board.openness}`)}</span>
        <UnreadBadges unread={board.unread} />
      </div>
      {board.description && <p className="muted pre-wrap">{board.description}</p>}
      {!board.can.seeAll && <p className="notice" data-testid="board-own-only">{t('boards.ownThreadsOnly')}</p>}
      <ErrorNotice error={error} testId="board-error" onDismiss={() => setError(null)} />
      <div className="toolbar wrap">
        {board.can.post && !composing && (
          <button type="button" className="button-primary" data-testid="thread-new" onClick={() => setComposing(true)}>
            {t('boards.newThread')}
          </button>
        )}
        <SubscriptionControl level={board.level} onChange={setLevel} testId="board-level" />
        <button type="button" className="button-quiet" data-testid="board-mark-read" onClick={() => act(async () => (await boardsApi.markRead(id), await load()))}>
          {t('boards.markRead')}
        </button>
        <a className="button-quiet" href={boardsApi.exportUrl(id)} download data-testid="board-export">
          {t('boards.export')}
        </a>
        {board.can.administer && (
          <Link to={`/boards/${id}/settings`} className="button-quiet" data-testid="board-settings">
            {t('boards.settings')}
          </Link>
        )}
      </div>
      {composing && <ThreadComposer board={board} onCancel={() => setComposing(false)} onPosted={(thread) => navigate(`/boards/threads/${thread.id}`)} />}
      {threads.length === 0 ? (
        <p className="muted empty" data-testid="thread-list-empty">
          {t('boards.noThreads')}
        </p>
      ) : (
        <ul className="thread-list" data-testid="thread-list">
          {threads.map((thread) => (
            <ThreadRow key={thread.id} thread={thread} />
          ))}
        </ul>
      )}
      {next && (
        <button type="button" className="button-quiet load-more" data-testid="threads-more" onClick={() => void more()}>
          {t('boards.more')}
        </button>
      )}
    </section>
  );
}
