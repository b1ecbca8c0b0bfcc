import type { EntityManager } from '@mikro-orm/postgresql';
import { pinyinQuery } from '../../shared/pinyin.js';
import { searchKinds, type SearchKind, type SearchResultDTO, type SearchResultsDTO } from '../../shared/search.js';
import type { SearchQuery } from '../../shared/schemas/search.js';
import { pgArray } from '../db/sql.js';
import type { User } from '../entities/User.js';
import { badRequest } from '../errors.js';
import { announcementVisibilityFilter } from '../policies/announcements.js';
import { boardSetsOf, replyVisibilityFilter, threadVisibilityFilter } from '../policies/boards.js';
import { messageVisibilityFilter } from '../policies/conversation.js';
import { customerVisibilityFilter, type SqlFilter } from '../policies/customers.js';
import { reportReadableFilter } from '../policies/reports.js';
import { entryVisibilityFilter } from '../policies/schedule.js';
import { boardPlace } from '../search/documents.js';
import { foldText, queryTokens, scopedToken, snippetOf } from '../search/tokens.js';

/** Kinds found also by the pinyin of their name (documents with `keys`). */
const NAMED: ReadonlySet<SearchKind> = new Set(['customer', 'contact', 'person']);

/**
 * Kinds without a token index (migration …_search_kind_indexes): a user sees only the messages of
 * the conversations they belong to, so their documents are read through the conversation index
 * (the messages policy is `conversation_id = ANY(…)` on the document) and the substring confirms
 * each. A token index over every message returned the postings of every conversation for a common
 * word — tens of thousands, to keep the few of the user's 50 conversations.
 */
const UNINDEXED: ReadonlySet<SearchKind> = new Set(['message']);

/**
 * Kinds whose documents are matched by the query's first token only (any of its tokens is a
 * necessary condition, and the substring confirms): for reports the planner must weigh the token
 * index against starting from the reports the user may read (the reading rule's `set` form), and
 * it estimates several tokens as independent — the four trigrams of "budget" as one report of
 * 20,000 instead of 6,665 — and then tested every one of them against the reading rule.
 */
const ONE_TOKEN: ReadonlySet<SearchKind> = new Set(['report']);

/**
 * The kinds searched by the first of the two statements of a search; the others by the second. A
 * search's cost grows with what the user may see that contains the query, and on the issue's corpus
 * (docs/search.md, "Benchmark") replies are the largest part — as much as reports, threads and the
 * rest together; messages and the named kinds are small. Each statement holds whole kinds, so each
 * kind's match, visibility rule, ranking and count are still one statement.
 */
const FIRST_STATEMENT: ReadonlySet<SearchKind> = new Set(['reply', 'message', 'customer', 'contact', 'person']);

/** Which kinds a filter applies to: with the filter set, the other kinds have nothing to show. */
const FILTERED_KINDS = {
  person: new Set<SearchKind>(['message', 'thread', 'reply', 'report', 'annotation', 'announcement', 'entry', 'person']),
  conversation: new Set<SearchKind>(['message']),
  board: new Set<SearchKind>(['thread', 'reply']),
  customer: new Set<SearchKind>(['thread', 'reply', 'annotation', 'customer', 'contact', 'entry']),
};

/**
 * The prepared query: its folded text and tokens, the LIKE pattern of its folded text (its wildcards
 * escaped: "50%" is not "500"), and the pinyin form and its tokens for named kinds.
 */
export type PreparedSearch = { folded: string; contains: string; tokens: string[]; spelled: string; spelledTokens: string[] };

export function prepareSearch(q: string): PreparedSearch {
  const folded = foldText(q.trim());
  const tokens = queryTokens(folded);
  if (tokens.length === 0) throw badRequest('The query has nothing to search for', [{ path: 'q', code: 'nothing_to_search', message: 'needs a letter, digit or character to search for' }]);
  const spelled = pinyinQuery(q);
  return { folded, contains: `%${folded.replace(/[\\%_]/g, '\\$&')}%`, tokens, spelled, spelledTokens: spelled ? queryTokens(spelled) : [] };
}

/** Collects `?` parameters in the order the SQL text names them (template literals evaluate left to right). */
class Params {
  readonly values: unknown[] = [];
  v = (value: unknown) => (this.values.push(value), '?');
  f = (filter: SqlFilter) => (this.values.push(...filter.params), filter.sql);
}

/** Each kind: its source join and the conditions of its rule and its filters, given the visibility predicates. */
type KindPlan = { from: string; where: string[] };

async function kindPlans(em: EntityManager, user: User, query: SearchQuery): Promise<Map<SearchKind, (p: Params) => KindPlan>> {
  const wanted = new Set<SearchKind>(query.kind ?? searchKinds);
  for (const [filter, kinds] of Object.entries(FILTERED_KINDS)) {
    if (query[filter as keyof typeof FILTERED_KINDS]) for (const kind of [...wanted]) if (!kinds.has(kind)) wanted.delete(kind);
  }
  // The filters that need a query of their own (the board sets) are read before the SQL is assembled.
  const threads = wanted.has('thread') ? await threadVisibilityFilter(em, user, 't') : null;
  const replies = wanted.has('reply') ? await replyVisibilityFilter(em, user, 'r', 't') : null;
  const customers = wanted.has('customer') || wanted.has('contact') ? await customerVisibilityFilter(em, user, 'c') : null;
  const places = wanted.has('thread') || wanted.has('reply') ? await boardPlacesOf(em, user) : null;
  // The board places of the document (see boardPlace): only the boards the user reads, and their own threads where they see only those.
  const onTheirBoards = (p: Params, kind: SearchKind) => (places ? [`d.tokens && ${p.v(pgArray(places.map((place) => scopedToken(kind, place))))}::text[]`] : []);
  const { person, conversation, board, customer } = query;
  const plans = new Map<SearchKind, (p: Params) => KindPlan>();
  const add = (kind: SearchKind, plan: (p: Params, opt: (value: string | undefined, sql: (v: string) => string) => string[]) => KindPlan) =>
    wanted.has(kind) && plans.set(kind, (p) => plan(p, (value, sql) => (value ? [sql(p.v(value))] : [])));
  add('message', (p, opt) => ({
    from: 'JOIN messages m ON m.id = d.object_id',
    where: [p.f(messageVisibilityFilter(user, 'd.conversation_id')), 'm.deleted_at IS NULL', ...opt(conversation, (v) => `d.conversation_id = ${v}`), ...opt(person, (v) => `m.author_id = ${v}`)],
  }));
  add('thread', (p, opt) => ({
    from: 'JOIN board_threads t ON t.id = d.object_id',
    where: [...onTheirBoards(p, 'thread'), p.f(threads!), ...opt(board, (v) => `t.board_id = ${v}`), ...opt(customer, (v) => `t.customer_id = ${v}`), ...opt(person, (v) => `(t.author_id = ${v} AND NOT t.anonymous)`)],
  }));
  add('reply', (p, opt) => ({
    from: 'JOIN board_replies r ON r.id = d.object_id JOIN board_threads t ON t.id = r.thread_id',
    where: [...onTheirBoards(p, 'reply'), p.f(replies!), 'r.deleted_at IS NULL', ...opt(board, (v) => `t.board_id = ${v}`), ...opt(customer, (v) => `t.customer_id = ${v}`), ...opt(person, (v) => `(r.author_id = ${v} AND NOT r.anonymous)`)],
  }));
  // The reading rule in its `set` form: the planner starts from the reports the user may read (a few
  // thousand for a manager) rather than testing every report that contains a common word.
  add('report', (p, opt) => ({ from: 'JOIN reports r ON r.id = d.object_id', where: [p.f(reportReadableFilter(user, 'r', 'set')), ...opt(person, (v) => `r.author_id = ${v}`)] }));
  add('annotation', (p, opt) => ({
    from: 'JOIN annotations an ON an.id = d.object_id LEFT JOIN reports r ON r.id = an.report_id LEFT JOIN schedule_entries e ON e.id = an.entry_id',
    where: [
      'an.deleted_at IS NULL',
      `((an.report_id IS NOT NULL AND ${p.f(reportReadableFilter(user, 'r'))}) OR (an.entry_id IS NOT NULL AND ${p.f(entryVisibilityFilter(user, 'e'))}))`,
      ...opt(customer, (v) => `e.customer_id = ${v}`),
      ...opt(person, (v) => `an.author_id = ${v}`),
    ],
  }));
  add('announcement', (p, opt) => ({ from: 'JOIN announcements a ON a.id = d.object_id', where: [p.f(announcementVisibilityFilter(user, 'a')), ...opt(person, (v) => `a.publisher_id = ${v}`)] }));
  add('customer', (p, opt) => ({ from: 'JOIN customers c ON c.id = d.object_id', where: [p.f(customers!), ...opt(customer, (v) => `c.id = ${v}`)] }));
  add('contact', (p, opt) => ({ from: 'JOIN contacts k ON k.id = d.object_id JOIN customers c ON c.id = k.customer_id', where: [p.f(customers!), ...opt(customer, (v) => `k.customer_id = ${v}`)] }));
  add('entry', (p, opt) => ({
    from: 'JOIN schedule_entries e ON e.id = d.object_id',
    where: [p.f(entryVisibilityFilter(user, 'e')), ...opt(customer, (v) => `e.customer_id = ${v}`), ...opt(person, (v) => `e.owner_id = ${v}`)],
  }));
  add('person', (p, opt) => ({ from: 'JOIN users u ON u.id = d.object_id', where: ['u.active', ...opt(person, (v) => `u.id = ${v}`)] }));
  return plans;
}

/**
 * The board places (server/search/documents.ts `boardPlace`) whose threads and replies a user may see
 * some of: every board they read in full, and their own threads on the boards where they see only
 * those; null for administrators, who see every board. A necessary condition, read from the same
 * board sets as the board rule, which then decides on the thread and reply rows: a reader of a third
 * of the boards looks up a third of a common word's replies, not all of them.
 */
async function boardPlacesOf(em: EntityManager, user: User): Promise<string[] | null> {
  const sets = await boardSetsOf(em, user);
  if (sets.all) return null;
  return [...[...sets.readAll].map((board) => boardPlace(board)), ...[...sets.postsOwn].map((board) => boardPlace(board, user.id))];
}

type HitRow = { kind: SearchKind; id: string; created_at: Date; rank: string; total: string; body: string };

/**
 * The matches a user may see, ranked, and how many there are of each kind. Each kind is ONE part of
 * one statement: its documents are matched by their tokens (the GIN index) and confirmed by the exact
 * substring, joined to their source rows and filtered by that kind's own visibility predicate
 * (server/policies/*.ts), so what is counted, ranked and paged is only what the user may open. The
 * kinds are searched by two statements at once (FIRST_STATEMENT).
 * Rank: how often the query occurs (up to 5), a text or name that starts with it, then the newest.
 */
async function hits(em: EntityManager, user: User, query: SearchQuery, prepared: PreparedSearch, offset: number): Promise<HitRow[]> {
  const plans = await kindPlans(em, user, query);
  const branch = (kind: SearchKind, plan: (p: Params) => KindPlan, p: Params) => {
    // Parameters are bound in the order they are made: the score, the match, the kind's conditions, the dates (their order in the text).
    const named = NAMED.has(kind) && prepared.spelled !== '';
    const keysMatch = () => `(d.tokens @> ${p.v(pgArray(prepared.spelledTokens.map((t) => scopedToken(kind, t))))}::text[] AND strpos(d.keys, ${p.v(prepared.spelled)}) > 0)`;
    const score = `least((length(d.folded) - length(replace(d.folded, ${p.v(prepared.folded)}, ''))) / length(${p.v(prepared.folded)}), 5) + CASE WHEN starts_with(d.folded, ${p.v(prepared.folded)}) THEN 1 ELSE 0 END${named ? ` + CASE WHEN ${keysMatch()} THEN 2 ELSE 0 END` : ''}`;
    const asked = ONE_TOKEN.has(kind) ? prepared.tokens.slice(0, 1) : prepared.tokens;
    // The substring as LIKE, written first: PostgreSQL evaluates a row's filters cheapest first and, at equal
    // cost, in the order written, and the folded text is short where the stored tokens are long and
    // compressed. Where a kind starts from what the user may see (reports, messages) and looks documents
    // up by id, a document without the query is then dropped before its tokens are decompressed
    // (strpos, costed as two functions, came after the tokens: the report part took twice as long).
    const substring = `d.folded LIKE ${p.v(prepared.contains)}`;
    // Messages have no token index (see UNINDEXED): the substring alone decides, on the documents of the user's conversations.
    const textMatch = UNINDEXED.has(kind) ? `(${substring})` : `(${substring} AND d.tokens @> ${p.v(pgArray(asked.map((t) => scopedToken(kind, t))))}::text[])`;
    const match = named ? `(${textMatch} OR ${keysMatch()})` : textMatch;
    const { from, where } = plan(p);
    const dates = [...(query.from ? [`d.created_at >= ${p.v(query.from)}::timestamptz`] : []), ...(query.to ? [`d.created_at <= ${p.v(query.to)}::timestamptz`] : [])];
    return `SELECT '${kind}'::text AS kind, d.object_id, d.created_at, ${score} AS score FROM search_documents d ${from}
      WHERE d.kind = '${kind}' AND ${match} AND ${[...where, ...dates].join(' AND ')}`;
  };
  const statement = (kinds: SearchKind[]) => {
    const p = new Params();
    // Each kind: its count, then its page by a bounded sort (the best offset + limit + 1 of thousands of matches).
    const pages = kinds.map((kind) => `(SELECT h.*, count(*) OVER () AS total FROM (${branch(kind, plans.get(kind)!, p)}) h
      ORDER BY h.score DESC, h.created_at DESC, h.object_id DESC LIMIT ${p.v(offset + query.limit + 1)})`);
    const sql = `WITH ranked AS (SELECT pg.*, row_number() OVER (PARTITION BY pg.kind ORDER BY pg.score DESC, pg.created_at DESC, pg.object_id DESC) AS rank FROM (${pages.join('\nUNION ALL\n')}) pg)
      SELECT rk.kind, rk.object_id::text AS id, rk.created_at, rk.rank, rk.total, d.body
      FROM ranked rk JOIN search_documents d ON d.kind = rk.kind AND d.object_id = rk.object_id
      WHERE rk.rank > ${p.v(offset)} ORDER BY rk.kind, rk.rank`;
    return { sql, values: p.values };
  };
  const kinds = [...plans.keys()];
  const statements = [kinds.filter((kind) => FIRST_STATEMENT.has(kind)), kinds.filter((kind) => !FIRST_STATEMENT.has(kind))].filter((group) => group.length > 0);
  // Sent at once, on two of the pool's connections: PostgreSQL runs them side by side, so a search
  // takes about as long as its costlier half, not as the sum of its kinds. Each is planned for its
  // query (not a prepared statement's generic plan): how many documents a token has varies by orders
  // of magnitude, and only a plan made knowing the tokens picks the right scans.
  const results = await Promise.all(statements.map((group) => statement(group)).map(({ sql, values }) => em.execute<HitRow[]>(sql, values)));
  return results.flat();
}

type Detail = { kind: SearchKind; id: string; title: string | null; person_id: string | null; person_name: string | null; place_id: string | null; place_detail: string | null };

/** Where a result opens in the web client: the message in its conversation, the reply in its thread, the annotation in its report. */
function linkOf(kind: SearchKind, id: string, d: Pick<Detail, 'place_id' | 'place_detail'>): string {
  switch (kind) {
    case 'message': return `/chat/${d.place_id}?message=${id}`;
    case 'thread': return `/boards/threads/${id}`;
    case 'reply': return `/boards/threads/${d.place_id}?reply=${d.place_detail}`;
    case 'report': return `/reports/${id}`;
    case 'annotation': return d.place_id ? `/reports/${d.place_id}?annotation=${id}` : `/schedule/entries/${d.place_detail}`;
    case 'announcement': return `/announcements/${id}`;
    case 'customer': return `/customers/${id}`;
    case 'contact': return `/customers/${d.place_id}`;
    case 'entry': return `/schedule/entries/${id}`;
    case 'person': return `/chat?direct=${id}`;
  }
}

/** What each shown result is in, who wrote it and where it opens: read in the same statement, only for the rows of the page (already checked). */
const detailSql: Record<SearchKind, string> = {
  message: `SELECT 'message' AS kind, m.id::text AS id,
      coalesce(c.name, (SELECT string_agg(ou.display_name, '、' ORDER BY ou.id) FROM conversation_members o JOIN users ou ON ou.id = o.user_id WHERE o.conversation_id = c.id AND o.user_id <> $VIEWER)) AS title,
      m.author_id::text AS person_id, pu.display_name AS person_name, m.conversation_id::text AS place_id, NULL::text AS place_detail
    FROM messages m JOIN conversations c ON c.id = m.conversation_id LEFT JOIN users pu ON pu.id = m.author_id WHERE m.id = $ID`,
  thread: `SELECT 'thread', t.id::text, b.name, CASE WHEN t.anonymous THEN NULL ELSE t.author_id::text END, CASE WHEN t.anonymous THEN NULL ELSE pu.display_name END, NULL, NULL
    FROM board_threads t JOIN boards b ON b.id = t.board_id JOIN users pu ON pu.id = t.author_id WHERE t.id = $ID`,
  reply: `SELECT 'reply', r.id::text, t.title, CASE WHEN r.anonymous THEN NULL ELSE r.author_id::text END, CASE WHEN r.anonymous THEN NULL ELSE pu.display_name END, t.id::text, r.number::text
    FROM board_replies r JOIN board_threads t ON t.id = r.thread_id JOIN users pu ON pu.id = r.author_id WHERE r.id = $ID`,
  report: `SELECT 'report', r.id::text, r.kind || ' ' || to_char(r.period_start, 'YYYY-MM-DD'), r.author_id::text, pu.display_name, NULL, NULL
    FROM reports r JOIN users pu ON pu.id = r.author_id WHERE r.id = $ID`,
  annotation: `SELECT 'annotation', an.id::text, coalesce(e.title, r.kind || ' ' || to_char(r.period_start, 'YYYY-MM-DD')), an.author_id::text, pu.display_name, an.report_id::text, an.entry_id::text
    FROM annotations an JOIN users pu ON pu.id = an.author_id LEFT JOIN reports r ON r.id = an.report_id LEFT JOIN schedule_entries e ON e.id = an.entry_id WHERE an.id = $ID`,
  announcement: `SELECT 'announcement', a.id::text, a.title, a.publisher_id::text, pu.display_name, NULL, NULL FROM announcements a JOIN users pu ON pu.id = a.publisher_id WHERE a.id = $ID`,
  customer: `SELECT 'customer', c.id::text, c.name, NULL, NULL, NULL, NULL FROM customers c WHERE c.id = $ID`,
  contact: `SELECT 'contact', k.id::text, c.name, NULL, NULL, c.id::text, NULL FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE k.id = $ID`,
  entry: `SELECT 'entry', e.id::text, e.title, e.owner_id::text, pu.display_name, NULL, NULL FROM schedule_entries e JOIN users pu ON pu.id = e.owner_id WHERE e.id = $ID`,
  person: `SELECT 'person', u.id::text, dp.name, u.id::text, u.display_name, NULL, NULL FROM users u JOIN departments dp ON dp.id = u.department_id WHERE u.id = $ID`,
};

/** The details of the results of `kind` with these ids. */
function detailOf(kind: SearchKind, p: Params, user: User, ids: string[]): string {
  const sql = detailSql[kind].replace(/\$VIEWER|\$ID/g, (name) => (name === '$VIEWER' ? p.v(user.id) : `ANY(${p.v(pgArray(ids))}::bigint[])`));
  return `SELECT * FROM (${sql}) AS x(kind, id, title, person_id, person_name, place_id, place_detail)`;
}

/**
 * The details of a page's results, by `kind:id`, in a second statement over those rows alone (at
 * most `limit + 1` of each kind, every one already matched and allowed by the first): as a lateral
 * join of every kind's detail query in the first statement, they took about as long to plan as
 * the whole match (docs/search.md, "What limits speed").
 */
async function detailsOf(em: EntityManager, user: User, rows: HitRow[]): Promise<Map<string, Detail>> {
  if (rows.length === 0) return new Map();
  const byKind = new Map<SearchKind, string[]>();
  for (const row of rows) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row.id]);
  const p = new Params();
  const sql = [...byKind].map(([kind, ids]) => detailOf(kind, p, user, ids)).join('\nUNION ALL\n');
  const found = await em.execute<Detail[]>(sql, p.values);
  return new Map(found.map((d) => [`${d.kind}:${d.id}`, d]));
}

/**
 * Search for one user: results grouped by kind (the best `limit` of each, or one kind's page after
 * `cursor`), each with a snippet and its matches marked, and the count of everything they may see.
 */
export async function search(em: EntityManager, user: User, query: SearchQuery): Promise<SearchResultsDTO> {
  const prepared = prepareSearch(query.q);
  const offset = query.cursor ? Number(query.cursor) : 0;
  const rows = await hits(em, user, query, prepared, offset);
  const details = await detailsOf(em, user, rows);
  const groups: SearchResultsDTO['groups'] = [];
  for (const kind of searchKinds) {
    const ofKind = rows.filter((r) => r.kind === kind);
    if (ofKind.length === 0) continue;
    const items = ofKind
      // A row whose object went between the two statements (deleted that very moment) is left out.
      .filter((r) => Number(r.rank) <= offset + query.limit && details.has(`${kind}:${r.id}`))
      .map((r): SearchResultDTO => {
        const snippet = snippetOf(r.body, prepared.folded);
        const d = details.get(`${kind}:${r.id}`)!;
        return {
          kind,
          id: r.id,
          title: d.title ?? '',
          snippet: snippet.text,
          highlights: snippet.highlights,
          person: d.person_id && d.person_name ? { id: d.person_id, name: d.person_name } : null,
          createdAt: new Date(r.created_at).toISOString(),
          link: linkOf(kind, r.id, d),
        };
      });
    groups.push({ kind, count: Number(ofKind[0]!.total), items, nextCursor: ofKind.some((r) => Number(r.rank) > offset + query.limit) ? String(offset + query.limit) : null });
  }
  return { query: query.q, groups, total: groups.reduce((sum, g) => sum + g.count, 0) };
}
