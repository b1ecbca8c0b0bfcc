import { threadStream } from '../../../shared/boards.js';
import { badRequest, conflict, fieldProblem, forbidden } from '../../errors.js';
import { requireMayReply, requireVisibleReply, requireVisibleThread } from '../../policies/boards.js';
import { sharedReply } from '../../queries/boardReplies.js';
import { appendEvent, type CommandContext } from '../context.js';
import { redactReply, replyChanged, threadActivity } from './events.js';
import { ANONYMOUS_NAME, announceUnread, notifyPost } from './notifications.js';
import { newlyMentioned, parsePost } from './posts.js';
import { readPositionMover } from './reading.js';

/**
 * Replies in a thread, optionally quoting another reply of the same thread. The thread's row is
 * locked, so replies get consecutive numbers. The replier tracks the thread (unless they chose a
 * level) and has read up to their reply; watchers, the mentioned and the quoted are notified,
 * trackers get their new unread counts, the thread's viewers the reply — all after the commit.
 */
export async function replyCreator(cx: CommandContext, threadId: string, input: { body: Record<string, unknown>; quoteReplyId: string | null }): Promise<{ replyId: string }> {
  const { em: tx, actor } = cx;
  const thread = await requireVisibleThread(tx, actor, threadId, { forUpdate: true });
  requireMayReply(actor, thread);
  let quotedAuthorId: string | null = null;
  if (input.quoteReplyId) {
    // A reply the replier may not see is a 404, as everywhere; one of another thread is refused by name.
    const quoted = await requireVisibleReply(tx, actor, input.quoteReplyId);
    if (quoted.threadId !== threadId) throw badRequest('A reply can only quote a reply of the same thread', [fieldProblem('quoteReplyId', 'other_thread', 'is a reply of another thread')]);
    if (quoted.deleted) throw badRequest('The quoted reply was deleted', [fieldProblem('quoteReplyId', 'deleted', 'was deleted')]);
    quotedAuthorId = quoted.authorId;
  }
  const post = parsePost(input.body);
  // The author of an anonymous thread stays anonymous when they reply in it.
  const anonymous = thread.anonymous && thread.authorId === actor.id;
  const [reply] = await tx.execute<{ id: string; number: number }[]>(
    `WITH moved AS (
       UPDATE board_threads SET last_number = last_number + 1, last_activity_at = now(), last_replier_id = ?, last_reply_anonymous = ?
       WHERE id = ? RETURNING last_number
     )
     INSERT INTO board_replies (thread_id, number, author_id, anonymous, body, text, quote_id, created_at)
     SELECT ?, moved.last_number, ?, ?, ?, ?, ?, now() FROM moved RETURNING id::text AS id, number`,
    [actor.id, anonymous, threadId, threadId, actor.id, anonymous, JSON.stringify(post.doc), post.text, input.quoteReplyId],
  );
  const replyId = String(reply.id);
  await tx.execute(`INSERT INTO board_thread_subscriptions (user_id, thread_id, level, updated_at) VALUES (?, ?, 'tracking', now()) ON CONFLICT DO NOTHING`, [actor.id, threadId]);
  await appendEvent(cx, threadStream(threadId), 'reply.created', { replyId, reply: await sharedReply(tx, replyId) });
  await threadActivity(cx, threadId);
  await readPositionMover(cx, thread, reply.number);
  await notifyPost(cx, {
    threadId,
    threadTitle: thread.title,
    authorName: anonymous ? ANONYMOUS_NAME : actor.displayName,
    authorId: actor.id,
    text: post.text,
    mentioned: post.mentioned,
    quotedAuthorId,
    number: reply.number,
  });
  await announceUnread(cx, threadId, thread.boardId, actor.id);
  return { replyId };
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
