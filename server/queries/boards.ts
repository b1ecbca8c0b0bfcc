import type { EntityManager } from '@mikro-orm/postgresql';
import { boardStatement } from './boardStatements.js';
import {
  boardStream,
  threadStream,
  type BoardDetailDTO,
  type BoardDTO,
  type BoardOpenness,
  type GranteesDTO,
  type SubscriptionLevel,
  type ThreadDTO,
  type ThreadListItemDTO,
} from '../../shared/boards.js';
import type { Page } from '../../shared/dto.js';
import type { User } from '../entities/User.js';
import { boardAbilities, boardSetsOf, boardVisibilityFilter, standingOn, threadAbilities, threadVisibilityFilter, type BoardStanding } from '../policies/boards.js';
import { customerVisibilityFilter } from '../policies/customers.js';
import { presentThreadContent, presentThreadSummary, reactionsColumn, threadSummaryColumns, threadSummaryJoins, type ThreadContentRow, type ThreadSummaryRow } from '../presenters/board.js';
import { streamHeads } from '../realtime/streams.js';
import { boardUnreadCounts } from './boardUnread.js';
import { isNewSql, levelSql, newRepliesSql } from './boardUnread.js';
import { keysetCursor, pageOf, readKeysetCursor } from './pagination.js';

type BoardRow = {
  id: string; name: string; description: string; category: string | null; position: number; openness: BoardOpenness; read_only: boolean; allow_anonymous: boolean; everyone_posts: boolean;
  level: SubscriptionLevel | null;
};

/** Boards with the user's standing and level, visible ones only; `ids` narrows them. */
async function boardRows(em: EntityManager, user: User, ids?: string[]): Promise<BoardRow[]> {
  const visible = await boardVisibilityFilter(em, user);
  return boardStatement<BoardRow>(em, 
    `SELECT b.id::text AS id, b.name, b.description, b.category, b.position, b.openness, b.read_only, b.allow_anonymous, b.everyone_posts, bs.level
     FROM boards b LEFT JOIN board_subscriptions bs ON bs.board_id = b.id AND bs.user_id = ?
     WHERE ${visible.sql} ${ids ? 'AND b.id = ANY(?::bigint[])' : ''}
     ORDER BY b.category NULLS FIRST, b.position, b.id`,
    [user.id, ...visible.params, ...(ids ? [`{${ids.join(',')}}`] : [])],
  );
}

async function presentBoards(em: EntityManager, user: User, rows: BoardRow[]): Promise<BoardDTO[]> {
  if (rows.length === 0) return [];
  const sets = await boardSetsOf(em, user);
  const standings = new Map(rows.map((r) => [String(r.id), standingOn(sets, r)]));
  // Heads first, then counts: an event after the head is at worst applied to counts that already hold it.
  const heads = await streamHeads(em, rows.filter((r) => standings.get(String(r.id))!.readsAll).map((r) => boardStream(String(r.id))));
  const unread = await boardUnreadCounts(em, user, rows.map((r) => String(r.id)));
  return rows.map((r) => {
    const id = String(r.id);
    const standing = standings.get(id)!;
    return {
      id,
      name: r.name,
      description: r.description,
      category: r.category,
      position: r.position,
      openness: r.openness,
      readOnly: r.read_only,
      allowAnonymous: r.allow_anonymous,
      everyonePosts: r.everyone_posts,
      level: r.level ?? 'normal',
      unread: unread.get(id) ?? { boardId: id, unreadThreads: 0, newThreads: 0 },
      seq: standing.readsAll ? heads[boardStream(id)] : null,
      can: boardAbilities(user, standing),
    };
  });
}

/** The board index: every board the user sees, by category and position, with their unread counts. */
export async function listBoards(em: EntityManager, user: User): Promise<BoardDTO[]> {
  return presentBoards(em, user, await boardRows(em, user));
}

/** One board the user sees (null otherwise), with its grants for administrators. */
export async function boardDetail(em: EntityManager, user: User, boardId: string): Promise<BoardDetailDTO | null> {
  const [board] = await presentBoards(em, user, await boardRows(em, user, [boardId]));
  if (!board) return null;
  return { ...board, access: board.can.administer ? await boardGrantees(em, boardId) : null };
}

async function boardGrantees(em: EntityManager, boardId: string): Promise<NonNullable<BoardDetailDTO['access']>> {
  const rows = await em.execute<{ role: string; user_id: string | null; display_name: string | null; email: string | null; department_id: string | null; department_name: string | null }[]>(
    `SELECT a.role, a.user_id::text AS user_id, u.display_name, u.email, a.department_id::text AS department_id, d.name AS department_name
     FROM board_access a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN departments d ON d.id = a.department_id
     WHERE a.board_id = ? ORDER BY a.id`,
    [boardId],
  );
  const of = (role: string): GranteesDTO => ({
    users: rows.filter((r) => r.role === role && r.user_id).map((r) => ({ id: String(r.user_id), displayName: r.display_name!, email: r.email! })),
    departments: rows.filter((r) => r.role === role && r.department_id).map((r) => ({ id: String(r.department_id), name: r.department_name! })),
  });
  return { moderators: of('moderator'), viewers: of('viewer'), members: of('member'), posters: of('poster') };
}

// A timestamptz as the driver gives it (PostgreSQL's text in UTC, microseconds kept: the cursor must not round).
const PG_INSTANT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?\+00$/;

type ThreadListRow = ThreadSummaryRow & { level: SubscriptionLevel; is_new: boolean; new_replies: number; read_number: number | null };

/** A thread list's row as the user sees it, with their level and unread marker. */
const threadListItem = (user: User) => (r: ThreadListRow): ThreadListItemDTO => ({
  ...presentThreadSummary(r),
  mine: String(r.author_id) === user.id,
  level: r.level,
  unread: { isNew: r.is_new, newReplies: Number(r.new_replies), readNumber: r.read_number === null ? null : Number(r.read_number) },
});

/**
 * A board's threads for one user, pinned first, then by last activity, a page after the cursor,
 * each with the user's unread marker. A user who does not see every thread of the board (a
 * semi-open board's poster) is also given `author_id = them`: implied by the visibility predicate,
 * which still applies, it lets PostgreSQL walk the index of their own threads instead of the board's.
 */

/** The reader's subscription level of a thread (its own, else its board's). */
const threadLevel = levelSql('ts', 'bs');

/**
 * A thread list's rows for one reader: the summary, the reader's level and the new-thread and
 * new-replies markers. Binds the reader's id four times, before anything else.
 */
const threadListSelect = `SELECT ${threadSummaryColumns}, ${threadLevel} AS level, ${isNewSql('t', 'tr', 'bs', threadLevel, '?')} AS is_new, ${newRepliesSql('t', 'tr', threadLevel)} AS new_replies, tr.read_number
     FROM board_threads t ${threadSummaryJoins}
     LEFT JOIN board_thread_reads tr ON tr.thread_id = t.id AND tr.user_id = ?
     LEFT JOIN board_thread_subscriptions ts ON ts.thread_id = t.id AND ts.user_id = ?
     LEFT JOIN board_subscriptions bs ON bs.board_id = t.board_id AND bs.user_id = ?`;

export async function boardThreads(em: EntityManager, user: User, boardId: string, standing: BoardStanding, query: { cursor?: string; limit: number }): Promise<Page<ThreadListItemDTO>> {
  const visible = await threadVisibilityFilter(em, user);
  const where = [`t.board_id = ?`, visible.sql];
  const params: unknown[] = [boardId, ...visible.params];
  if (!standing.readsAll) {
    where.push('t.author_id = ?');
    params.push(user.id);
  }
  if (query.cursor) {
    const [pinned, at, id] = readKeysetCursor(query.cursor, ['number', 'string', 'id']);
    if (!PG_INSTANT.test(at)) readKeysetCursor('', ['id']); // not a cursor this list gave out: the same 400
    // (pinned DESC, last_activity_at DESC, id DESC) after the last row shown.
    where.push(`(t.pinned, t.last_activity_at, t.id) < (?::boolean, ?::timestamptz, ?::bigint)`);
    params.push(Number(pinned) === 1, at, id);
  }
  const rows = await boardStatement<ThreadListRow>(em, 
    `${threadListSelect}
     WHERE ${where.join(' AND ')}
     ORDER BY t.pinned DESC, t.last_activity_at DESC, t.id DESC LIMIT ?`,
    [user.id, user.id, user.id, user.id, ...params, query.limit + 1],
  );
  return pageOf(
    rows,
    query.limit,
    (page) => page.map(threadListItem(user)),
    (last) => keysetCursor([last.pinned ? 1 : 0, String(last.last_activity_at), String(last.id)]),
  );
}

type ThreadRow = ThreadContentRow & {
  board_name: string; openness: BoardOpenness; read_only: boolean; allow_anonymous: boolean;
  customer_id: string | null; customer_name: string | null; customer_visible: boolean | null; level: SubscriptionLevel; read_number: number | null;
};

/** The thread page's thread for one user (null when they do not see it): the opening post, their level and read position, what they may do. */
export async function threadDetail(em: EntityManager, user: User, threadId: string): Promise<ThreadDTO | null> {
  // The head first: events after it may repeat what the snapshot holds, never miss what it lacks.
  const seq = (await streamHeads(em, [threadStream(threadId)]))[threadStream(threadId)];
  const visible = await threadVisibilityFilter(em, user);
  const customers = await customerVisibilityFilter(em, user, 'c');
  const [row] = await boardStatement<ThreadRow>(em, 
    `SELECT ${threadSummaryColumns}, t.body, t.text, t.edited_at, ${reactionsColumn({ threadId: 't.id' })} AS reactions,
       b.name AS board_name, b.openness, b.read_only, b.allow_anonymous,
       c.id::text AS customer_id, c.name AS customer_name, (c.id IS NOT NULL AND ${customers.sql}) AS customer_visible,
       ${levelSql('ts', 'bs')} AS level, tr.read_number
     FROM board_threads t ${threadSummaryJoins} JOIN boards b ON b.id = t.board_id
     LEFT JOIN customers c ON c.id = t.customer_id
     LEFT JOIN board_thread_reads tr ON tr.thread_id = t.id AND tr.user_id = ?
     LEFT JOIN board_thread_subscriptions ts ON ts.thread_id = t.id AND ts.user_id = ?
     LEFT JOIN board_subscriptions bs ON bs.board_id = t.board_id AND bs.user_id = ?
     WHERE t.id = ? AND ${visible.sql}`,
    [...customers.params, user.id, user.id, user.id, threadId, ...visible.params],
  );
  if (!row) return null;
  const boardStanding = standingOn(await boardSetsOf(em, user), { ...row, id: row.board_id });
  const mine = String(row.author_id) === user.id;
  const hidden = row.hidden_at !== null;
  const readNumber = row.read_number === null ? null : Number(row.read_number);
  const lastNumber = Number(row.last_number);
  return {
    ...presentThreadContent(row),
    customer: row.customer_visible ? { id: String(row.customer_id), name: row.customer_name! } : null,
    board: { id: String(row.board_id), name: row.board_name, openness: row.openness },
    hiddenInfo: hidden && (mine || boardStanding.moderates) ? { reason: row.hidden_reason ?? '', at: new Date(row.hidden_at!).toISOString() } : null,
    mine,
    level: row.level,
    readNumber,
    firstUnreadNumber: (readNumber ?? 0) < lastNumber ? (readNumber ?? 0) + 1 : null,
    seq,
    can: threadAbilities(user, boardStanding, { authorId: String(row.author_id), anonymous: row.anonymous, locked: row.locked, hidden }),
  };
}

/** Threads as every viewer sees them (for board stream events), by id. */
export async function threadSummaries(em: EntityManager, threadIds: string[]) {
  const rows = await em.execute<ThreadSummaryRow[]>(`SELECT ${threadSummaryColumns} FROM board_threads t ${threadSummaryJoins} WHERE t.id = ANY(?::bigint[])`, [`{${threadIds.join(',')}}`]);
  return new Map(rows.map((r) => [String(r.id), presentThreadSummary(r)]));
}

/** One thread as every viewer sees it. */
export async function threadSummary(em: EntityManager, threadId: string) {
  return (await threadSummaries(em, [threadId])).get(threadId)!;
}

/** A thread with its opening post as every viewer of it sees it (the thread stream's payload). */
export async function threadContent(em: EntityManager, threadId: string) {
  const [row] = await em.execute<ThreadContentRow[]>(
    `SELECT ${threadSummaryColumns}, t.body, t.text, t.edited_at, ${reactionsColumn({ threadId: 't.id' })} AS reactions FROM board_threads t ${threadSummaryJoins} WHERE t.id = ?`,
    [threadId],
  );
  return presentThreadContent(row);
}

/** Days of activity the workbench looks back over for watched threads. */
export const WATCHED_ACTIVITY_DAYS = 14;

/**
 * Threads the user watches (their level for the thread, else its board's: the unread rules' level)
 * with activity in the last WATCHED_ACTIVITY_DAYS, newest activity first, each with its unread
 * marker as the board's thread list gives it; within threadVisibilityFilter like every read of threads.
 */
export async function watchedThreads(em: EntityManager, user: User, limit: number): Promise<ThreadListItemDTO[]> {
  const visible = await threadVisibilityFilter(em, user);
  const recent = `now() - interval '${WATCHED_ACTIVITY_DAYS} days'`;
  const rows = await boardStatement<ThreadListRow>(em,
    `${threadListSelect}
     WHERE t.id IN (SELECT ws.thread_id FROM board_thread_subscriptions ws WHERE ws.user_id = ? AND ws.level = 'watching'
                    UNION SELECT wt.id FROM board_threads wt JOIN board_subscriptions wb ON wb.board_id = wt.board_id AND wb.user_id = ? AND wb.level = 'watching' WHERE wt.last_activity_at > ${recent})
       AND t.last_activity_at > ${recent} AND ${threadLevel} = 'watching' AND ${visible.sql}
     ORDER BY t.last_activity_at DESC, t.id DESC LIMIT ?`,
    [user.id, user.id, user.id, user.id, user.id, user.id, ...visible.params, limit],
  );
  return rows.map(threadListItem(user));
}
