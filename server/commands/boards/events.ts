import { boardStream, threadStream } from '../../../shared/boards.js';
import type { User } from '../../entities/User.js';
import { sharedReply } from '../../queries/boardReplies.js';
import { threadContent, threadSummary } from '../../queries/boards.js';
import { appendEvent, type CommandContext } from '../context.js';

type Cx = CommandContext<User | null>;

/** Tells the board's followers about a new (or newly visible) thread. */
export async function announceThread(cx: Cx, boardId: string, threadId: string) {
  await appendEvent(cx, boardStream(boardId), 'thread.created', { threadId, thread: await threadSummary(cx.em, threadId) });
}

/** Tells the board's followers (unless the thread is hidden from them) and the thread's viewers that the thread changed. */
export async function threadChanged(cx: Cx, threadId: string) {
  const content = await threadContent(cx.em, threadId);
  if (!content.hidden) {
    const { body: _body, text: _text, editedAt: _editedAt, reactions: _reactions, ...summary } = content;
    await appendEvent(cx, boardStream(content.boardId), 'thread.changed', { threadId, thread: summary });
  }
  await appendEvent(cx, threadStream(threadId), 'thread.changed', { threadId, thread: content });
}

/** Tells the thread's viewers that a reply changed (edited, deleted, reacted to, shown again). */
export async function replyChanged(cx: Cx, threadId: string, replyId: string) {
  await appendEvent(cx, threadStream(threadId), 'reply.changed', { replyId, reply: await sharedReply(cx.em, replyId) });
}

/**
 * Rewrites what a board's stored stream said about a thread that left the board or was hidden into
 * `thread.redacted`, so that a catch-up from an old position does not show its title to those who
 * may no longer see it; the sequence numbers stay, so no client sees a gap.
 */
export async function redactThreadOnBoard(cx: Cx, boardId: string, threadId: string) {
  await cx.em.execute(
    `UPDATE stream_events SET type = 'thread.redacted', payload = jsonb_build_object('threadId', payload->>'threadId')
     WHERE stream = ? AND type IN ('thread.created', 'thread.changed') AND payload->>'threadId' = ?`,
    [boardStream(boardId), threadId],
  );
}

/** The same for a reply deleted or hidden: its earlier events in the thread's stored stream lose their content. */
export async function redactReply(cx: Cx, threadId: string, replyId: string) {
  await cx.em.execute(
    `UPDATE stream_events SET type = 'reply.redacted', payload = jsonb_build_object('replyId', payload->>'replyId', 'number', payload->'reply'->'number')
     WHERE stream = ? AND type IN ('reply.created', 'reply.changed') AND payload->>'replyId' = ?`,
    [threadStream(threadId), replyId],
  );
}
