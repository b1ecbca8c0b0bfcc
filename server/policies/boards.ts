import type { EntityManager } from '@mikro-orm/postgresql';
import { boardStatement } from '../queries/boardStatements.js';
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

/** A user as SQL: their id (a column) and whether they are an administrator. */
type Viewer = { id: string; admin: string };
const column = (u: string): Viewer => ({ id: `${u}.id`, admin: `${u}.role = 'admin'` });

/** The (board_id, role) grants of a user: their own, their department's and its ancestors' (moderators: also the departments they head). */
const grantsOf = (userId: string) => `
  SELECT ga.board_id, ga.role FROM board_access ga WHERE ga.user_id = ${userId}
  UNION ALL
  SELECT ga.board_id, ga.role FROM board_access ga
  WHERE ga.role <> 'moderator' AND ga.department_id IN (
    WITH RECURSIVE up(id) AS (
      SELECT gu.department_id FROM users gu WHERE gu.id = ${userId}
      UNION
      SELECT gd.parent_id FROM departments gd JOIN up ON gd.id = up.id WHERE gd.parent_id IS NOT NULL
    ) SELECT id FROM up)
  UNION ALL
  SELECT ga.board_id, ga.role FROM board_access ga JOIN department_managers gm ON gm.department_id = ga.department_id
  WHERE ga.role = 'moderator' AND gm.user_id = ${userId}`;

/*
 * The rule about one board, asked of a row `r` holding the board's openness and everyone_posts
 * and the roles (text[]) the user holds on it.
 */
/** The user sees every thread of the board. */
const readsAllSql = (r: string) =>
  `(${r}.openness = 'open' OR 'moderator' = ANY(${r}.roles) OR (${r}.openness = 'closed' AND 'member' = ANY(${r}.roles)) OR (${r}.openness = 'semi_open' AND 'viewer' = ANY(${r}.roles)))`;
/** The user posts on the semi-open board, where they see the threads they started. */
const postsOwnSql = (r: string) => `(${r}.openness = 'semi_open' AND (${r}.everyone_posts OR 'poster' = ANY(${r}.roles)))`;
const moderatesSql = (r: string) => `('moderator' = ANY(${r}.roles))`;
const memberSql = (r: string) => `('member' = ANY(${r}.roles))`;

/** The three questions the thread rule asks about a thread's board, as SQL. */
type BoardTests = { readsAll: string; postsOwn: string; moderates: string };

/** THE thread rule, on thread alias `t`, given the board tests and the viewer's id. */
const threadRule = (tests: BoardTests, viewerId: string, t: string) =>
  `((${tests.readsAll} OR (${t}.author_id = ${viewerId} AND ${tests.postsOwn})) AND (${t}.hidden_at IS NULL OR ${t}.author_id = ${viewerId} OR ${tests.moderates}))`;
/** A reply `r` of a thread `t` the viewer sees, unless a moderator hid the reply from them. */
const replyRule = (tests: BoardTests, viewerId: string, r: string, t: string) =>
  `(${threadRule(tests, viewerId, t)} AND (${r}.hidden_at IS NULL OR ${r}.author_id = ${viewerId} OR ${tests.moderates}))`;

/**
 * One board (by id, SQL) with the roles user `u` (an alias of users) holds on it, as a row for
 * threadRuleOnRow: what the rule asks of a user column, computed once per user and board.
 */
export function boardRolesRowSql(u: string, boardId: string): string {
  return `SELECT rb.openness, rb.everyone_posts, ARRAY(SELECT g.role FROM (${grantsOf(`${u}.id`)}) g WHERE g.board_id = rb.id) AS roles FROM boards rb WHERE rb.id = ${boardId}`;
}

/** THE thread rule for user `u` about thread `t`, given the row (boardRolesRowSql) of `t`'s board and `u`'s roles on it. */
export function threadRuleOnRow(row: string, u: string, t: string): string {
  const v = column(u);
  return `(${v.admin} OR ${threadRule({ readsAll: readsAllSql(row), postsOwn: postsOwnSql(row), moderates: moderatesSql(row) }, v.id, t)})`;
}

/** A board's settings the rule and the abilities need. */
export type BoardSettingsRow = { id: string; openness: string; read_only: boolean; allow_anonymous: boolean };

/** The boards a user reads in full, posts their own threads on, moderates, is a member of; and every board's settings. */
export type BoardSets = { all: boolean; readAll: Set<string>; postsOwn: Set<string>; moderates: Set<string>; member: Set<string>; boards: Map<string, BoardSettingsRow> };

const setsCache = new WeakMap<EntityManager, Map<string, Promise<BoardSets>>>();

/**
 * The user's standing on every board, in one query: their grants resolved once, the board rule
 * applied to each board (with each board's settings). Kept for the EntityManager it was read with
 * (one request, or one command's transaction), so that the several reads of a request ask once.
 * Administrators see and moderate everything.
 */
export function boardSetsOf(em: EntityManager, user: User): Promise<BoardSets> {
  let byUser = setsCache.get(em);
  if (!byUser) setsCache.set(em, (byUser = new Map()));
  const cached = byUser.get(user.id);
  if (cached) return cached;
  const sets = readBoardSets(em, user);
  byUser.set(user.id, sets);
  sets.catch(() => byUser.delete(user.id));
  return sets;
}

async function readBoardSets(em: EntityManager, user: User): Promise<BoardSets> {
  const rows = await boardStatement<(BoardSettingsRow & { reads_all: boolean; posts_own: boolean; moderates: boolean; member: boolean })>(em, 
    `WITH g AS MATERIALIZED (${grantsOf('?::bigint')}),
     r AS (SELECT b.id, b.openness, b.everyone_posts, b.read_only, b.allow_anonymous, coalesce((SELECT array_agg(g.role) FROM g WHERE g.board_id = b.id), '{}'::text[]) AS roles FROM boards b)
     SELECT r.id::text AS id, r.openness, r.read_only, r.allow_anonymous,
            ${readsAllSql('r')} AS reads_all, ${postsOwnSql('r')} AS posts_own, ${moderatesSql('r')} AS moderates, ${memberSql('r')} AS member FROM r`,
    [user.id, user.id, user.id],
  );
  const ids = (flag: 'reads_all' | 'posts_own' | 'moderates' | 'member') => new Set(rows.filter((r) => r[flag]).map((r) => String(r.id)));
  return {
    all: isAdmin(user),
    readAll: ids('reads_all'),
    postsOwn: ids('posts_own'),
    moderates: ids('moderates'),
    member: ids('member'),
    boards: new Map(rows.map((r) => [String(r.id), { id: String(r.id), openness: r.openness, read_only: r.read_only, allow_anonymous: r.allow_anonymous }])),
  };
}

/** The board tests of a bound user: the boards themselves as array parameters, which the planner sees. */
function boundTests(sets: BoardSets, t: string): { tests: BoardTests; values: Record<string, unknown> } {
  return {
    tests: { readsAll: `${t}.board_id = ANY($READ_ALL::bigint[])`, postsOwn: `${t}.board_id = ANY($POSTS_OWN::bigint[])`, moderates: `${t}.board_id = ANY($MODERATES::bigint[])` },
    values: { $READ_ALL: pgArray([...sets.readAll]), $POSTS_OWN: pgArray([...sets.postsOwn]), $MODERATES: pgArray([...sets.moderates]) },
  };
}

/** Turns `$NAME` placeholders into `?` parameters, in the order they appear. */
function bind(sql: string, values: Record<string, unknown>): SqlFilter {
  const params: unknown[] = [];
  const text = sql.replace(/\$[A-Z_]+/g, (name) => {
    params.push(values[name]);
    return '?';
  });
  return { sql: text, params };
}

const isAdmin = (user: User) => user.role === 'admin';

/**
 * THE "who may see this thread" predicate, on the thread alias `t` (board_threads): the rule above
 * for one user, with its parameters. Every read of threads uses it — lists and counts, a thread
 * page, unread counts, the customer feed, the CSV export, the `thread:<id>` stream policy — and later
 * features (files, search, the workbench) are to use it as it is: `WHERE … AND ${filter.sql}`.
 */
export async function threadVisibilityFilter(em: EntityManager, user: User, t = 't'): Promise<SqlFilter> {
  const sets = await boardSetsOf(em, user);
  if (sets.all) return { sql: 'TRUE', params: [] };
  const { tests, values } = boundTests(sets, t);
  return bind(threadRule(tests, '$VIEWER', t), { ...values, $VIEWER: user.id });
}

/**
 * The same rule asked of every user `u` (an alias of users) of a query about thread `t`: who may
 * be told about it (notifications, mentions, unread events). Aliases ar, rb, g, ga, gd, gm, gu, up are taken.
 */
export function threadAudienceSql(u: string, t: string): string {
  return `EXISTS (SELECT 1 FROM (${boardRolesRowSql(u, `${t}.board_id`)}) ar WHERE ${threadRuleOnRow('ar', u, t)})`;
}

/** THE "who may see this reply" predicate: the thread rule on `t` and, for a reply `r` a moderator hid, only its author and the moderators. */
export async function replyVisibilityFilter(em: EntityManager, user: User, r = 'r', t = 't'): Promise<SqlFilter> {
  const sets = await boardSetsOf(em, user);
  if (sets.all) return { sql: 'TRUE', params: [] };
  const { tests, values } = boundTests(sets, t);
  return bind(replyRule(tests, '$VIEWER', r, t), { ...values, $VIEWER: user.id });
}

/** The boards (alias `b`) the user sees in the board index: those they read in full, or post their own threads on. */
export async function boardVisibilityFilter(em: EntityManager, user: User, b = 'b'): Promise<SqlFilter> {
  const sets = await boardSetsOf(em, user);
  if (sets.all) return { sql: 'TRUE', params: [] };
  return { sql: `(${b}.id = ANY(?::bigint[]) OR ${b}.id = ANY(?::bigint[]))`, params: [pgArray([...sets.readAll]), pgArray([...sets.postsOwn])] };
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

/** The user's standing on one board (given its settings), from their board sets. */
export function standingOn(sets: BoardSets, board: { id: string; openness: string; read_only: boolean; allow_anonymous: boolean }): BoardStanding {
  const id = String(board.id);
  return {
    openness: board.openness as BoardOpenness,
    readOnly: board.read_only,
    allowAnonymous: board.allow_anonymous,
    readsAll: sets.all || sets.readAll.has(id),
    postsOwn: !sets.all && sets.postsOwn.has(id),
    moderates: sets.all || sets.moderates.has(id),
    member: sets.all || sets.member.has(id),
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
  const sets = await boardSetsOf(em, user);
  const board = sets.boards.get(boardId);
  const standing = board ? standingOn(sets, board) : null;
  if (!standing || !(standing.readsAll || standing.postsOwn)) throw notFound('The board');
  return standing;
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
  const visible = await threadVisibilityFilter(em, user);
  const [row] = await boardStatement<{ board_id: string; author_id: string; anonymous: boolean; locked: boolean; hidden: boolean; title: string; customer_id: string | null; last_number: number; openness: string; read_only: boolean; allow_anonymous: boolean }>(em, 
    `SELECT t.board_id::text AS board_id, t.author_id::text AS author_id, t.anonymous, t.locked, t.hidden_at IS NOT NULL AS hidden, t.title,
            t.customer_id::text AS customer_id, t.last_number, b.openness, b.read_only, b.allow_anonymous
     FROM board_threads t JOIN boards b ON b.id = t.board_id WHERE t.id = ? AND ${visible.sql} ${options.forUpdate ? 'FOR UPDATE OF t' : ''}`,
    [threadId, ...visible.params],
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
    standing: standingOn(await boardSetsOf(em, user), { id: String(row.board_id), openness: row.openness, read_only: row.read_only, allow_anonymous: row.allow_anonymous }),
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
  const visible = await replyVisibilityFilter(em, user);
  const [row] = await boardStatement<{ thread_id: string; number: number; author_id: string; anonymous: boolean; deleted: boolean; hidden: boolean }>(em, 
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
  const sets = await boardSetsOf(em, user);
  return new Set(boardIds.filter((id) => sets.boards.has(id) && (sets.all || sets.readAll.has(id))));
}

/** Of the threads asked about, those the user sees (the `thread:<id>` stream policy). */
export async function visibleThreads(em: EntityManager, user: User, threadIds: string[]): Promise<Set<string>> {
  const visible = await threadVisibilityFilter(em, user);
  const rows = await boardStatement<{ id: string }>(em, `SELECT t.id::text AS id FROM board_threads t WHERE t.id = ANY(?::bigint[]) AND ${visible.sql}`, [pgArray(threadIds), ...visible.params]);
  return new Set(rows.map((r) => String(r.id)));
}
