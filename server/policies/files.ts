import type { EntityManager } from '@mikro-orm/postgresql';
import type { AttachmentHostKind } from '../../shared/files.js';
import type { User } from '../entities/User.js';
import { forbidden, notFound } from '../errors.js';
import { announcementVisibilityFilter } from './announcements.js';
import { replyVisibilityFilter, threadVisibilityFilter } from './boards.js';
import { customerVisibilityFilter, type SqlFilter } from './customers.js';
import { reportReadableFilter } from './reports.js';
import { entryVisibilityFilter } from './schedule.js';

/** Joins SQL filters with their parameters in text order. */
function all(parts: (string | SqlFilter)[]): SqlFilter {
  const params: unknown[] = [];
  const sql = parts.map((p) => (typeof p === 'string' ? p : (params.push(...p.params), p.sql))).join('');
  return { sql, params };
}

/**
 * For each kind of object that holds files, THE "who may see this" predicate of that kind, on the
 * object whose id is `${a}.host_id`. Nothing here is a rule of its own: chat is membership of the
 * message's conversation (a deleted message shows nothing); threads and replies the boards' thread
 * rule; reports the reading rule; annotations their subject's rule (an entry's or a report's);
 * announcements their scope; customers the customers' visibility.
 */
async function hostVisible(em: EntityManager, user: User, a: string): Promise<Record<AttachmentHostKind, SqlFilter>> {
  const [thread, reply, customer] = await Promise.all([threadVisibilityFilter(em, user, 'fth'), replyVisibilityFilter(em, user, 'frr', 'frt'), customerVisibilityFilter(em, user, 'fcu')]);
  return {
    message: { sql: `EXISTS (SELECT 1 FROM messages fm JOIN conversation_members fcm ON fcm.conversation_id = fm.conversation_id AND fcm.user_id = ? WHERE fm.id = ${a}.host_id AND fm.deleted_at IS NULL)`, params: [user.id] },
    thread: all([`EXISTS (SELECT 1 FROM board_threads fth WHERE fth.id = ${a}.host_id AND `, thread, ')']),
    reply: all([`EXISTS (SELECT 1 FROM board_replies frr JOIN board_threads frt ON frt.id = frr.thread_id WHERE frr.id = ${a}.host_id AND frr.deleted_at IS NULL AND `, reply, ')']),
    report: all([`EXISTS (SELECT 1 FROM reports frp WHERE frp.id = ${a}.host_id AND `, reportReadableFilter(user, 'frp'), ')']),
    annotation: all([
      `EXISTS (SELECT 1 FROM annotations fan LEFT JOIN reports fanr ON fanr.id = fan.report_id LEFT JOIN schedule_entries fane ON fane.id = fan.entry_id WHERE fan.id = ${a}.host_id AND fan.deleted_at IS NULL AND ((fanr.id IS NOT NULL AND `,
      reportReadableFilter(user, 'fanr'),
      ') OR (fane.id IS NOT NULL AND ',
      entryVisibilityFilter(user, 'fane'),
      ')))',
    ]),
    announcement: all([`EXISTS (SELECT 1 FROM announcements fas WHERE fas.id = ${a}.host_id AND `, announcementVisibilityFilter(user, 'fas'), ')']),
    customer: all([`EXISTS (SELECT 1 FROM customers fcu WHERE fcu.id = ${a}.host_id AND `, customer, ')']),
  };
}

/**
 * THE "who may see this file" predicate, on the files alias `f`: its uploader, and whoever may see
 * at least one object it is attached to, by that object's own predicate (hostVisible). Every read
 * of a file uses it: its content, its thumbnail, the S3 link, its details. Search and the workbench
 * are to use it as it is: `WHERE … AND ${filter.sql}`.
 */
export async function fileVisibilityFilter(em: EntityManager, user: User, f = 'f'): Promise<SqlFilter> {
  const hosts = await hostVisible(em, user, 'fat');
  const branches: (string | SqlFilter)[] = [{ sql: `(${f}.uploader_id = ? OR EXISTS (SELECT 1 FROM attachments fat WHERE fat.file_id = ${f}.id AND (`, params: [user.id] }];
  Object.entries(hosts).forEach(([kind, filter], index) => {
    branches.push(`${index ? ' OR ' : ''}(fat.host_kind = '${kind}' AND `, filter, ')');
  });
  branches.push(')))');
  return all(branches);
}

/** The predicate of one kind of host on `${a}.host_id`, for the attachments of one object. */
export async function hostVisibilityFilter(em: EntityManager, user: User, kind: AttachmentHostKind, a = 'at'): Promise<SqlFilter> {
  return (await hostVisible(em, user, a))[kind];
}

/** The host if the user may see it; a 404 that does not reveal whether it exists otherwise. */
export async function requireVisibleHost(em: EntityManager, user: User, kind: AttachmentHostKind, id: string): Promise<void> {
  const filter = await hostVisibilityFilter(em, user, kind, 'h');
  const rows = await em.execute(`SELECT 1 FROM (SELECT ?::bigint AS host_id) h WHERE ${filter.sql}`, [id, ...filter.params]);
  if (rows.length === 0) throw notFound('The object');
}

/**
 * Who may add files to an object they see: the author of a message, thread, reply, report (a draft
 * or their own submitted one) or annotation; the publisher of an announcement; anyone who sees a
 * customer (its files are shared like its feed). Others get a 403.
 */
export async function requireMayAttach(em: EntityManager, user: User, kind: AttachmentHostKind, id: string): Promise<void> {
  await requireVisibleHost(em, user, kind, id);
  if (kind === 'customer') return;
  const ownerColumn: Record<Exclude<AttachmentHostKind, 'customer'>, string> = {
    message: 'SELECT author_id FROM messages WHERE id = ?',
    thread: 'SELECT author_id FROM board_threads WHERE id = ?',
    reply: 'SELECT author_id FROM board_replies WHERE id = ?',
    report: 'SELECT author_id FROM reports WHERE id = ?',
    annotation: 'SELECT author_id FROM annotations WHERE id = ?',
    announcement: 'SELECT publisher_id AS author_id FROM announcements WHERE id = ?',
  };
  const [row] = await em.execute<{ author_id: string }[]>(ownerColumn[kind], [id]);
  if (!row || String(row.author_id) !== String(user.id)) throw forbidden('Only its author may add files to it');
}

/** The file if the user may see it (a 404 otherwise, also for an id that does not exist). */
export async function requireVisibleFile(em: EntityManager, user: User, fileId: string): Promise<void> {
  const filter = await fileVisibilityFilter(em, user, 'f');
  const rows = await em.execute(`SELECT 1 FROM files f WHERE f.id = ? AND ${filter.sql}`, [fileId, ...filter.params]);
  if (rows.length === 0) throw notFound('The file');
}
