import type { EntityManager } from '@mikro-orm/postgresql';
import type { BoardDTO, BoardOpenness, ThreadAbilities } from '../../shared/boards.js';
import type { User } from '../entities/User.js';
import { forbidden, notFound } from '../errors.js';
import { pgArray } from '../db/sql.js';
import type { SqlFilter } from './customers.js';

/*
 * Who sees what on the boards. The rule, in words:
 * - open board: everyone sees every thread;
 * - closed board: its members (listed users, everyone in a listed department's subtree) and its
 *   moderators see every thread; nobody else sees the board;
 * - semi-open board: its viewers (listed users and departments) and moderators see every thread;
 *   a poster (everyone, or the listed posters) sees only the threads they started, and the
 *   replies in them;
 * - moderators: listed users, or the managers (heads) of a listed department; administrators
 *   moderate and see every board;
 * - a thread or reply hidden by a moderator is seen only by its author and the board's moderators.
 * Everything below is that rule written once in SQL; every read of boards, threads and replies
 * (lists, counts, a thread page, quotes, unread counts, notifications, the customer feed, the CSV
 * export, stream policies and socket joins) goes through these functions.
 */

/** A user as SQL: their id (a `$VIEWER` placeholder bound later, or a column) and whether they are an administrator. */
type Viewer = { id: string; admin: string };
const BOUND: Viewer = { id: '$VIEWER', admin: 'FALSE' };
const column = (u: string): Viewer => ({ id: `${u}.id`, admin: `${u}.role = 'admin'` });

/** The (board_id, role) grants of a user: their own, their department's and its ancestors' (for moderators: the departments they head). */
const grantsOf = (v: Viewer) => `
  SELECT ga.board_id, ga.role FROM board_access ga WHERE ga.user_id = ${v.id}
  UNION ALL
  SELECT ga.board_id, ga.role FROM board_access ga
  WHERE ga.role <> 'moderator' AND ga.department_id IN (
    WITH RECURSIVE up(id) AS (
      SELECT gu.department_id FROM users gu WHERE gu.id = ${v.id}
      UNION
      SELECT gd.parent_id FROM departments gd JOIN up ON gd.id = up.id WHERE gd.parent_id IS NOT NULL
    ) SELECT id FROM up)
  UNION ALL
  SELECT ga.board_id, ga.role FROM board_access ga JOIN department_managers gm ON gm.department_id = ga.department_id
  WHERE ga.role = 'moderator' AND gm.user_id = ${v.id}`;

/** Boards whose every thread the user sees. */
const readAllBoards = (v: Viewer) => `
  SELECT rb.id FROM boards rb WHERE ${v.admin} OR rb.openness = 'open' OR rb.id IN (
    SELECT g.board_id FROM (${grantsOf(v)}) g JOIN boards gb ON gb.id = g.board_id
    WHERE g.role = 'moderator' OR (gb.openness = 'closed' AND g.role = 'member') OR (gb.openness = 'semi_open' AND g.role = 'viewer'))`;

/** Semi-open boards the user may post on, where they see their own threads. */
const ownThreadBoards = (v: Viewer) => `
  SELECT ob.id FROM boards ob WHERE ob.openness = 'semi_open' AND (ob.everyone_posts OR ob.id IN (SELECT g.board_id FROM (${grantsOf(v)}) g WHERE g.role = 'poster'))`;

/** Boards the user moderates. */
const moderatedBoards = (v: Viewer) => `SELECT mb.id FROM boards mb WHERE ${v.admin} OR mb.id IN (SELECT g.board_id FROM (${grantsOf(v)}) g WHERE g.role = 'moderator')`;

/** Closed boards the user is a member of (to post there). */
const memberBoards = (v: Viewer) => `SELECT g.board_id FROM (${grantsOf(v)}) g WHERE g.role = 'member'`;

// Each set is an array computed once per statement (`= ANY(ARRAY(…))`), so that a list of threads
// still walks its index (see entryVisibilityFilter for why not a hashed IN).
const inSet = (expr: string, set: string) => `${expr} = ANY(ARRAY(${set}))`;

/** THE thread predicate, on thread alias `t`. */
const threadVisibleSql = (v: Viewer, t: string) =>
  `((${inSet(`${t}.board_id`, readAllBoards(v))} OR (${t}.author_id = ${v.id} AND ${inSet(`${t}.board_id`, ownThreadBoards(v))}))
    AND (${t}.hidden_at IS NULL OR ${t}.author_id = ${v.id} OR ${inSet(`${t}.board_id`, moderatedBoards(v))}))`;

/** A reply (alias `r`) of a visible thread (alias `t`) that is not hidden from the user. */
const replyVisibleSql = (v: Viewer, r: string, t: string) =>
  `(${threadVisibleSql(v, t)} AND (${r}.hidden_at IS NULL OR ${r}.author_id = ${v.id} OR ${inSet(`${t}.board_id`, moderatedBoards(v))}))`;

/** Boards the user sees at all: every thread, or their own threads on a semi-open board. */
const boardVisibleSql = (v: Viewer, b: string) => `(${inSet(`${b}.id`, readAllBoards(v))} OR ${inSet(`${b}.id`, ownThreadBoards(v))})`;

/** Binds `$VIEWER` placeholders to the user's id. */
function bound(user: User, sql: string): SqlFilter {
  const parts = sql.split('$VIEWER');
  return { sql: parts.join('?'), params: Array(parts.length - 1).fill(user.id) };
}

const isAdmin = (user: User) => user.role === 'admin';

/**
 * THE "who may see this thread" predicate, on the thread alias `t` (board_threads): the rule above
 * for one user, with its parameters. Every read of threads uses it — lists and counts, a thread
 * page, unread counts, the customer feed, the CSV export, the `thread:<id>` stream policy — and later
 * features (files, search, the workbench) are to use it as it is: `WHERE … AND ${filter.sql}`.
 */
export function threadVisibilityFilter(user: User, t = 't'): SqlFilter {
  if (isAdmin(user)) return { sql: 'TRUE', params: [] };
  return bound(user, threadVisibleSql(BOUND, t));
}

/** The same predicate asked of every user `u` of a query about thread `t`: who may be told about it (notifications, mentions, unread events). */
export function threadAudienceSql(u: string, t: string): string {
  return `(${u}.role = 'admin' OR ${threadVisibleSql(column(u), t)})`;
}

/** THE "who may see this reply" predicate: the thread predicate on `t` and, for a reply `r` a moderator hid, only its author and the moderators. */
export function replyVisibilityFilter(user: User, r = 'r', t = 't'): SqlFilter {
  if (isAdmin(user)) return { sql: 'TRUE', params: [] };
  return bound(user, replyVisibleSql(BOUND, r, t));
}

/** The boards (alias `b`) the user sees in the board index: those whose threads they see all of, or their own of. */
export function boardVisibilityFilter(user: User, b = 'b'): SqlFilter {
  if (isAdmin(user)) return { sql: 'TRUE', params: [] };
  return bound(user, boardVisibleSql(BOUND, b));
}

/**
 * Where the user stands on boards (alias `b`), as selectable columns: reads_all (sees every thread),
 * posts_own (a semi-open board's poster), moderates, member (of a closed board). The abilities of
 * BoardDTO and every "may post / may moderate" check derive from these.
 */
export function boardStandingColumns(user: User, b = 'b'): SqlFilter {
  if (isAdmin(user)) return { sql: 'TRUE AS reads_all, FALSE AS posts_own, TRUE AS moderates, TRUE AS member', params: [] };
  return bound(
    user,
    `${inSet(`${b}.id`, readAllBoards(BOUND))} AS reads_all, ${inSet(`${b}.id`, ownThreadBoards(BOUND))} AS posts_own,
     ${inSet(`${b}.id`, moderatedBoards(BOUND))} AS moderates, ${inSet(`${b}.id`, memberBoards(BOUND))} AS member`,
  );
}

export type BoardStanding = {
  openness: BoardOpenness;
  readOnly: boolean;
  allowAnonymous: boolean;
  readsAll: boolean;
  postsOwn: boolean;
  moderates: boolean;
  member: boolean;
};

/** The standing of a row selected with boardStandingColumns. */
export function standingOf(row: { openness: string; read_only: boolean; allow_anonymous: boolean; reads_all: boolean; posts_own: boolean; moderates: boolean; member: boolean }): BoardStanding {
  return {
    openness: row.openness as BoardOpenness,
    readOnly: row.read_only,
    allowAnonymous: row.allow_anonymous,
    readsAll: row.reads_all,
    postsOwn: row.posts_own,
    moderates: row.moderates,
    member: row.member,
  };
}

/** Whether the user may start a thread on the board: moderators always; on a read-only board nobody else; otherwise per openness. */
function mayStartThread(s: BoardStanding): boolean {
  if (s.moderates) return true;
  if (s.readOnly) return false;
  if (s.openness === 'open') return true;
  if (s.openness === 'closed') return s.readsAll;
  return s.postsOwn;
}

/** Whether the user may reply on a board (to a thread they see): moderators; else anyone who sees threads there, unless it is read-only. */
function mayReplyOnBoard(s: BoardStanding): boolean {
  return s.moderates || (!s.readOnly && (s.readsAll || s.postsOwn));
}

/** The `can` of BoardDTO. */
export function boardAbilities(user: User, s: BoardStanding): BoardDTO['can'] {
  const post = mayStartThread(s);
  return { post, moderate: s.moderates, administer: isAdmin(user), seeAll: s.readsAll, postAnonymously: post && s.allowAnonymous };
}

export type ThreadFacts = { authorId: string; anonymous: boolean; locked: boolean; hidden: boolean };

/** The `can` of ThreadDTO. */
export function threadAbilities(user: User, s: BoardStanding, t: ThreadFacts): ThreadAbilities {
  const open = !t.locked && !t.hidden;
  return {
    reply: s.moderates || (open && mayReplyOnBoard(s)),
    edit: t.authorId === user.id && !t.hidden,
    moderate: s.moderates,
    react: !t.hidden,
    lookUpAuthor: isAdmin(user) && t.anonymous,
  };
}

/** A board the user sees, with their standing on it; a board they do not see is a 404. */
export async function requireVisibleBoard(em: EntityManager, user: User, boardId: string): Promise<BoardStanding> {
  const visible = boardVisibilityFilter(user);
  const standing = boardStandingColumns(user);
  const [row] = await em.execute<Parameters<typeof standingOf>[0][]>(
    `SELECT b.openness, b.read_only, b.allow_anonymous, ${standing.sql} FROM boards b WHERE b.id = ? AND ${visible.sql}`,
    [...standing.params, boardId, ...visible.params],
  );
  if (!row) throw notFound('The board');
  return standingOf(row);
}

/** The user may start a thread on the board (a visible board they may not post on: 403). */
export async function requireMayStartThread(em: EntityManager, user: User, boardId: string): Promise<BoardStanding> {
  const standing = await requireVisibleBoard(em, user, boardId);
  if (!mayStartThread(standing)) {
    throw forbidden(standing.readOnly ? 'This board is read-only: only its moderators post here' : 'You may not start threads on this board');
  }
  return standing;
}

/** The user moderates the board (a visible board: 403). */
export function requireModerator(standing: BoardStanding): void {
  if (!standing.moderates) throw forbidden('Only the board’s moderators may do this');
}

export type VisibleThread = ThreadFacts & { id: string; boardId: string; title: string; customerId: string | null; lastNumber: number; standing: BoardStanding };

/** A thread the user sees, with their standing on its board; one they do not see is a 404. The row is locked for a change when `forUpdate`. */
export async function requireVisibleThread(em: EntityManager, user: User, threadId: string, options: { forUpdate?: boolean } = {}): Promise<VisibleThread> {
  const visible = threadVisibilityFilter(user);
  const standing = boardStandingColumns(user);
  const [row] = await em.execute<(Parameters<typeof standingOf>[0] & { board_id: string; author_id: string; anonymous: boolean; locked: boolean; hidden: boolean; title: string; customer_id: string | null; last_number: number })[]>(
    `SELECT t.board_id::text AS board_id, t.author_id::text AS author_id, t.anonymous, t.locked, t.hidden_at IS NOT NULL AS hidden, t.title,
            t.customer_id::text AS customer_id, t.last_number, b.openness, b.read_only, b.allow_anonymous, ${standing.sql}
     FROM board_threads t JOIN boards b ON b.id = t.board_id WHERE t.id = ? AND ${visible.sql} ${options.forUpdate ? 'FOR UPDATE OF t' : ''}`,
    [...standing.params, threadId, ...visible.params],
  );
  if (!row) throw notFound('The thread');
  return {
    id: threadId,
    boardId: String(row.board_id),
    authorId: String(row.author_id),
    anonymous: row.anonymous,
    locked: row.locked,
    hidden: row.hidden,
    title: row.title,
    customerId: row.customer_id ? String(row.customer_id) : null,
    lastNumber: Number(row.last_number),
    standing: standingOf(row),
  };
}

/** The user may reply in the thread: refused (403) when it is locked, hidden or on a board they may not post on, unless they moderate it. */
export function requireMayReply(user: User, thread: VisibleThread): void {
  if (threadAbilities(user, thread.standing, thread).reply) return;
  if (thread.locked) throw forbidden('The thread is locked: no new replies');
  if (thread.hidden) throw forbidden('The thread is hidden by a moderator');
  throw forbidden(thread.standing.readOnly ? 'This board is read-only: only its moderators post here' : 'You may not reply on this board');
}

export type VisibleReply = { id: string; threadId: string; number: number; authorId: string; anonymous: boolean; deleted: boolean; hidden: boolean; thread: VisibleThread };

/** A reply the user sees (its thread visible, the reply not hidden from them); otherwise a 404. */
export async function requireVisibleReply(em: EntityManager, user: User, replyId: string, options: { forUpdate?: boolean } = {}): Promise<VisibleReply> {
  const visible = replyVisibilityFilter(user);
  const [row] = await em.execute<{ thread_id: string; number: number; author_id: string; anonymous: boolean; deleted: boolean; hidden: boolean }[]>(
    `SELECT r.thread_id::text AS thread_id, r.number, r.author_id::text AS author_id, r.anonymous, r.deleted_at IS NOT NULL AS deleted, r.hidden_at IS NOT NULL AS hidden
     FROM board_replies r JOIN board_threads t ON t.id = r.thread_id WHERE r.id = ? AND ${visible.sql} ${options.forUpdate ? 'FOR UPDATE OF r' : ''}`,
    [replyId, ...visible.params],
  );
  if (!row) throw notFound('The reply');
  const thread = await requireVisibleThread(em, user, String(row.thread_id));
  return { id: replyId, threadId: String(row.thread_id), number: Number(row.number), authorId: String(row.author_id), anonymous: row.anonymous, deleted: row.deleted, hidden: row.hidden, thread };
}

/** Of the boards asked about, those whose every thread the user sees (the `board:<id>` stream policy). */
export async function boardsReadInFull(em: EntityManager, user: User, boardIds: string[]): Promise<Set<string>> {
  const standing = boardStandingColumns(user);
  const rows = await em.execute<{ id: string; reads_all: boolean }[]>(`SELECT b.id::text AS id, ${standing.sql} FROM boards b WHERE b.id = ANY(?::bigint[])`, [...standing.params, pgArray(boardIds)]);
  return new Set(rows.filter((r) => r.reads_all).map((r) => String(r.id)));
}

/** Of the threads asked about, those the user sees (the `thread:<id>` stream policy). */
export async function visibleThreads(em: EntityManager, user: User, threadIds: string[]): Promise<Set<string>> {
  const visible = threadVisibilityFilter(user);
  const rows = await em.execute<{ id: string }[]>(`SELECT t.id::text AS id FROM board_threads t WHERE t.id = ANY(?::bigint[]) AND ${visible.sql}`, [pgArray(threadIds), ...visible.params]);
  return new Set(rows.map((r) => String(r.id)));
}
