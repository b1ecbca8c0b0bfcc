import type { EntityManager } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { pinyinKeys } from '../../shared/pinyin.js';
import type { SearchKind } from '../../shared/search.js';
import { pgArray } from '../db/sql.js';
import { documentTokens, foldText, scopedToken } from './tokens.js';

/**
 * A host's text followed by the names of the files attached to it (in their order), so that searching
 * for a file's name finds where it was shared — by that host's own rule, as the file's download is.
 * Attaching or removing a file queues its host (the trigger of migration …_search_file_names).
 */
const withFileNames = (kind: SearchKind, id: string, text: string) =>
  `concat_ws(E'\\n', nullif(${text}, ''), (SELECT string_agg(f.name, E'\\n' ORDER BY fa.position, fa.file_id) FROM attachments fa JOIN files f ON f.id = fa.file_id WHERE fa.host_kind = '${kind}' AND fa.host_id = ${id}))`;

/**
 * What each kind of searchable object contributes to the index: its text (what is matched and
 * cut into snippets), the name whose pinyin is matched too (people, customers, contacts), and for
 * messages their conversation (which never changes, and lets a search narrow by membership in
 * the index). Who may see an object is not here: search asks the object's own policy at query
 * time. An object that no longer exists, or no longer has searchable text (a deleted message, a
 * deactivated person), has no document.
 */
const sourceSql: Record<SearchKind, string> = {
  message: `SELECT m.id::text AS id, m.conversation_id::text AS conversation_id, m.created_at, ${withFileNames('message', 'm.id', 'm.text')} AS body, NULL AS name
    FROM messages m WHERE m.id = ANY(?::bigint[]) AND m.kind = 'text' AND m.deleted_at IS NULL`,
  thread: `SELECT t.id::text AS id, NULL AS conversation_id, t.created_at, ${withFileNames('thread', 't.id', `t.title || E'\\n' || t.text`)} AS body, NULL AS name,
      t.board_id::text AS board_id, t.author_id::text AS starter_id
    FROM board_threads t WHERE t.id = ANY(?::bigint[])`,
  reply: `SELECT r.id::text AS id, NULL AS conversation_id, r.created_at, ${withFileNames('reply', 'r.id', 'r.text')} AS body, NULL AS name, t.board_id::text AS board_id, t.author_id::text AS starter_id
    FROM board_replies r JOIN board_threads t ON t.id = r.thread_id WHERE r.id = ANY(?::bigint[]) AND r.deleted_at IS NULL`,
  report: `SELECT r.id::text AS id, NULL AS conversation_id, r.created_at, ${withFileNames('report', 'r.id', 'r.text')} AS body, NULL AS name FROM reports r WHERE r.id = ANY(?::bigint[])`,
  annotation: `SELECT a.id::text AS id, NULL AS conversation_id, a.created_at, ${withFileNames('annotation', 'a.id', 'a.text')} AS body, NULL AS name
    FROM annotations a WHERE a.id = ANY(?::bigint[]) AND a.deleted_at IS NULL`,
  announcement: `SELECT a.id::text AS id, NULL AS conversation_id, a.created_at, ${withFileNames('announcement', 'a.id', `a.title || E'\\n' || a.body_text`)} AS body, NULL AS name
    FROM announcements a WHERE a.id = ANY(?::bigint[])`,
  customer: `SELECT c.id::text AS id, NULL AS conversation_id, c.created_at, ${withFileNames('customer', 'c.id', `concat_ws(E'\\n', c.name, nullif(c.address, ''), nullif(c.notes, ''))`)} AS body, c.name
    FROM customers c WHERE c.id = ANY(?::bigint[])`,
  contact: `SELECT k.id::text AS id, NULL AS conversation_id, k.created_at, concat_ws(' · ', k.name, nullif(k.title, ''), nullif(k.phone, ''), nullif(k.email, '')) AS body, k.name
    FROM contacts k WHERE k.id = ANY(?::bigint[])`,
  entry: `SELECT e.id::text AS id, NULL AS conversation_id, e.created_at, concat_ws(E'\\n', e.title, nullif(e.description_text, ''), nullif(e.result_text, '')) AS body, NULL AS name
    FROM schedule_entries e WHERE e.id = ANY(?::bigint[])`,
  person: `SELECT u.id::text AS id, NULL AS conversation_id, u.created_at, u.display_name AS body, u.display_name AS name FROM users u WHERE u.id = ANY(?::bigint[]) AND u.active`,
};

export const searchKindTables: Record<SearchKind, string> = {
  message: 'messages',
  thread: 'board_threads',
  reply: 'board_replies',
  report: 'reports',
  annotation: 'annotations',
  announcement: 'announcements',
  customer: 'customers',
  contact: 'contacts',
  entry: 'schedule_entries',
  person: 'users',
};

/** A source row; threads and replies also name their (thread's) board and the thread's starter. */
type SourceRow = { id: string; conversation_id: string | null; created_at: Date; body: string; name: string | null; board_id?: string; starter_id?: string };

/**
 * Where on the boards a thread or reply is, as tokens of its document: its board, and its board with
 * the thread's starter. They narrow a search to the documents of the boards a user may read in full
 * and of their own threads on the boards where they see only those (server/queries/search.ts), in the
 * same GIN look-up as the words — a necessary condition only: the board rule itself is then asked of
 * the thread and reply rows. A thread moved to another board has its replies' documents re-indexed
 * (the trigger of migration …_search_board_places). '@' and ':' never occur in a word token.
 */
export const boardPlace = (boardId: string, starterId?: string): string => (starterId ? `@board:${boardId}:by:${starterId}` : `@board:${boardId}`);

/** One row of search_documents, as written. */
export type SearchDocument = { kind: SearchKind; object_id: string; conversation_id: string | null; created_at: string; body: string; folded: string; keys: string; tokens: string[] };

/** The document of one source row: folded text, pinyin keys of its name, and the tokens of both. */
function documentOf(kind: SearchKind, row: SourceRow): SearchDocument {
  const folded = foldText(row.body);
  const pinyin = row.name ? pinyinKeys(row.name) : null;
  const keys = pinyin ? `${pinyin.full} ${pinyin.initials}` : '';
  return { kind, object_id: row.id, conversation_id: row.conversation_id, created_at: new Date(row.created_at).toISOString(), body: row.body, folded, keys, tokens: tokensOf(kind, row, folded, keys) };
}

/**
 * The stored tokens of a document. Messages have none: they are found through their conversation and
 * the substring, never by token (UNINDEXED in server/queries/search.ts), and their tokens were most of
 * the documents' size, read by nothing.
 */
function tokensOf(kind: SearchKind, row: SourceRow, folded: string, keys: string): string[] {
  if (kind === 'message') return [];
  const tokens = documentTokens(folded);
  if (keys) for (const token of documentTokens(keys)) tokens.add(token);
  if (row.board_id) tokens.add(boardPlace(row.board_id)).add(boardPlace(row.board_id, row.starter_id));
  return [...tokens].map((t) => scopedToken(kind, t));
}

/**
 * Runs a statement in the caller's transaction, or outside one on the pool under the ORM with bind
 * parameters: the ORM's raw queries inline every parameter into the text, which for a rebuild's
 * batches of documents (hundreds of kilobytes of JSON) cost more than the insert itself.
 */
async function execute<Row>(em: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  if (em.isInTransaction()) return em.execute<Row[]>(sql, params);
  const pool = (await em.getConnection().getNativeClient()) as Pool;
  let n = 0;
  return (await pool.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Row[];
}

/**
 * Brings the documents of the given objects of one kind up to date with their source rows: writes
 * those that exist (one statement), removes the others (one statement). Returns how many were written.
 */
export async function indexObjects(em: EntityManager, kind: SearchKind, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await execute<SourceRow>(em, sourceSql[kind], [pgArray(ids)]);
  const documents = rows.map((row) => documentOf(kind, row));
  if (documents.length) {
    await execute(
      em,
      `INSERT INTO search_documents (kind, object_id, conversation_id, created_at, body, folded, keys, tokens)
       SELECT d.kind, d.object_id, d.conversation_id, d.created_at, d.body, d.folded, d.keys, d.tokens
       FROM jsonb_to_recordset(?::jsonb) AS d(kind text, object_id bigint, conversation_id bigint, created_at timestamptz, body text, folded text, keys text, tokens text[])
       ON CONFLICT (kind, object_id) DO UPDATE SET conversation_id = excluded.conversation_id, created_at = excluded.created_at, body = excluded.body,
         folded = excluded.folded, keys = excluded.keys, tokens = excluded.tokens`,
      [JSON.stringify(documents)],
    );
  }
  const kept = new Set(documents.map((d) => d.object_id));
  const gone = ids.filter((id) => !kept.has(id));
  if (gone.length) await execute(em, `DELETE FROM search_documents WHERE kind = ? AND object_id = ANY(?::bigint[])`, [kind, pgArray(gone)]);
  return documents.length;
}
