import type { AuthorLookupDTO, BoardReaction } from '../../../shared/boards.js';
import { conflict, forbidden } from '../../errors.js';
import { requireVisibleReply, requireVisibleThread } from '../../policies/boards.js';
import type { CommandContext } from '../context.js';
import { replyChanged, threadChanged } from './events.js';

type Target = { threadId: string; replyId: null } | { threadId?: undefined; replyId: string };

/** Adds or takes back one's reaction to a thread's opening post or a reply; the thread's viewers see the new counts. */
export async function reactor(cx: CommandContext, target: Target, input: { reaction: BoardReaction; on: boolean }) {
  const { em: tx, actor } = cx;
  let threadId: string;
  if (target.replyId) {
    const reply = await requireVisibleReply(tx, actor, target.replyId);
    if (reply.deleted || reply.hidden) throw forbidden('A deleted or hidden reply takes no reactions');
    threadId = reply.threadId;
  } else {
    const thread = await requireVisibleThread(tx, actor, target.threadId!);
    if (thread.hidden) throw forbidden('A hidden thread takes no reactions');
    threadId = thread.id;
  }
  const changed = input.on
    ? await tx.execute(`INSERT INTO board_reactions (thread_id, reply_id, user_id, reaction, created_at) VALUES (?, ?, ?, ?, now()) ON CONFLICT DO NOTHING RETURNING id`, [threadId, target.replyId, actor.id, input.reaction])
    : await tx.execute(`DELETE FROM board_reactions WHERE thread_id = ? AND reply_id IS NOT DISTINCT FROM ?::bigint AND user_id = ? AND reaction = ? RETURNING id`, [threadId, target.replyId, actor.id, input.reaction]);
  if (!changed.length) return;
  if (target.replyId) await replyChanged(cx, threadId, target.replyId);
  else await threadChanged(cx, threadId);
}

/**
 * An administrator sees who wrote an anonymous thread or reply, for abuse handling; every lookup is
 * itself recorded in the append-only board_audit (who looked, at what, when).
 */
export async function authorLookup(cx: CommandContext, target: Target): Promise<AuthorLookupDTO> {
  const { em: tx, actor } = cx;
  const [subject] = target.replyId
    ? await tx.execute<{ author_id: string; anonymous: boolean }[]>(`SELECT author_id::text AS author_id, anonymous FROM board_replies WHERE id = ?`, [(await requireVisibleReply(tx, actor, target.replyId)).id])
    : await tx.execute<{ author_id: string; anonymous: boolean }[]>(`SELECT author_id::text AS author_id, anonymous FROM board_threads WHERE id = ?`, [(await requireVisibleThread(tx, actor, target.threadId!)).id]);
  if (!subject.anonymous) throw conflict('This was not written anonymously: its author is shown');
  const [entry] = await tx.execute<{ id: string }[]>(
    `INSERT INTO board_audit (actor_id, action, target_type, target_id, data, created_at) VALUES (?, 'board.author_lookup', ?, ?, ?, now()) RETURNING id::text AS id`,
    [actor.id, target.replyId ? 'board_reply' : 'board_thread', target.replyId ?? target.threadId, JSON.stringify({ authorId: String(subject.author_id) })],
  );
  // The shared audit log too, where administrators review every sensitive action in one place.
  await cx.audit({ action: 'board.author_lookup', targetType: target.replyId ? 'board_reply' : 'board_thread', targetId: String(target.replyId ?? target.threadId), data: { authorId: String(subject.author_id), boardAuditId: String(entry.id) } });
  const [author] = await tx.execute<{ id: string; display_name: string; email: string }[]>(`SELECT id::text AS id, display_name, email FROM users WHERE id = ?`, [subject.author_id]);
  return { author: { id: String(author.id), displayName: author.display_name, email: author.email }, auditId: String(entry.id) };
}
