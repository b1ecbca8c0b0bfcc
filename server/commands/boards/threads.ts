import { customerStream } from '../../../shared/customers.js';
import { badRequest, fieldProblem, forbidden } from '../../errors.js';
import { requireMayStartThread, requireVisibleThread } from '../../policies/boards.js';
import { requireVisibleCustomer } from '../../policies/customers.js';
import { appendEvent, type CommandContext } from '../context.js';
import { announceThread, threadChanged } from './events.js';
import { ANONYMOUS_NAME, notifyPost } from './notifications.js';
import { newlyMentioned, parsePost } from './posts.js';

export type ThreadInput = { title: string; body: Record<string, unknown>; anonymous: boolean; customerId: string | null };

/**
 * Links a thread to a customer's feed (or unlinks it): a `thread` feed item, which the feed shows
 * only to those who may see the thread too; the feed's followers are told to look again, since the
 * stream itself must not carry the thread to those who may not see it.
 */
async function linkToCustomer(cx: CommandContext, threadId: string, previous: string | null, next: string | null) {
  if (previous === next) return;
  if (previous) {
    await cx.em.execute(`DELETE FROM feed_items WHERE thread_id = ?`, [threadId]);
    await appendEvent(cx, customerStream(previous), 'feed.changed', { customerId: previous });
  }
  if (next) {
    await cx.em.execute(
      `INSERT INTO feed_items (customer_id, kind, actor_id, thread_id, text, data, tier_rank, customer_type, created_at)
       SELECT c.id, 'thread', t.author_id, t.id, '', jsonb_build_object('title', t.title, 'threadId', t.id::text, 'boardId', t.board_id::text), c.tier_rank, c.type, now()
       FROM customers c, board_threads t WHERE c.id = ? AND t.id = ?`,
      [next, threadId],
    );
    await appendEvent(cx, customerStream(next), 'feed.changed', { customerId: next });
  }
}

function refuseAnonymousLink() {
  return badRequest('An anonymous thread cannot be linked to a customer: the customer feed names who wrote it', [fieldProblem('customerId', 'anonymous_thread', 'anonymous threads are not linked to customers')]);
}

/** Starts a thread; its author watches it. Mentioned users and the board's watchers are notified, the board's followers see it at once. */
export async function threadCreator(cx: CommandContext, boardId: string, input: ThreadInput): Promise<string> {
  const { em: tx, actor } = cx;
  const standing = await requireMayStartThread(tx, actor, boardId);
  if (input.anonymous && !standing.allowAnonymous) throw badRequest('This board does not take anonymous threads', [fieldProblem('anonymous', 'anonymous_not_allowed', 'the board does not allow anonymous threads')]);
  if (input.anonymous && input.customerId) throw refuseAnonymousLink();
  if (input.customerId) await requireVisibleCustomer(tx, actor, input.customerId);
  const post = parsePost(input.body);
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO board_threads (board_id, author_id, anonymous, title, body, text, customer_id, created_at, last_activity_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, now(), now()) RETURNING id::text AS id`,
    [boardId, actor.id, input.anonymous, input.title, JSON.stringify(post.doc), post.text, input.customerId],
  );
  const threadId = String(row.id);
  // Authors watch their own threads, and have read what they wrote.
  await tx.execute(`INSERT INTO board_thread_subscriptions (user_id, thread_id, level, updated_at) VALUES (?, ?, 'watching', now())`, [actor.id, threadId]);
  await tx.execute(`INSERT INTO board_thread_reads (user_id, thread_id, board_id, read_number, updated_at) VALUES (?, ?, ?, 0, now())`, [actor.id, threadId, boardId]);
  await linkToCustomer(cx, threadId, null, input.customerId);
  await announceThread(cx, boardId, threadId);
  await notifyPost(cx, {
    threadId,
    threadTitle: input.title,
    authorName: input.anonymous ? ANONYMOUS_NAME : actor.displayName,
    authorId: actor.id,
    text: post.text,
    mentioned: post.mentioned,
    newThread: true,
  });
  return threadId;
}

/** The author changes their thread's title, opening post or customer link; newly mentioned users are notified. */
export async function threadEditor(cx: CommandContext, threadId: string, input: { title?: string; body?: Record<string, unknown>; customerId?: string | null }) {
  const { em: tx, actor } = cx;
  const thread = await requireVisibleThread(tx, actor, threadId, { forUpdate: true });
  if (thread.authorId !== actor.id) throw forbidden('Only the author may change a thread');
  if (thread.hidden) throw forbidden('A moderator hid this thread; it cannot be changed');
  if (input.customerId && thread.anonymous) throw refuseAnonymousLink();
  if (input.customerId) await requireVisibleCustomer(tx, actor, input.customerId);
  const post = input.body ? parsePost(input.body) : null;
  const [before] = await tx.execute<{ body: Record<string, unknown> }[]>(`SELECT body FROM board_threads WHERE id = ?`, [threadId]);
  await tx.execute(
    `UPDATE board_threads SET title = coalesce(?, title), body = coalesce(?::jsonb, body), text = coalesce(?, text),
       customer_id = CASE WHEN ? THEN ?::bigint ELSE customer_id END, edited_at = CASE WHEN ? THEN now() ELSE edited_at END
     WHERE id = ?`,
    [input.title ?? null, post ? JSON.stringify(post.doc) : null, post?.text ?? null, input.customerId !== undefined, input.customerId ?? null, !!(post || input.title), threadId],
  );
  if (input.customerId !== undefined) await linkToCustomer(cx, threadId, thread.customerId, input.customerId);
  if (input.title) await tx.execute(`UPDATE feed_items SET data = data || jsonb_build_object('title', ?::text) WHERE thread_id = ?`, [input.title, threadId]);
  await threadChanged(cx, threadId);
  if (post) {
    const mentioned = newlyMentioned(before.body, post);
    if (mentioned.length) {
      await notifyPost(cx, { threadId, threadTitle: input.title ?? thread.title, authorName: thread.anonymous ? ANONYMOUS_NAME : actor.displayName, authorId: actor.id, text: post.text, mentioned, mentionsOnly: true });
    }
  }
}
