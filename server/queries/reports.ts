import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnotationDTO } from '../../shared/annotations.js';
import type { Page } from '../../shared/dto.js';
import type { ReportKind } from '../../shared/reportPeriods.js';
import type { ReportDTO, ReportSummaryDTO, ReportVersionDTO } from '../../shared/reports.js';
import type { RichTextDocument } from '../../shared/richText/nodes.js';
import type { User } from '../entities/User.js';
import { badRequest, notFound } from '../errors.js';
import { annotationAbilities, type SubjectAccess } from '../policies/annotations.js';
import { reportAbilities, reportReadableFilter, reportReceiverFilter } from '../policies/reports.js';
import { presentThreads, type MarkTexts } from '../presenters/annotation.js';
import { isoInstant } from '../presenters/instants.js';
import { presentReport, presentReportSummary, sectionMarkTexts, type ReportDetailRow, type ReportSummaryRow } from '../presenters/report.js';
import { annotationColumns, annotationJoins, subjectAnnotationRows } from './annotations.js';
import { keysetCursor, pageOf, readKeysetCursor } from './pagination.js';
import { orgSettingDefaults } from './settings.js';
import { dateOnlySchema } from '../../shared/schemas/common.js';
import { preparedQuery } from '../db/prepared.js';

/** A cursor's key that is not of the kind it should be: the same 400 as a cursor not made here. */
const checkedKey = (value: string, valid: (value: string) => boolean) => {
  if (!valid(value)) throw badRequest('The cursor is not one this list gave out: start again from the first page', [{ path: 'cursor', message: 'not a cursor of this list', code: 'invalid_cursor' }]);
  return value;
};
/** PostgreSQL's text of a timestamptz in UTC, naming a real instant of years 1900–9999. */
const PG_INSTANT = (v: string) => {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d{1,6})?\+00$/.exec(v);
  return !!m && dateOnlySchema.safeParse(m[1]).success && new Date(`${m[1]}T${m[2]}Z`).toISOString().slice(11, 19) === m[2];
};
const DATE = (v: string) => dateOnlySchema.safeParse(v).success;

/** Columns of a report itself (aliases r, au the author, d the department). */
const reportColumns = `r.id::text AS id, r.author_id::text AS author_id, au.display_name AS author_name, au.email AS author_email,
  r.department_id::text AS department_id, d.name AS department_name, r.kind, r.period_start::text AS period_start, r.period_end::text AS period_end,
  r.status, r.submitted_at, r.deadline_at, r.version, left(r.text, 200) AS preview, r.updated_at`;
/** Columns of a report in a list (aliases r, au the author, d the department); `?` takes the viewer's id, twice. */
const summaryColumns = `${reportColumns},
  (r.status = 'submitted' AND r.author_id <> ? AND NOT EXISTS (SELECT 1 FROM report_reads x WHERE x.report_id = r.id AND x.user_id = ?)) AS unread,
  (SELECT count(*) FROM annotations a WHERE a.report_id = r.id AND a.parent_id IS NULL AND a.deleted_at IS NULL)::int AS annotation_count,
  (SELECT count(*) FROM report_reads x WHERE x.report_id = r.id)::int AS read_count`;
const summaryJoins = `JOIN users au ON au.id = r.author_id LEFT JOIN departments d ON d.id = r.department_id`;

const userJson = (u: string) => `'id', ${u}.id::text, 'display_name', ${u}.display_name, 'email', ${u}.email`;

/**
 * One report as its page shows it — content, receivers, read list, earlier versions, linked entries,
 * annotations with replies — in one statement, for a user the reading predicate admits (null otherwise).
 * The list's counts and unread marker are not asked of the database again: the presenter counts
 * them in the read list and annotations the statement returns anyway.
 */
export async function reportDetail(em: EntityManager, user: User, reportId: string): Promise<ReportDTO | null> {
  const readable = reportReadableFilter(user);
  const receiver = reportReceiverFilter(user);
  // Planned once per connection: the reading rule makes this a large statement to plan.
  const [row] = await preparedQuery<ReportDetailRow>(
    em,
    `SELECT ${reportColumns}, r.template_id::text AS template_id, r.sections, r.content, r.revision, ${receiver.sql} AS receiver,
       r.deadline_at + make_interval(days => coalesce((SELECT (s.value #>> '{}')::int FROM org_settings s WHERE s.key = 'reportClosedAfterDays'), ?)) < now() AS closed,
       coalesce((SELECT json_agg(json_build_object(${userJson('ru')}, 'role', rr.role, 'read_at', rd.read_at) ORDER BY rr.role DESC, rr.position, ru.display_name)
                 FROM report_receivers rr JOIN users ru ON ru.id = rr.user_id LEFT JOIN report_reads rd ON rd.report_id = rr.report_id AND rd.user_id = rr.user_id
                 WHERE rr.report_id = r.id AND rr.role <> 'cc_department'), '[]') AS receivers,
       coalesce((SELECT json_agg(json_build_object('id', cd.id::text, 'name', cd.name) ORDER BY cd.name) FROM report_cc_departments rc JOIN departments cd ON cd.id = rc.department_id WHERE rc.report_id = r.id), '[]') AS cc_departments,
       coalesce((SELECT json_agg(json_build_object(${userJson('xu')}, 'read_at', x.read_at) ORDER BY x.read_at) FROM report_reads x JOIN users xu ON xu.id = x.user_id WHERE x.report_id = r.id), '[]') AS reads,
       coalesce((SELECT json_agg(json_build_object('version', v.version, 'saved_at', v.saved_at) ORDER BY v.version) FROM report_versions v WHERE v.report_id = r.id), '[]') AS versions,
       coalesce((SELECT json_agg(json_build_object('entry_id', l.entry_id::text, 'entry_title', e.title, 'customer_id', l.customer_id::text, 'customer_name', c.name) ORDER BY e.starts_at)
                 FROM report_links l JOIN schedule_entries e ON e.id = l.entry_id LEFT JOIN customers c ON c.id = l.customer_id WHERE l.report_id = r.id), '[]') AS links,
       coalesce((SELECT json_agg(a ORDER BY a.id::bigint) FROM (SELECT ${annotationColumns} FROM annotations a ${annotationJoins} WHERE a.report_id = r.id) a), '[]') AS annotations
     FROM reports r ${summaryJoins}
     WHERE r.id = ? AND ${readable.sql}`,
    [...receiver.params, orgSettingDefaults.reportClosedAfterDays, reportId, ...readable.params],
  );
  if (!row) return null;
  const can = reportAbilities({ viewerId: user.id, authorId: String(row.author_id), status: row.status, closed: row.closed, receiver: row.receiver });
  const subject = { viewerId: user.id, reply: can.reply, resolve: String(row.author_id) === user.id && row.status === 'submitted' };
  return presentReport(row, user.id, can, (a) => annotationAbilities(a, subject));
}

/** The text every passage mark of a report holds now, per section. */
export async function reportMarkTexts(em: EntityManager, reportId: string): Promise<MarkTexts> {
  const [row] = await em.execute<{ content: Record<string, RichTextDocument> }[]>(`SELECT content FROM reports WHERE id = ?`, [reportId]);
  return sectionMarkTexts(row?.content ?? {});
}

/** A subject's annotation threads as the viewer sees them (the caller found the subject visible). */
export async function annotationThreads(em: EntityManager, user: User, access: SubjectAccess): Promise<AnnotationDTO[]> {
  const marks = access.subject.kind === 'report' ? await reportMarkTexts(em, access.subject.id) : null;
  const subject = { viewerId: user.id, reply: access.reply, resolve: access.resolve };
  return presentThreads(await subjectAnnotationRows(em, access.subject), (a) => annotationAbilities(a, subject), marks);
}

/** One thread (an annotation and its replies) of a subject the caller found visible. */
export async function subjectThread(em: EntityManager, user: User, access: SubjectAccess, topId: string): Promise<AnnotationDTO> {
  const thread = (await annotationThreads(em, user, access)).find((a) => a.id === topId);
  if (!thread) throw notFound('The annotation');
  return thread;
}

/** An earlier version of a report the user may read. */
export async function reportVersion(em: EntityManager, user: User, reportId: string, version: number): Promise<ReportVersionDTO> {
  const readable = reportReadableFilter(user);
  const [row] = await em.execute<{ sections: ReportVersionDTO['sections']; content: ReportVersionDTO['content']; submitted_at: string | null; saved_at: string }[]>(
    `SELECT v.sections, v.content, v.submitted_at, v.saved_at FROM report_versions v JOIN reports r ON r.id = v.report_id WHERE v.report_id = ? AND v.version = ? AND ${readable.sql}`,
    [reportId, version, ...readable.params],
  );
  if (!row) throw notFound('The version of the report');
  return { reportId, version, sections: row.sections, content: row.content, submittedAt: row.submitted_at ? isoInstant(row.submitted_at) : null, savedAt: isoInstant(row.saved_at) };
}

export type InboxQuery = { authorId?: string; departmentId?: string; kind?: ReportKind; from?: string; to?: string; status?: 'unread' | 'read' | 'late' | 'on_time'; cursor?: string; limit: number };

/**
 * The inbox: submitted reports sent to the user — as a superior of the author, copied in, or as a
 * member or head of a department copied in (the receivers of each report, kept at submission) — that
 * the reading predicate admits, newest first, with unread markers; by person, department (with those
 * below it), kind, period and status; paged by a cursor of (submitted at, id). Walking the receivers
 * by (user, submission time) keeps a page one index range however many reports there are.
 */
export async function reportInbox(em: EntityManager, user: User, query: InboxQuery): Promise<Page<ReportSummaryDTO>> {
  const readable = reportReadableFilter(user);
  const where = [`v.user_id = ?`, `v.submitted_at IS NOT NULL`, `r.status = 'submitted'`, `r.author_id <> ?`, readable.sql];
  const params: unknown[] = [user.id, user.id, ...readable.params];
  if (query.authorId) (where.push(`r.author_id = ?`), params.push(query.authorId));
  if (query.departmentId) {
    where.push(`r.department_id IN (WITH RECURSIVE sub(id) AS (SELECT ?::bigint UNION SELECT sd.id FROM departments sd JOIN sub ON sd.parent_id = sub.id) SELECT id FROM sub)`);
    params.push(query.departmentId);
  }
  if (query.kind) (where.push(`r.kind = ?`), params.push(query.kind));
  if (query.from) (where.push(`r.period_end >= ?`), params.push(query.from));
  if (query.to) (where.push(`r.period_start <= ?`), params.push(query.to));
  if (query.status === 'unread' || query.status === 'read') {
    where.push(`${query.status === 'unread' ? 'NOT ' : ''}EXISTS (SELECT 1 FROM report_reads xs WHERE xs.report_id = r.id AND xs.user_id = ?)`);
    params.push(user.id);
  }
  if (query.status === 'late') where.push(`r.submitted_at > r.deadline_at`);
  if (query.status === 'on_time') where.push(`r.submitted_at <= r.deadline_at`);
  if (query.cursor) {
    const [at, id] = readKeysetCursor(query.cursor, ['string', 'id']);
    where.push(`(v.submitted_at, v.report_id) < (?::timestamptz, ?::bigint)`);
    params.push(checkedKey(at, PG_INSTANT), id);
  }
  const rows = await preparedQuery<ReportSummaryRow & { cursor_at: string }>(
    em,
    `SELECT ${summaryColumns}, v.submitted_at::text AS cursor_at FROM report_receivers v JOIN reports r ON r.id = v.report_id ${summaryJoins}
     WHERE ${where.join(' AND ')} ORDER BY v.submitted_at DESC, v.report_id DESC LIMIT ?`,
    [user.id, user.id, ...params, query.limit + 1],
  );
  return pageOf(rows, query.limit, (page) => page.map(presentReportSummary), (last) => keysetCursor([last.cursor_at, String(last.id)]));
}

/** One's own reports, drafts included, newest period first. */
export async function myReports(em: EntityManager, user: User, query: { kind?: ReportKind; cursor?: string; limit: number }): Promise<Page<ReportSummaryDTO>> {
  const where = [`r.author_id = ?`];
  const params: unknown[] = [user.id];
  if (query.kind) (where.push(`r.kind = ?`), params.push(query.kind));
  if (query.cursor) {
    const [start, id] = readKeysetCursor(query.cursor, ['string', 'id']);
    where.push(`(r.period_start, r.id) < (?::date, ?::bigint)`);
    params.push(checkedKey(start, DATE), id);
  }
  const rows = await em.execute<ReportSummaryRow[]>(
    `SELECT ${summaryColumns} FROM reports r ${summaryJoins} WHERE ${where.join(' AND ')} ORDER BY r.period_start DESC, r.id DESC LIMIT ?`,
    [user.id, user.id, ...params, query.limit + 1],
  );
  return pageOf(rows, query.limit, (page) => page.map(presentReportSummary), (last) => keysetCursor([last.period_start, String(last.id)]));
}

/** One's reports (drafts included) of the given periods, each a kind and its first day: the workbench's current ones. */
export async function myReportsOfPeriods(em: EntityManager, user: User, periods: { kind: ReportKind; start: string }[]): Promise<ReportSummaryDTO[]> {
  const rows = await preparedQuery<ReportSummaryRow>(
    em,
    `SELECT ${summaryColumns} FROM reports r ${summaryJoins}
     WHERE r.author_id = ? AND (r.kind, r.period_start) IN (SELECT k, s FROM unnest(?::text[], ?::date[]) AS p(k, s))`,
    [user.id, user.id, user.id, `{${periods.map((p) => p.kind).join(',')}}`, `{${periods.map((p) => p.start).join(',')}}`],
  );
  return rows.map(presentReportSummary);
}
