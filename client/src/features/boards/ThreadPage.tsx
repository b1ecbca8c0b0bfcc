import { useCallback, useEffect, useRef, useState } from 'react';
import { threadStream, type BoardReaction, type ReplyDTO, type SubscriptionLevel, type ThreadDTO } from '../../../../shared/boards';
import { userStream } from '../../../../shared/realtime';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { Link, useLocation } from '../../app/router';
import { RichTextView } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { useRealtime, useStream } from '../../realtime';
import { ApiError } from '../../api/http';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { FilesPanel } from '../files/FilesPanel';
import { FileChangesProvider, useFileChangesSource } from '../files/fileChanges';
import { useHostsFiles } from '../files/useHostsFiles';
import { boardsApi, type ThreadModeration } from './boardsApi';
import { mergeReplies, viewerReply } from './boardState';
import { ModerationBar } from './ModerationBar';
import { PostEditor } from './PostEditor';
import { ReactionBar } from './ReactionBar';
import { ReplyComposer } from './ReplyComposer';
import { ReplyItem } from './ReplyItem';
import { SubscriptionControl } from './SubscriptionControl';
import { useReadPosition } from './useReadPosition';
import './boards.css';

const PAGE = 50;

/**
 * One thread: the opening post and its replies, paged both ways from the first unread reply (or the
 * one a link names), new replies arriving live, quoting, reactions, editing, moderation, the level.
 */
export function ThreadPage({ id }: { id: string }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const { search } = useLocation();
  const realtime = useRealtime();
  const [thread, setThread] = useState<ThreadDTO | null>(null);
  const [replies, setReplies] = useState<ReplyDTO[]>([]);
  // Where more replies wait: a number to page back from (null: the first is shown) and forward from (null: the last is shown).
  const [older, setOlder] = useState<number | null>(null);
  const [newer, setNewer] = useState<number | null>(null);
  const [firstUnread, setFirstUnread] = useState<number | null>(null);
  const [quote, setQuote] = useState<ReplyDTO | null>(null);
  const [editing, setEditing] = useState(false);
  const [author, setAuthor] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const wanted = Number(search.get('reply')) || null;
  // Files of the thread and its replies: lists below refresh when the thread's stream says they changed.
  const fileChanges = useFileChangesSource();
  const replyFiles = useHostsFiles('reply', replies.map((r) => r.id), fileChanges);
  const scrollTo = useRef<number | null>(null);

  const loadFrom = useCallback(
    async (target: number | null) => {
      const after = target ? target - 1 : 0;
      const page = await boardsApi.replies(id, { after, limit: PAGE });
      setReplies(page.items);
      setNewer(page.nextCursor === null ? null : Number(page.nextCursor));
      setOlder(after > 0 ? after + 1 : null);
      scrollTo.current = target;
    },
    [id],
  );
  const load = useCallback(async () => {
    try {
      const found = await boardsApi.thread(id);
      setThread(found);
      setFirstUnread(found.firstUnreadNumber);
      await loadFrom(wanted ?? found.firstUnreadNumber);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setGone(true);
      setError(failure);
    }
  }, [id, wanted, loadFrom]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    if (scrollTo.current === null) return;
    document.getElementById(`reply-${scrollTo.current}`)?.scrollIntoView({ block: 'start' });
    scrollTo.current = null;
  }, [replies]);

  const newerRef = useRef(newer);
  newerRef.current = newer;
  const threadRef = useRef(thread);
  threadRef.current = thread;
  const moderator = thread?.can.moderate ?? false;
  const viewer = { id: me.id, moderator, admin: me.can.administer };
  useEffect(() => {
    if (!thread) return;
    return realtime.follow(
      threadStream(id),
      (event) => {
        switch (event.type) {
          case 'reply.created':
            setThread((th) => th && { ...th, replyCount: Math.max(th.replyCount, event.data.reply.number) });
            // Shown when the page already shows the end of the thread; otherwise "newer replies" brings it.
            return setReplies((list) => (newerRef.current === null ? mergeReplies(list, [viewerReply(event.data.reply, list.find((r) => r.id === event.data.replyId), viewer)]) : list));
          case 'reply.changed':
            return setReplies((list) => (list.some((r) => r.id === event.data.replyId) ? mergeReplies(list, [viewerReply(event.data.reply, list.find((r) => r.id === event.data.replyId), viewer)]) : list));
          case 'reply.redacted':
            return setReplies((list) => list.map((r) => (r.id === event.data.replyId ? { ...r, body: null, text: '' } : r)));
          case 'reply.hidden':
            // Its author and the moderators still see it, with the reason: ask for their copy.
            return void boardsApi.getReply(event.data.replyId).then(
              (reply) => setReplies((list) => mergeReplies(list, [reply])),
              () => setReplies((list) => list.filter((r) => r.id !== event.data.replyId)),
            );
          case 'thread.changed':
            // Locking or moving changes what the user may do: the server says anew; anything else is merged.
            if (event.data.thread.locked !== threadRef.current?.locked || event.data.thread.boardId !== threadRef.current?.board.id) return void boardsApi.thread(id).then(setThread, () => setGone(true));
            return setThread((th) => th && { ...th, ...event.data.thread });
          case 'thread.hidden':
            return void boardsApi.thread(id).then(setThread, () => setGone(true));
          case 'attachments.changed':
            return fileChanges.emit(event.data);
        }
      },
      { fromSeq: thread.seq },
    );
    // Follow from the snapshot once per thread; later changes of the snapshot come through the stream itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [realtime, id, thread?.seq, moderator]);

  // Access changed (the thread moved to a board the user does not see, or was hidden): ask whether it is still theirs to see.
  useEffect(() => realtime.onStreamRefused((stream) => stream === threadStream(id) && void boardsApi.thread(id).then(setThread, () => setGone(true))), [realtime, id]);
  useStream(userStream(me.id), (event) => {
    if (event.type === 'board.subscription' && event.data.threadId === id) setThread((th) => th && { ...th, level: event.data.level });
    if (event.type === 'board.read' && event.data.threadId === id) setThread((th) => th && { ...th, readNumber: event.data.readNumber });
  });
  const watchList = useReadPosition(id, thread?.readNumber ?? null);
  const listRef = useCallback((element: HTMLOListElement | null) => watchList(element), [watchList, replies]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!thread) return gone ? <p className="notice" data-testid="thread-gone">{t('boards.threadGone')}</p> : <ErrorNotice error={error} testId="thread-error" />;

  const act = (work: () => Promise<unknown>) => work().then(undefined, setError);
  const moderate = (input: ThreadModeration) => act(async () => setThread(await boardsApi.moderateThread(id, input)));
  const react = (reaction: BoardReaction, on: boolean) => act(async () => setThread(await boardsApi.reactToThread(id, reaction, on)));
  const setLevel = (level: SubscriptionLevel) => act(async () => setThread({ ...thread, level: (await boardsApi.subscribeThread(id, level)).level }));
  const loadOlder = () =>
    act(async () => {
      const page = await boardsApi.replies(id, { before: older!, limit: PAGE });
      setReplies((list) => mergeReplies(list, page.items));
      setOlder(page.nextCursor === null ? null : Number(page.nextCursor));
    });
  const loadNewer = () =>
    act(async () => {
      const page = await boardsApi.replies(id, { after: newer!, limit: PAGE });
      setReplies((list) => mergeReplies(list, page.items));
      setNewer(page.nextCursor === null ? null : Number(page.nextCursor));
    });
  const changed = (reply: ReplyDTO | null) => reply && setReplies((list) => mergeReplies(list, [reply]));

  return (
    <FileChangesProvider value={fileChanges}>
    <article className="page boards thread-page" data-testid="thread-page" data-thread-id={id}>
      <nav className="breadcrumbs">
        <Link to="/boards">{t('boards.title')}</Link> › <Link to={`/boards/${thread.board.id}`} data-testid="thread-board">{thread.board.name}</Link>
      </nav>
      <header className="thread-head">
        <h1 data-testid="thread-title">{thread.title}</h1>
        <div className="thread-row-meta muted">
          {thread.pinned && <span className="tag tag-pinned">{t('boards.pinned')}</span>}
          {thread.locked && <span className="tag" data-testid="thread-locked">{t('boards.locked')}</span>}
          <strong data-testid="thread-author">{thread.author?.displayName ?? t('boards.anonymous')}</strong>
          {author && <span className="tag" data-testid="thread-real-author">{author}</span>}
          <time dateTime={thread.createdAt}>{formatDateTime(thread.createdAt, me.timeZone)}</time>
          {thread.editedAt && <span>{t('boards.edited')}</span>}
          {thread.customer && (
            <Link to={`/customers/${thread.customer.id}`} data-testid="thread-customer-link">
              {thread.customer.name}
            </Link>
          )}
        </div>
      </header>
      {thread.hiddenInfo && <p className="notice notice-moderation" data-testid="thread-hidden-reason">{t('boards.hiddenBecause', { reason: thread.hiddenInfo.reason })}</p>}
      <ErrorNotice error={error} testId="thread-error" onDismiss={() => setError(null)} />
      {editing ? (
        <PostEditor initial={thread.body} testId="thread-editor" files={thread.author?.id === me.id ? { kind: 'thread', hostId: id } : undefined} onCancel={() => setEditing(false)} onSave={async (body) => (setThread(await boardsApi.editThread(id, { body })), setEditing(false))} />
      ) : (
        <div className="card thread-body" data-testid="thread-body">
          <RichTextView doc={thread.body as unknown as RichTextDocument} />
        </div>
      )}
      <div className="toolbar wrap">
        <ReactionBar reactions={thread.reactions} me={me.id} enabled={thread.can.react} onToggle={react} testId="thread-reactions" />
        <SubscriptionControl level={thread.level} onChange={setLevel} testId="thread-level" />
        {thread.can.edit && !editing && (
          <button type="button" className="button-quiet" data-testid="thread-edit" onClick={() => setEditing(true)}>
            {t('boards.edit')}
          </button>
        )}
        {thread.can.lookUpAuthor && !author && (
          <button type="button" className="button-quiet" data-testid="thread-lookup" onClick={() => act(async () => setAuthor((await boardsApi.lookUpThreadAuthor(id)).author.displayName))}>
            {t('boards.lookUpAuthor')}
          </button>
        )}
        {firstUnread !== null && (
          <button type="button" className="link-button" data-testid="jump-first-unread" onClick={() => act(() => loadFrom(firstUnread))}>
            {t('boards.jumpFirstUnread')}
          </button>
        )}
      </div>
      {moderator && <ModerationBar thread={thread} onModerate={moderate} />}
      <h2>{t('boards.replyCount', { count: thread.replyCount })}</h2>
      {older !== null && (
        <button type="button" className="button-quiet load-more" data-testid="replies-older" onClick={loadOlder}>
          {t('boards.older')}
        </button>
      )}
      <ol className="reply-list" data-testid="reply-list" ref={listRef}>
        {replies.map((reply) => (
          <ReplyItem key={reply.id} reply={reply} mayReply={thread.can.reply} firstUnread={reply.number === firstUnread} onQuote={setQuote} onChanged={changed} files={replyFiles.byHost[reply.id]} />
        ))}
      </ol>
      {newer !== null && (
        <button type="button" className="button-quiet load-more" data-testid="replies-newer" onClick={loadNewer}>
          {t('boards.newer')}
        </button>
      )}
      <FilesPanel kind="thread" hostId={id} canAdd={thread.author?.id === me.id} />
      {thread.can.reply ? (
        <ReplyComposer
          threadId={id}
          quote={quote}
          onCancelQuote={() => setQuote(null)}
          onPosted={(reply, files) => {
            setFirstUnread(null);
            if (files.length) replyFiles.set(reply.id, files);
            if (newer === null) setReplies((list) => mergeReplies(list, [reply]));
            else void loadFrom(reply.number);
          }}
        />
      ) : (
        <p className="muted" data-testid="thread-no-reply">
          {thread.locked ? t('boards.lockedNotice') : t('boards.readOnlyNotice')}
        </p>
      )}
    </article>
    </FileChangesProvider>
  );
}
