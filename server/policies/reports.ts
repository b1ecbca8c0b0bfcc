import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../db/sql.js';
import type { ReportDTO } from '../../shared/reports.js';
import type { User } from '../entities/User.js';
import { forbidden, notFound } from '../errors.js';
import type { SqlFilter } from './customers.js';
import { managedDepartmentsOf, subordinateIdsOf } from './hierarchy.js';
import { departmentIdOf } from './schedule.js';

/** A user as SQL: their id, whether they are an administrator, and their department (`?` or columns). */
type Viewer = { id: string; admin: string; department: string };

/** The department and every department above it. */
const departmentAndAbove = (department: string) => `
  WITH RECURSIVE up(id, parent_id) AS (
    SELECT ud.id, ud.parent_id FROM departments ud WHERE ud.id = ${department}
    UNION
    SELECT ud.id, ud.parent_id FROM departments ud JOIN up ON ud.id = up.parent_id
  ) SELECT id FROM up`;

/**
 * How a test "report `r` is one of the reports in (SELECT report_id …)" is written:
 * - `probe` (the default): `EXISTS`, one index probe per report asked about — cheapest when the
 *   reports come from elsewhere (a page of the inbox, one report, a list of ids);
 * - `set`: `r.id = ANY(ARRAY(…))`, the set computed once per statement, so that every branch of the
 *   rule is an index condition on reports and the planner can START from the reports the user may
 *   read (a BitmapOr of the author and id sets) instead of testing each of many candidate reports
 *   (search: tens of thousands of documents match a common word, a manager reads a few thousand
 *   reports). Same tables, same conditions: the same rule.
 */
export type ReportRuleForm = 'probe' | 'set';

const reportIn = (form: ReportRuleForm, r: string, alias: string, from: string, where: string) =>
  form === 'set'
    ? `${r}.id = ANY(ARRAY(SELECT ${alias}.report_id FROM ${from} ${alias} WHERE ${where}))`
    : `EXISTS (SELECT 1 FROM ${from} ${alias} WHERE ${alias}.report_id = ${r}.id AND ${where})`;

/**
 * The viewer is one the report was sent to: a receiver (superiors and copied people and departments at
 * submission), a superior of the author now, or in a department it was copied to. The receiver test
 * comes first: one index probe, which settles it for nearly every reader.
 */
function receiverSql(v: Viewer, r: string, form: ReportRuleForm = 'probe'): string {
  const receiver = reportIn(form, r, 'rv', 'report_receivers', `rv.user_id = ${v.id}`);
  const subordinate = `${r}.author_id = ANY(ARRAY(${subordinateIdsOf(v.id)}))`;
  const copied = reportIn(form, r, 'rc', 'report_cc_departments', `rc.department_id IN (${departmentAndAbove(v.department)})`);
  // In the `set` form each test of a report row is a search through an array (PostgreSQL hashes only
  // constant arrays): the subordinates (a manager's hundred people) before the reports received (a
  // manager's thousands), which every subordinate's report would otherwise be compared with in turn.
  return form === 'set' ? `(${subordinate} OR ${receiver} OR ${copied})` : `(${receiver} OR ${subordinate} OR ${copied})`;
}

/**
 * Who may read a report (alias `r`) — THE predicate of every read of reports: the inbox, the report
 * page, its annotations (also found by annotation id), read lists, exports, the targets of its
 * notifications and the `report:<id>` stream. A draft is its author's alone. A submitted report is
 * read by its author; by those it was sent to (the receivers stored at submission — superiors, copied
 * people, members and heads of copied departments — the author's superiors now, and the members of
 * copied departments now); by those above
 * them in the hierarchy (superiors of a receiver, managers of a copied department or above it); and
 * by administrators. Everyone else gets a 404.
 *
 * The subordinates are arrays computed once per statement (`= ANY(ARRAY(...))`), so the author test
 * is an index condition, not a subplan per report.
 */
function readableSql(v: Viewer, r: string, form: ReportRuleForm = 'probe'): string {
  return `(${r}.author_id = ${v.id} OR (${r}.status = 'submitted' AND (${v.admin}
    OR ${receiverSql(v, r, form)}
    OR ${reportIn(form, r, 'ra', 'report_receivers', `ra.user_id = ANY(ARRAY(${subordinateIdsOf(v.id)}))`)}
    OR ${reportIn(form, r, 'ca', 'report_cc_departments', `ca.department_id IN (${managedDepartmentsOf(v.id)})`)})))`;
}

/** `readableSql` for one bound user: the SQL and its parameters in order. */
function bound(user: User, build: (v: Viewer) => string, administrators: boolean): SqlFilter {
  const params: unknown[] = [];
  const id = () => (params.push(user.id), '?');
  // Each `?` is a fresh parameter; the viewer's fields are spliced in as they appear in the text.
  const marker = { id: '\u0001', admin: '\u0002', department: '\u0003' };
  const template = build(marker);
  const sql = template.replace(/[\u0001\u0002\u0003]/g, (c) => {
    if (c === '\u0001') return id();
    if (c === '\u0002') return administrators && user.role === 'admin' ? 'TRUE' : 'FALSE';
    params.push(departmentIdOf(user));
    return '?';
  });
  return { sql, params };
}

/** The reports (alias `alias`) the user may read: see readableSql; `form` see ReportRuleForm (search asks for `set`). */
export function reportReadableFilter(user: User, alias = 'r', form: ReportRuleForm = 'probe'): SqlFilter {
  return bound(user, (v) => readableSql(v, alias, form), true);
}

/** Whether the user is one report `alias` was sent to (who annotates it), as a selectable SQL expression. */
export function reportReceiverFilter(user: User, alias = 'r'): SqlFilter {
  return bound(user, (v) => `(${alias}.status = 'submitted' AND ${alias}.author_id <> ${v.id} AND ${receiverSql(v, alias)})`, false);
}

/** The reading predicate asked of every user `u` of a query about report `r` (who may be told about it). */
export function reportAudienceSql(u: string, r: string): string {
  return readableSql({ id: `${u}.id`, admin: `${u}.role = 'admin'`, department: `${u}.department_id` }, r);
}

/** Of the reports asked about, those the user may read (the `report:<id>` stream policy). */
export async function readableReports(em: EntityManager, user: User, ids: string[]): Promise<Set<string>> {
  const filter = reportReadableFilter(user);
  const rows = await em.execute<{ id: string }[]>(`SELECT r.id::text AS id FROM reports r WHERE r.id = ANY(?::bigint[]) AND ${filter.sql}`, [pgArray(ids), ...filter.params]);
  return new Set(rows.map((row) => String(row.id)));
}

export type ReportAccess = { id: string; authorId: string; status: 'draft' | 'submitted'; kind: 'daily' | 'weekly' | 'monthly'; periodStart: string; periodEnd: string; receiver: boolean; revision: number };

/** The report if the user may read it, or a 404 that does not reveal whether it exists; with whether they are one it was sent to. */
export async function requireReadableReport(em: EntityManager, user: User, reportId: string, options: { lock?: boolean } = {}): Promise<ReportAccess> {
  const readable = reportReadableFilter(user);
  const receiver = reportReceiverFilter(user);
  const [row] = await em.execute<{ id: string; author_id: string; status: 'draft' | 'submitted'; kind: ReportAccess['kind']; period_start: string; period_end: string; receiver: boolean; revision: number }[]>(
    `SELECT r.id::text AS id, r.author_id::text AS author_id, r.status, r.kind, r.period_start::text AS period_start, r.period_end::text AS period_end, r.revision, ${receiver.sql} AS receiver
     FROM reports r WHERE r.id = ? AND ${readable.sql} ${options.lock ? 'FOR UPDATE OF r' : ''}`,
    [...receiver.params, reportId, ...readable.params],
  );
  if (!row) throw notFound('The report');
  return { id: String(row.id), authorId: String(row.author_id), status: row.status, kind: row.kind, periodStart: row.period_start, periodEnd: row.period_end, receiver: row.receiver, revision: Number(row.revision) };
}

/** Only the author changes a report; others who may read it get a 403. The row is locked for the change. */
export async function requireReportAuthor(em: EntityManager, user: User, reportId: string): Promise<ReportAccess> {
  const report = await requireReadableReport(em, user, reportId, { lock: true });
  if (report.authorId !== user.id) throw forbidden('Only the author may change a report');
  return report;
}

/** Those a submitted report was sent to annotate it; its author and those who read it only from above may not. */
export async function requireReportAnnotator(em: EntityManager, user: User, reportId: string): Promise<ReportAccess> {
  const report = await requireReadableReport(em, user, reportId);
  if (!report.receiver) throw forbidden('Only those the report was sent to may annotate it');
  return report;
}

/**
 * What a viewer may do with a report (the `can` of ReportDTO), from what the reading query found: its
 * author changes it while its period is open and submits a draft; those it was sent to annotate it;
 * the author (once submitted) and they reply under annotations. The require… checks enforce the same.
 */
export function reportAbilities(r: { viewerId: string; authorId: string; status: 'draft' | 'submitted'; closed: boolean; receiver: boolean }): ReportDTO['can'] {
  const author = r.viewerId === r.authorId;
  return { edit: author && !r.closed, submit: author && r.status === 'draft' && !r.closed, annotate: r.receiver, reply: author ? r.status === 'submitted' : r.receiver };
}

/** The author and those the report was sent to reply under its annotations. */
export function mayReplyOnReport(user: User, report: ReportAccess): boolean {
  return report.authorId === user.id || report.receiver;
}

/**
 * Whose submission status one may see: administrators every department's, a manager the departments
 * they manage and everything below them; for anyone else the department is a 404.
 */
export async function requireStatusViewer(em: EntityManager, user: User, departmentId: string): Promise<void> {
  if (user.role === 'admin') {
    const [row] = await em.execute(`SELECT 1 FROM departments WHERE id = ?`, [departmentId]);
    if (!row) throw notFound('The department');
    return;
  }
  const rows = await em.execute(`SELECT 1 FROM (${managedDepartmentsOf('?')}) m WHERE m.id = ?`, [user.id, departmentId]);
  if (!rows.length) throw notFound('The department');
}

/** Of the departments given, those outside the user's authority (all within it for an administrator). */
export async function departmentsOutsideAuthority(em: EntityManager, user: User, departmentIds: string[]): Promise<string[]> {
  if (user.role === 'admin' || departmentIds.length === 0) return [];
  const rows = await em.execute<{ id: string }[]>(`SELECT m.id::text AS id FROM (${managedDepartmentsOf('?')}) m WHERE m.id = ANY(?::bigint[])`, [user.id, pgArray(departmentIds)]);
  const inside = new Set(rows.map((r) => String(r.id)));
  return departmentIds.filter((id) => !inside.has(id));
}

/**
 * Templates and rules are the administrators' for the whole organisation, and a manager's for the
 * departments they manage (with everything below): a template or rule about other departments, or
 * about none (the organisation), is refused with a 403.
 */
export async function requireDepartmentsAuthority(em: EntityManager, user: User, departmentIds: string[], what: string): Promise<void> {
  if (user.role === 'admin') return;
  if (departmentIds.length === 0) throw forbidden(`Only administrators set ${what} for the whole organisation`);
  if ((await departmentsOutsideAuthority(em, user, departmentIds)).length) throw forbidden(`You may set ${what} only for departments you manage`);
}

/** Whether someone may set a person's period as not required: administrators and the person's superiors. */
export async function requireSuperiorOrAdmin(em: EntityManager, user: User, personId: string): Promise<void> {
  if (user.role === 'admin') {
    if (!(await em.execute(`SELECT 1 FROM users WHERE id = ?`, [personId])).length) throw notFound('The person');
    return;
  }
  const rows = await em.execute(`SELECT 1 FROM users u WHERE u.id = ? AND u.id IN (${subordinateIdsOf('?')})`, [personId, user.id, user.id]);
  if (!rows.length) throw notFound('The person');
}

/** The department a status view opens on: the organisation for administrators, the top of what a manager manages; 404 for anyone else. */
export async function defaultStatusDepartment(em: EntityManager, user: User): Promise<string> {
  const [row] = await em.execute<{ id: string }[]>(
    user.role === 'admin'
      ? `SELECT id::text AS id FROM departments WHERE parent_id IS NULL ORDER BY id LIMIT 1`
      : `SELECT dm.department_id::text AS id FROM department_managers dm JOIN departments d ON d.id = dm.department_id
         WHERE dm.user_id = ? AND NOT EXISTS (SELECT 1 FROM (${managedDepartmentsOf('?')}) m WHERE m.id = d.parent_id) ORDER BY d.name, d.id LIMIT 1`,
    user.role === 'admin' ? [] : [user.id, user.id],
  );
  if (!row) throw notFound('A department whose reports you follow');
  return String(row.id);
}
