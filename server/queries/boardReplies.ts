import type { EntityManager } from '@mikro-orm/postgresql';
import { boardStatement } from './boardStatements.js';
import type { ReplyDTO, SharedReplyDTO } from '../../shared/boards.js';
import type { Page } from '../../shared/dto.js';
import type { User } from '../entities/User.js';
import { replyVisibilityFilter, type VisibleThread } from '../policies/boards.js';
import { presentReply, presentSharedReply, replyColumns, replyJoins, type ReplyRow } from '../presenters/board.js';
import { pageOf } from './pagination.js';

/**
 * A page of a thread's replies for one user (the caller checked the thread): forward after a
 * number, or backward before one (the page still in thread order); hidden replies only for their
 * author and the moderators, quotes of hidden replies without their text for everyone else.
 * `nextCursor` is the number to pass on as `after` (forward) or `before` (backward).
 */
export async function threadReplies(em: EntityManager, user: User, thread: VisibleThread, query: { after?: number; before?: number; limit: number }): Promise<Page<ReplyDTO>> {
  const visible = await replyVisibilityFilter(em, user, 'r', 't');
  const quoteVisible = await replyVisibilityFilter(em, user, 'q', 't');
  const backward = query.before !== undefined;
  const rows = await boardStatement<ReplyRow>(em, 
    `SELECT ${replyColumns(quoteVisible.sql)}
     FROM board_replies r JOIN board_threads t ON t.id = r.thread_id ${replyJoins}
     WHERE r.thread_id = ? AND ${backward ? 'r.number < ?' : 'r.number > ?'} AND ${visible.sql}
     ORDER BY r.number ${backward ? 'DESC' : 'ASC'} LIMIT ?`,
    [...quoteVisible.params, thread.id, backward ? query.before : (query.after ?? 0), ...visible.params, query.limit + 1],
  );
  const viewer = { id: user.id, moderator: thread.standing.moderates, admin: user.role === 'admin' };
  return pageOf(
    rows,
    query.limit,
    (page) => (backward ? [...page].reverse() : page).map((r) => presentReply(r, viewer)),
    (last) => String(last.number),
  );
}

/** One reply for one user, or null when they may not see it (its thread hidden from them, or the reply hidden by a moderator). */
export async function replyDetail(em: EntityManager, user: User, replyId: string, moderator: boolean): Promise<ReplyDTO | null> {
  const visible = await replyVisibilityFilter(em, user, 'r', 't');
  const quoteVisible = await replyVisibilityFilter(em, user, 'q', 't');
  const [row] = await boardStatement<ReplyRow>(em, 
    `SELECT ${replyColumns(quoteVisible.sql)} FROM board_replies r JOIN board_threads t ON t.id = r.thread_id ${replyJoins} WHERE r.id = ? AND ${visible.sql}`,
    [...quoteVisible.params, replyId, ...visible.params],
  );
  return row ? presentReply(row, { id: user.id, moderator, admin: user.role === 'admin' }) : null;
}

/** A reply as every viewer of its thread sees it (the thread stream's payload). */
export async function sharedReply(em: EntityManager, replyId: string): Promise<SharedReplyDTO> {
  const [row] = await em.execute<ReplyRow[]>(`SELECT ${replyColumns('FALSE')} FROM board_replies r ${replyJoins} WHERE r.id = ?`, [replyId]);
  return presentSharedReply(row);
}
