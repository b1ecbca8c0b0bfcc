import { boardStream, threadStream } from '../../../shared/boards.js';
import { badRequest, conflict, fieldProblem } from '../../errors.js';
import { requireModerator, requireVisibleBoard, requireVisibleReply, requireVisibleThread } from '../../policies/boards.js';
import { appendEvent, type CommandContext } from '../context.js';
import { announceThread, redactReply, redactThreadOnBoard, replyChanged, threadChanged } from './events.js';
import { notifyModeration } from './notifications.js';

export type ThreadModeration = { action: 'pin' | 'unpin' | 'lock' | 'unlock' | 'unhide' } | { action: 'hide'; reason: string } | { action: 'move'; boardId: string };

/**
 * A moderator pins, locks, hides (with a reason for the author) or moves a thread. Hiding and moving
 * change who may see it: the board's stored stream forgets it, and every socket following the thread
 * checks again whether it may (`recheckAccess`), so the change holds on every path at once.
 */
export async function threadModerator(cx: CommandContext, threadId: string, input: ThreadModeration) {
  const { em: tx, actor } = cx;
  const thread = await requireVisibleThread(tx, actor, threadId, { forUpdate: true });
  requireModerator(thread.standing);
  switch (input.action) {
    case 'pin':
    case 'unpin':
      await tx.execute(`UPDATE board_threads SET pinned = ? WHERE id = ?`, [input.action === 'pin', threadId]);
      await threadChanged(cx, threadId);
      return;
    case 'lock':
    case 'unlock':
      await tx.execute(`UPDATE board_threads SET locked = ? WHERE id = ?`, [input.action === 'lock', threadId]);
      await threadChanged(cx, threadId);
      return;
    case 'hide': {
      if (thread.hidden) throw conflict('The thread is hidden already');
      await tx.execute(`UPDATE board_threads SET hidden_at = now(), hidden_reason = ?, hidden_by_id = ? WHERE id = ?`, [input.reason, actor.id, threadId]);
      await redactThreadOnBoard(cx, thread.boardId, threadId);
      await appendEvent(cx, boardStream(thread.boardId), 'thread.removed', { threadId, reason: 'hidden' });
      await appendEvent(cx, threadStream(threadId), 'thread.hidden', { threadId });
      cx.sockets.recheckAccess({ streams: [threadStream(threadId)] });
      await notifyModeration(cx, { authorId: thread.authorId, threadId, title: `A moderator hid your thread “${thread.title}”`, body: input.reason });
      return;
    }
    case 'unhide':
      if (!thread.hidden) throw conflict('The thread is not hidden');
      await tx.execute(`UPDATE board_threads SET hidden_at = NULL, hidden_reason = NULL, hidden_by_id = NULL WHERE id = ?`, [threadId]);
      await announceThread(cx, thread.boardId, threadId);
      await threadChanged(cx, threadId);
      return;
    case 'move': {
      if (input.boardId === thread.boardId) throw badRequest('The thread is on that board already', [fieldProblem('boardId', 'same_board', 'is the thread’s board')]);
      // The moderator must moderate the board it goes to as well.
      requireModerator(await requireVisibleBoard(tx, actor, input.boardId));
      await tx.execute(`UPDATE board_threads SET board_id = ? WHERE id = ?`, [input.boardId, threadId]);
      await tx.execute(`UPDATE board_thread_reads SET board_id = ? WHERE thread_id = ?`, [input.boardId, threadId]);
      await redactThreadOnBoard(cx, thread.boardId, threadId);
      await appendEvent(cx, boardStream(thread.boardId), 'thread.removed', { threadId, reason: 'moved' });
      if (!thread.hidden) await announceThread(cx, input.boardId, threadId);
      await threadChanged(cx, threadId);
      cx.sockets.recheckAccess({ streams: [threadStream(threadId)] });
      return;
    }
  }
}

/** A moderator hides a reply (its author sees why) or shows it again. */
export async function replyModerator(cx: CommandContext, replyId: string, input: { action: 'unhide' } | { action: 'hide'; reason: string }) {
  const { em: tx, actor } = cx;
  const reply = await requireVisibleReply(tx, actor, replyId, { forUpdate: true });
  requireModerator(reply.thread.standing);
  if (reply.deleted) throw conflict('The reply was deleted by its author');
  if (input.action === 'hide') {
    if (reply.hidden) throw conflict('The reply is hidden already');
    await tx.execute(`UPDATE board_replies SET hidden_at = now(), hidden_reason = ?, hidden_by_id = ? WHERE id = ?`, [input.reason, actor.id, replyId]);
    await redactReply(cx, reply.threadId, replyId);
    await appendEvent(cx, threadStream(reply.threadId), 'reply.hidden', { replyId, number: reply.number });
    await notifyModeration(cx, { authorId: reply.authorId, threadId: reply.threadId, number: reply.number, title: `A moderator hid your reply #${reply.number} in “${reply.thread.title}”`, body: input.reason });
    return;
  }
  if (!reply.hidden) throw conflict('The reply is not hidden');
  await tx.execute(`UPDATE board_replies SET hidden_at = NULL, hidden_reason = NULL, hidden_by_id = NULL WHERE id = ?`, [replyId]);
  await replyChanged(cx, reply.threadId, replyId);
}
