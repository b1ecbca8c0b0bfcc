import type { EntityManager } from '@mikro-orm/postgresql';
import { boardStatement } from './boardStatements.js';
import { NEW_THREAD_DAYS, type BoardUnreadDTO } from '../../shared/boards.js';
import type { User } from '../entities/User.js';
import { pgArray } from '../db/sql.js';
import { boardRolesRowSql, boardVisibilityFilter, threadRuleOnRow, threadVisibilityFilter } from '../policies/boards.js';

/*
 * The unread rules, written once (the thread list, the thread page, the board index, the live
 * unread events of the fan-out all use these fragments):
 * - a thread's level for a user is their level for the thread, else for its board, else normal;
 * - a thread is new to a user when they never opened it, did not start it, have not muted it, and it
 *   started within NEW_THREAD_DAYS and after they last marked its board read;
 * - it has N new replies when they opened it and N replies came after their read position (muted: none);
 * - a board's unread count is the number of threads they track or watch with new replies; its new
 *   count the number of new threads.
 */

/** The level of thread `t` for the user whose thread subscription is `ts` and board subscription `bs` (LEFT JOINed). */
export const levelSql = (ts: string, bs: string) => `coalesce(${ts}.level, ${bs}.level, 'normal')`;

/** The instant after which threads are new on a board, given the user's board subscription `bs`. */
export const newSinceSql = (bs: string) => `greatest(now() - interval '${NEW_THREAD_DAYS} days', coalesce(${bs}.read_before, '-infinity'::timestamptz))`;

/** True when thread `t` is new to the user (`userId` SQL) with read position `tr`, level `level`. */
export const isNewSql = (t: string, tr: string, bs: string, level: string, userId: string) =>
  `(${tr}.thread_id IS NULL AND ${t}.author_id <> ${userId} AND ${level} <> 'muted' AND ${t}.created_at > ${newSinceSql(bs)})`;

/** Replies of thread `t` after read position `tr` (0 when never opened or muted). */
export const newRepliesSql = (t: string, tr: string, level: string) => `(CASE WHEN ${tr}.thread_id IS NOT NULL AND ${level} <> 'muted' THEN greatest(${t}.last_number - ${tr}.read_number, 0) ELSE 0 END)`;

/**
 * The number of threads on board `boardId` (SQL) that user `u` (an alias of users) tracks or watches
 * and has unread replies in: the unread count of the board, asked of many users at once (the
 * reply fan-out tells each tracker their new count). Visibility: the thread rule, on the user's roles on the board read once.
 */
export const unreadThreadsOfSql = (u: string, boardId: string) => `(
  SELECT count(*) FROM (${boardRolesRowSql(u, boardId)}) ar, board_thread_reads utr
  JOIN board_threads ut ON ut.id = utr.thread_id
  LEFT JOIN board_thread_subscriptions uts ON uts.thread_id = utr.thread_id AND uts.user_id = utr.user_id
  LEFT JOIN board_subscriptions ubs ON ubs.board_id = ut.board_id AND ubs.user_id = utr.user_id
  WHERE utr.user_id = ${u}.id AND utr.board_id = ${boardId} AND ut.last_number > utr.read_number
    AND ${levelSql('uts', 'ubs')} IN ('watching', 'tracking') AND ${threadRuleOnRow('ar', u, 'ut')})`;

/**
 * Unread and new thread counts of every board the user sees (or of the boards named): one
 * statement. Unread threads come from the user's read positions (bounded by what they opened);
 * new threads from each board's threads of the last NEW_THREAD_DAYS, one index range per board.
 */
export async function boardUnreadCounts(em: EntityManager, user: User, boardIds?: string[]): Promise<Map<string, BoardUnreadDTO>> {
  const boards = await boardVisibilityFilter(em, user, 'b');
  const threads = await threadVisibilityFilter(em, user, 't');
  const rows = await boardStatement<{ id: string; unread_threads: string; new_threads: string }>(em, 
    `WITH vb AS (
       SELECT b.id, bs.level, bs.read_before FROM boards b
       LEFT JOIN board_subscriptions bs ON bs.board_id = b.id AND bs.user_id = ?
       WHERE ${boards.sql} ${boardIds ? 'AND b.id = ANY(?::bigint[])' : ''}
     ), unread AS (
       SELECT t.board_id, count(*) AS n FROM board_thread_reads tr
       JOIN board_threads t ON t.id = tr.thread_id
       LEFT JOIN board_thread_subscriptions ts ON ts.thread_id = tr.thread_id AND ts.user_id = tr.user_id
       LEFT JOIN board_subscriptions bs ON bs.board_id = t.board_id AND bs.user_id = tr.user_id
       WHERE tr.user_id = ? ${boardIds ? 'AND tr.board_id = ANY(?::bigint[])' : ''} AND t.last_number > tr.read_number
         AND ${levelSql('ts', 'bs')} IN ('watching', 'tracking') AND ${threads.sql}
       GROUP BY t.board_id
     )
     SELECT vb.id::text AS id, coalesce(unread.n, 0) AS unread_threads,
       CASE WHEN vb.level = 'muted' THEN 0 ELSE (
         SELECT count(*) FROM board_threads t
         WHERE t.board_id = vb.id AND t.created_at > ${newSinceSql('vb')} AND t.author_id <> ?
           AND NOT EXISTS (SELECT 1 FROM board_thread_reads tr WHERE tr.user_id = ? AND tr.thread_id = t.id)
           AND NOT EXISTS (SELECT 1 FROM board_thread_subscriptions ts WHERE ts.user_id = ? AND ts.thread_id = t.id AND ts.level = 'muted')
           AND ${threads.sql}) END AS new_threads
     FROM vb LEFT JOIN unread ON unread.board_id = vb.id`,
    [
      user.id,
      ...boards.params,
      ...(boardIds ? [pgArray(boardIds)] : []),
      user.id,
      ...(boardIds ? [pgArray(boardIds)] : []),
      ...threads.params,
      user.id,
      user.id,
      user.id,
      ...threads.params,
    ],
  );
  return new Map(rows.map((r) => [String(r.id), { boardId: String(r.id), unreadThreads: Number(r.unread_threads), newThreads: Number(r.new_threads) }]));
}

/** The counts of one board (zero when the user does not see it). */
export async function boardUnread(em: EntityManager, user: User, boardId: string): Promise<BoardUnreadDTO> {
  return (await boardUnreadCounts(em, user, [boardId])).get(boardId) ?? { boardId, unreadThreads: 0, newThreads: 0 };
}
