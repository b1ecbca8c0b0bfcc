import type { Logger } from 'pino';
import { boardStream, threadStream } from '../../../shared/boards.js';
import { extractMentionedUserIds } from '../../editor/index.js';
import { badRequest, conflict, fieldProblem, forbidden } from '../../errors.js';
import { requireMayReply, requireVisibleReply, requireVisibleThread } from '../../policies/boards.js';
import { presentSharedReply, presentThreadSummary, replyColumns, replyJoins, threadSummaryColumns, threadSummaryJoins, type ReplyRow, type ThreadSummaryRow } from '../../presenters/board.js';
import { appendEvents, type CommandContext, type RunCommand } from '../context.js';
import { redactReply, replyChanged } from './events.js';
import { ANONYMOUS_NAME, announceUnread, notifyPost } from './notifications.js';
import { newlyMentioned, parsePost } from './posts.js';
import { readPositionMover } from './reading.js';

/**
 * Replies in a thread, optionally quoting another reply of the same thread. The thread's row is
 * locked, so replies get consecutive numbers. One statement stores the reply, moves the thread's
 * counters and last activity, makes the replier track the thread (unless they chose a level), queues
 * the reply's fan-out (board_reply_fanouts) and reads the reply and the thread as every viewer sees
 * them; a second one appends the events of the thread's and the board's streams. Nothing else happens
 * before the commit, so that the reply reaches the thread's viewers at once: the fan-out — watchers,
 * the mentioned and the quoted notified, trackers' unread counts, the replier's read position — is
 * `replyFanOut`, which the caller runs right after the commit (see `fanOutReply`).
 */
export async function replyCreator(cx: CommandContext, threadId: string, input: { body: Record<string, unknown>; quoteReplyId: string | null }): Promise<{ replyId: string; moderates: boolean }> {
  const { em: tx, actor } = cx;
  const thread = await requireVisibleThread(tx, actor, threadId, { forUpdate: true });
  requireMayReply(actor, thread);
  if (input.quoteReplyId) {
    // A reply the replier may not see is a 404, as everywhere; one of another thread is refused by name.
    const quoted = await requireVisibleReply(tx, actor, input.quoteReplyId);
    if (quoted.threadId !== threadId) throw badRequest('A reply can only quote a reply of the same thread', [fieldProblem('quoteReplyId', 'other_thread', 'is a reply of another thread')]);
    if (quoted.deleted) throw badRequest('The quoted reply was deleted', [fieldProblem('quoteReplyId', 'deleted', 'was deleted')]);
  }
  const post = parsePost(input.body);
  // The author of an anonymous thread stays anonymous when they reply in it.
  const anonymous = thread.anonymous && thread.authorId === actor.id;
  const [row] = await tx.execute<(ReplyRow & { thread_summary: ThreadSummaryRow })[]>(
    `WITH moved AS (
       UPDATE board_threads SET last_number = last_number + 1, last_activity_at = now(), last_replier_id = ?, last_reply_anonymous = ?
       WHERE id = ? RETURNING *
     ), tracked AS (
       INSERT INTO board_thread_subscriptions (user_id, thread_id, level, updated_at) VALUES (?, ?, 'tracking', now()) ON CONFLICT DO NOTHING
     ), r AS (
       INSERT INTO board_replies (thread_id, number, author_id, anonymous, body, text, quote_id, created_at)
       SELECT moved.id, moved.last_number, ?, ?, ?, ?, ?, now() FROM moved RETURNING *
     ), queued AS (
       INSERT INTO board_reply_fanouts (reply_id, created_at) SELECT id, now() FROM r
     )
     SELECT ${replyColumns('FALSE')}, (SELECT to_jsonb(s) FROM (SELECT ${threadSummaryColumns} FROM moved t ${threadSummaryJoins}) s) AS thread_summary
     FROM r ${replyJoins}`,
    [actor.id, anonymous, threadId, actor.id, threadId, actor.id, anonymous, JSON.stringify(post.doc), post.text, input.quoteReplyId],
  );
  const replyId = String(row.id);
  const summary = presentThreadSummary(row.thread_summary);
  // The reply to the thread's viewers; its activity to the board's followers (its viewers see the reply itself).
  await appendEvents(cx, [
    { stream: threadStream(threadId), type: 'reply.created', data: { replyId, reply: presentSharedReply(row) } },
    ...(summary.hidden ? [] : [{ stream: boardStream(thread.boardId), type: 'thread.changed' as const, data: { threadId, thread: summary } }]),
  ]);
  return { replyId, moderates: thread.standing.moderates };
}

/**
 * The rest of a reply, after its commit: the replier's read position moves to it (their devices are
 * told), watchers, the mentioned and the quoted are notified (only of a reply still shown: one deleted
 * or hidden meanwhile tells no one), and trackers get their new unread counts. Exactly once: the
 * reply's row in board_reply_fanouts is taken (SKIP LOCKED: whoever holds it does it) and deleted in
 * this transaction, which a failure rolls back for the sweep to do it again. The fan-outs of one
 * thread run one at a time, in order (an advisory lock), so that the unread counts they announce
 * never go back. Returns false when there was nothing to do. `cx.actor` is the replier.
 */
export async function replyFanOut(cx: CommandContext, replyId: string): Promise<boolean> {
  const { em: tx, actor } = cx;
  // The lock is taken as the row is read; what is read after it sees every earlier fan-out of the thread committed.
  const [reply] = await tx.execute<{ thread_id: string; board_id: string; title: string; number: number; anonymous: boolean; body: Record<string, unknown> | null; text: string; withdrawn: boolean; quoted_author_id: string | null }[]>(
    `WITH taken AS (
       DELETE FROM board_reply_fanouts WHERE reply_id = (SELECT reply_id FROM board_reply_fanouts WHERE reply_id = ? FOR UPDATE SKIP LOCKED) RETURNING reply_id
     )
     SELECT r.thread_id::text AS thread_id, t.board_id::text AS board_id, t.title, r.number, r.anonymous, r.body, r.text,
            (r.deleted_at IS NOT NULL OR r.hidden_at IS NOT NULL) AS withdrawn, q.author_id::text AS quoted_author_id,
            pg_advisory_xact_lock(hashtextextended('board-fanout:' || r.thread_id, 0)) IS NULL AS locked
     FROM taken JOIN board_replies r ON r.id = taken.reply_id JOIN board_threads t ON t.id = r.thread_id LEFT JOIN board_replies q ON q.id = r.quote_id`,
    [replyId],
  );
  if (!reply) return false;
  const threadId = String(reply.thread_id);
  const number = Number(reply.number);
  await readPositionMover(cx, { id: threadId, boardId: String(reply.board_id) }, number);
  if (!reply.withdrawn && reply.body) {
    await notifyPost(cx, {
      threadId,
      threadTitle: reply.title,
      authorName: reply.anonymous ? ANONYMOUS_NAME : actor.displayName,
      authorId: actor.id,
      text: reply.text,
      mentioned: extractMentionedUserIds(reply.body as never),
      quotedAuthorId: reply.quoted_author_id,
      number,
    });
  }
  await announceUnread(cx, threadId, String(reply.board_id), actor.id);
  return true;
}

/**
 * Runs a reply's fan-out in its own transaction once the reply has committed (and its events have
 * gone out). A failure does not undo the reply: it is logged, and the sweep does the fan-out later.
 */
export async function fanOutReply(run: RunCommand, replyId: string, logger: Logger): Promise<void> {
  try {
    await run((cx) => replyFanOut(cx, replyId));
  } catch (error) {
    logger.warn({ err: error, replyId }, 'a reply’s notifications failed; the sweep will send them');
  }
}

async function requireOwnLiveReply(cx: CommandContext, replyId: string) {
  const reply = await requireVisibleReply(cx.em, cx.actor, replyId, { forUpdate: true });
  if (reply.authorId !== cx.actor.id) throw forbidden('Only the author may change a reply');
  if (reply.deleted) throw conflict('The reply was deleted');
  return reply;
}

/** The author replaces their reply's text; those it newly mentions are notified. */
export async function replyEditor(cx: CommandContext, replyId: string, input: { body: Record<string, unknown> }) {
  const reply = await requireOwnLiveReply(cx, replyId);
  if (reply.hidden) throw forbidden('A moderator hid this reply; it cannot be changed');
  const post = parsePost(input.body);
  const [before] = await cx.em.execute<{ body: Record<string, unknown> | null }[]>(`SELECT body FROM board_replies WHERE id = ?`, [replyId]);
  await cx.em.execute(`UPDATE board_replies SET body = ?, text = ?, edited_at = now() WHERE id = ?`, [JSON.stringify(post.doc), post.text, replyId]);
  await replyChanged(cx, reply.threadId, replyId);
  const mentioned = newlyMentioned(before.body, post);
  if (mentioned.length) {
    await notifyPost(cx, { threadId: reply.threadId, threadTitle: reply.thread.title, authorName: reply.anonymous ? ANONYMOUS_NAME : cx.actor.displayName, authorId: cx.actor.id, text: post.text, mentioned, number: reply.number, mentionsOnly: true });
  }
}

/** The author deletes their reply: its number stays with a "deleted" marker, its text leaves the stored stream too. */
export async function replyDeleter(cx: CommandContext, replyId: string) {
  const reply = await requireOwnLiveReply(cx, replyId);
  await cx.em.execute(`UPDATE board_replies SET body = NULL, text = '', deleted_at = now() WHERE id = ?`, [replyId]);
  await redactReply(cx, reply.threadId, replyId);
  await replyChanged(cx, reply.threadId, replyId);
}
