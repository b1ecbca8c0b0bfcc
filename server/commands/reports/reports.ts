import { addDays, periodOf, type Period, type ReportKind } from '../../../shared/reportPeriods.js';
import { reportStream, type ReportDTO, type ReportSectionDTO } from '../../../shared/reports.js';
import { isRichTextEmpty, type RichTextDocument } from '../../../shared/richText/index.js';
import { pgArray } from '../../db/sql.js';
import { parseRichText, richTextToPlainText } from '../../editor/index.js';
import { filterMarks } from '../../editor/marks.js';
import { AppError, badRequest, conflict } from '../../errors.js';
import { requireReadableReport, requireReportAuthor, type ReportAccess } from '../../policies/reports.js';
import { departmentIdOf } from '../../policies/schedule.js';
import { deadlineOf, dueRuleFor, readReportCalendar, todayIn, type ReportCalendar } from '../../queries/reportCalendar.js';
import { reportDetail } from '../../queries/reports.js';
import { feedItemAppender } from '../customers/feed.js';
import { appendEvent, type CommandContext } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients } from '../notifications/recipients.js';
import { describeReport } from './titles.js';

/** The calendar around a period: its holidays and those up to a month after it (deadlines can fall after the period). */
const calendarAround = (cx: CommandContext, period: Period) => readReportCalendar(cx.em, { start: period.start, end: addDays(period.end, 40) });

/** The report as its author sees it after a change. */
export async function authorView(cx: CommandContext, reportId: string): Promise<ReportDTO> {
  return (await reportDetail(cx.em, cx.actor, reportId))!;
}

/** A period one may no longer report on: its deadline lies more than the organisation's `reportClosedAfterDays` behind. */
function assertOpen(deadline: Date, calendar: ReportCalendar, path = 'date') {
  if (deadline.getTime() + calendar.closedAfterDays * 86_400_000 < Date.now()) {
    throw badRequest(`The period is closed: reports are accepted until ${calendar.closedAfterDays} days after their deadline`, [{ path, code: 'period_closed', message: 'the period is closed' }]);
  }
}

/** A period too far ahead: it starts more than the organisation's `reportDaysAhead` days after today. */
function assertNotTooFarAhead(period: Period, calendar: ReportCalendar, path = 'date') {
  const latest = addDays(todayIn(calendar.timeZone), calendar.daysAhead);
  if (period.start > latest) throw badRequest(`Reports may be written at most ${calendar.daysAhead} days ahead`, [{ path, code: 'too_far_ahead', message: `at most ${calendar.daysAhead} days ahead` }]);
}

/**
 * The template for one's report of a kind: of the active templates for that kind, the one applying to
 * the nearest department up from the author's (their own first), else the built-in template.
 */
async function templateFor(cx: CommandContext, kind: ReportKind, departmentId: string): Promise<{ id: string; sections: ReportSectionDTO[] }> {
  const [row] = await cx.em.execute<{ id: string; sections: ReportSectionDTO[] }[]>(
    `WITH RECURSIVE up(id, depth) AS (
       SELECT ?::bigint, 0
       UNION ALL
       SELECT d.parent_id, up.depth + 1 FROM departments d JOIN up ON d.id = up.id WHERE d.parent_id IS NOT NULL
     )
     SELECT t.id::text AS id, t.sections FROM report_templates t
     LEFT JOIN LATERAL (SELECT min(up.depth) AS depth FROM up WHERE t.department_ids @> to_jsonb(up.id::text)) m ON true
     WHERE t.active AND t.kinds @> to_jsonb(?::text) AND (m.depth IS NOT NULL OR t.built_in)
     ORDER BY m.depth IS NULL, m.depth, t.built_in, t.updated_at DESC, t.id DESC LIMIT 1`,
    [departmentId, kind],
  );
  if (!row) throw conflict(`No template for ${kind} reports is active: an administrator must activate one`);
  return row;
}

/**
 * Opens the author's report of a kind for the period holding `date`: the existing one, or a new draft
 * in the template that applies to them. A period too far ahead or already closed is refused.
 */
export async function reportOpener(cx: CommandContext, input: { kind: ReportKind; date: string }): Promise<{ report: ReportDTO; created: boolean }> {
  const { em: tx, actor } = cx;
  const period = periodOf(input.kind, input.date);
  const [existing] = await tx.execute<{ id: string }[]>(`SELECT id::text AS id FROM reports WHERE author_id = ? AND kind = ? AND period_start = ?`, [actor.id, input.kind, period.start]);
  if (existing) return { report: await authorView(cx, existing.id), created: false };
  const calendar = await calendarAround(cx, period);
  assertNotTooFarAhead(period, calendar);
  const departmentId = departmentIdOf(actor);
  const deadline = deadlineOf(input.kind, period, await dueRuleFor(tx, input.kind, departmentId), calendar);
  assertOpen(deadline, calendar);
  const template = await templateFor(cx, input.kind, departmentId);
  // Two tabs opening the same report at once: one inserts, both answer the same report.
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO reports (author_id, kind, period_start, period_end, template_id, sections, content, text, status, revision, version, department_id, deadline_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, '{}', '', 'draft', 0, 1, ?, ?, now(), now())
     ON CONFLICT ON CONSTRAINT reports_author_period_unique DO NOTHING RETURNING id::text AS id`,
    [actor.id, input.kind, period.start, period.end, template.id, JSON.stringify(template.sections), departmentId, deadline],
  );
  if (!row) {
    const [other] = await tx.execute<{ id: string }[]>(`SELECT id::text AS id FROM reports WHERE author_id = ? AND kind = ? AND period_start = ?`, [actor.id, input.kind, period.start]);
    return { report: await authorView(cx, other.id), created: false };
  }
  return { report: await authorView(cx, row.id), created: true };
}

type Stored = { sections: ReportSectionDTO[]; content: Record<string, RichTextDocument>; revision: number; version: number; status: 'draft' | 'submitted'; first_read_at: string | null; deadline_at: string; period_start: string; period_end: string; kind: ReportKind };

async function stored(cx: CommandContext, reportId: string): Promise<Stored> {
  const [row] = await cx.em.execute<Stored[]>(
    `SELECT sections, content, revision, version, status, first_read_at, deadline_at, period_start::text AS period_start, period_end::text AS period_end, kind FROM reports WHERE id = ?`,
    [reportId],
  );
  return { ...row, revision: Number(row.revision), version: Number(row.version) };
}

/** All sections as plain text, titled: previews, exports and search read it. */
export function reportPlainText(sections: readonly ReportSectionDTO[], content: Record<string, RichTextDocument>): string {
  return sections
    .map((s) => ({ title: s.title, text: content[s.key] ? richTextToPlainText(content[s.key]) : '' }))
    .filter((s) => s.text.trim() !== '')
    .map((s) => `${s.title}\n${s.text}`)
    .join('\n\n');
}

/** The live passage marks of a report per section: marks of annotations neither deleted nor foreign. */
async function liveMarks(cx: CommandContext, reportId: string): Promise<Map<string, Set<string>>> {
  const rows = await cx.em.execute<{ section_key: string; mark_id: string }[]>(`SELECT section_key, mark_id FROM annotations WHERE report_id = ? AND mark_id IS NOT NULL AND deleted_at IS NULL`, [reportId]);
  const marks = new Map<string, Set<string>>();
  for (const r of rows) marks.set(r.section_key, (marks.get(r.section_key) ?? new Set()).add(r.mark_id));
  return marks;
}

/** Checks the sections sent: known keys, valid rich text; marks other than those of the section's passage annotations are dropped. */
async function checkedContent(cx: CommandContext, reportId: string, sections: readonly ReportSectionDTO[], sent: Record<string, unknown>): Promise<Record<string, RichTextDocument>> {
  const keys = new Set(sections.map((s) => s.key));
  const marks = await liveMarks(cx, reportId);
  const out: Record<string, RichTextDocument> = {};
  for (const [key, raw] of Object.entries(sent)) {
    if (!keys.has(key)) throw badRequest(`The report has no section “${key}”`, [{ path: `content.${key}`, code: 'unknown_section', message: 'the report has no such section' }]);
    try {
      out[key] = filterMarks(parseRichText(raw), (id) => marks.get(key)?.has(id) ?? false);
    } catch (error) {
      if (error instanceof AppError && error.status === 400) throw badRequest(`The section “${key}” is not valid rich text: ${error.message}`, [{ path: `content.${key}`, code: 'invalid_rich_text', message: error.message }]);
      throw error;
    }
  }
  return out;
}

/** Active users and existing departments only, or a 400 naming the field. */
async function checkCc(cx: CommandContext, userIds: string[] | undefined, departmentIds: string[] | undefined) {
  if (userIds?.length) {
    const rows = await cx.em.execute<{ id: string }[]>(`SELECT id::text AS id FROM users WHERE id = ANY(?::bigint[]) AND active`, [pgArray(userIds)]);
    if (rows.length !== new Set(userIds).size) throw badRequest('Copy the report only to active users', [{ path: 'ccUserIds', code: 'unknown_user', message: 'unknown or deactivated user' }]);
    if (userIds.includes(cx.actor.id)) throw badRequest('The author receives no copy of their own report', [{ path: 'ccUserIds', code: 'self', message: 'the author themselves' }]);
  }
  if (departmentIds?.length) {
    const rows = await cx.em.execute<{ id: string }[]>(`SELECT id::text AS id FROM departments WHERE id = ANY(?::bigint[])`, [pgArray(departmentIds)]);
    if (rows.length !== new Set(departmentIds).size) throw badRequest('Copy the report only to existing departments', [{ path: 'ccDepartmentIds', code: 'unknown_department', message: 'unknown department' }]);
  }
}

/** Replaces the copied people and departments (of a draft: its copy list; of a submitted report: its receivers then). */
async function replaceCc(cx: CommandContext, reportId: string, userIds: string[] | undefined, departmentIds: string[] | undefined): Promise<void> {
  if (userIds) {
    await cx.em.execute(`DELETE FROM report_receivers WHERE report_id = ? AND role = 'cc' AND user_id <> ALL(?::bigint[])`, [reportId, pgArray(userIds)]);
    await cx.em.execute(`INSERT INTO report_receivers (report_id, user_id, role, position) SELECT ?, u, 'cc', 0 FROM unnest(?::bigint[]) u ON CONFLICT DO NOTHING`, [reportId, pgArray([...new Set(userIds)])]);
  }
  if (departmentIds) {
    await cx.em.execute(`DELETE FROM report_cc_departments WHERE report_id = ? AND department_id <> ALL(?::bigint[])`, [reportId, pgArray(departmentIds)]);
    await cx.em.execute(`INSERT INTO report_cc_departments (report_id, department_id) SELECT ?, d FROM unnest(?::bigint[]) d ON CONFLICT DO NOTHING`, [reportId, pgArray([...new Set(departmentIds)])]);
  }
}

/**
 * A submitted report's receivers from the departments copied in — their members (with the departments
 * below) and their heads, as they are now — and the submission time on every receiver (what the inbox
 * walks). Answers who was not a receiver before (to tell them).
 */
async function settleReceivers(cx: CommandContext, reportId: string): Promise<string[]> {
  const before = new Set((await cx.em.execute<{ user_id: string }[]>(`SELECT user_id::text AS user_id FROM report_receivers WHERE report_id = ? AND submitted_at IS NOT NULL`, [reportId])).map((r) => String(r.user_id)));
  await cx.em.execute(`DELETE FROM report_receivers WHERE report_id = ? AND role = 'cc_department'`, [reportId]);
  await cx.em.execute(
    `WITH RECURSIVE sub(id) AS (
       SELECT department_id FROM report_cc_departments WHERE report_id = ?
       UNION
       SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id
     ), copied(id) AS (
       SELECT u.id FROM users u WHERE u.department_id IN (SELECT id FROM sub) AND u.active
       UNION
       SELECT dm.user_id FROM department_managers dm JOIN report_cc_departments c ON c.department_id = dm.department_id WHERE c.report_id = ?
     )
     INSERT INTO report_receivers (report_id, user_id, role, position, submitted_at)
     SELECT r.id, c.id, 'cc_department', 0, r.submitted_at FROM copied c JOIN reports r ON r.id = ? AND c.id <> r.author_id
     ON CONFLICT DO NOTHING`,
    [reportId, reportId, reportId],
  );
  const rows = await cx.em.execute<{ user_id: string }[]>(
    `UPDATE report_receivers v SET submitted_at = r.submitted_at FROM reports r WHERE r.id = v.report_id AND v.report_id = ? RETURNING v.user_id::text AS user_id`,
    [reportId],
  );
  return rows.map((r) => String(r.user_id)).filter((id) => !before.has(id));
}

/**
 * Saves the author's changes (autosave): sections and the copied people and departments, from the
 * revision the author's editor started with (a save from an older one is refused: someone's mark or
 * another tab came in between). A submitted report that someone has read keeps its version readable
 * in report_versions before the change.
 */
export async function reportSaver(cx: CommandContext, reportId: string, input: { revision: number; content?: Record<string, unknown>; ccUserIds?: string[]; ccDepartmentIds?: string[] }): Promise<ReportDTO> {
  const { em: tx } = cx;
  await requireReportAuthor(tx, cx.actor, reportId);
  const current = await stored(cx, reportId);
  if (current.revision !== input.revision) throw conflict('The report changed since you opened it (another tab, or a new annotation on a passage): reload it');
  const period = { start: current.period_start, end: current.period_end };
  assertOpen(new Date(current.deadline_at), await calendarAround(cx, period), 'revision');
  await checkCc(cx, input.ccUserIds, input.ccDepartmentIds);
  let version = current.version;
  if (input.content) {
    const content = { ...current.content, ...(await checkedContent(cx, reportId, current.sections, input.content)) };
    if (current.status === 'submitted' && current.first_read_at) {
      await tx.execute(
        `INSERT INTO report_versions (report_id, version, sections, content, text, submitted_at, saved_at) SELECT id, version, sections, content, text, submitted_at, now() FROM reports WHERE id = ?`,
        [reportId],
      );
      version += 1;
    }
    await tx.execute(
      `UPDATE reports SET content = ?, text = ?, revision = revision + 1, version = ?, first_read_at = CASE WHEN ? THEN NULL ELSE first_read_at END, updated_at = now() WHERE id = ?`,
      [JSON.stringify(content), reportPlainText(current.sections, content), version, version !== current.version, reportId],
    );
  } else {
    await tx.execute(`UPDATE reports SET revision = revision + 1, updated_at = now() WHERE id = ?`, [reportId]);
  }
  await replaceCc(cx, reportId, input.ccUserIds, input.ccDepartmentIds);
  if (current.status === 'submitted' && (input.ccUserIds || input.ccDepartmentIds)) {
    const added = await settleReceivers(cx, reportId);
    if (added.length) await notifySubmitted(cx, reportId, recipients.users(added));
    // Someone taken off the copy list may no longer follow the report's stream.
    cx.sockets.recheckAccess({ streams: [reportStream(reportId)] });
  }
  await appendEvent(cx, reportStream(reportId), 'report.changed', { reportId, revision: current.revision + 1, version, status: current.status });
  return authorView(cx, reportId);
}

/** Tells people a report was sent to them. */
async function notifySubmitted(cx: CommandContext, reportId: string, to: ReturnType<typeof recipients.users>) {
  const [r] = await cx.em.execute<{ kind: ReportKind; period_start: string; period_end: string; text: string }[]>(`SELECT kind, period_start::text AS period_start, period_end::text AS period_end, text FROM reports WHERE id = ?`, [reportId]);
  const title = `${cx.actor.displayName} submitted ${describeReport({ kind: r.kind, periodStart: r.period_start, periodEnd: r.period_end, authorName: cx.actor.displayName }).replace(/ of .+ for /, ' for ')}`;
  await notify(cx, to, { kind: 'report', title, body: r.text.slice(0, 500), link: `/reports/${reportId}`, data: { reportId } });
}

/**
 * Submits a draft: every required section must hold something; the report goes to the author's
 * superiors up the hierarchy (the direct head first) and to the people and departments copied in
 * (their members and heads). The direct head and everyone copied are notified; customers of the entries it was drafted from show
 * in their feeds that the report mentions them. Submitted after its deadline, it is late.
 */
export async function reportSubmitter(cx: CommandContext, reportId: string, input: { revision: number }): Promise<ReportDTO> {
  const { em: tx, actor } = cx;
  await requireReportAuthor(tx, actor, reportId);
  const current = await stored(cx, reportId);
  if (current.status === 'submitted') throw conflict('The report is submitted already');
  if (current.revision !== input.revision) throw conflict('The report changed since you opened it: reload it before submitting');
  const missing = current.sections.filter((s) => s.required && (!current.content[s.key] || isRichTextEmpty(current.content[s.key])));
  if (missing.length) {
    throw badRequest(`Fill in the required sections: ${missing.map((s) => s.title).join(', ')}`, missing.map((s) => ({ path: `content.${s.key}`, code: 'required', message: 'is required' })));
  }
  const period = { start: current.period_start, end: current.period_end };
  const calendar = await calendarAround(cx, period);
  assertNotTooFarAhead(period, calendar, 'revision');
  const departmentId = departmentIdOf(actor);
  const deadline = deadlineOf(current.kind, period, await dueRuleFor(tx, current.kind, departmentId), calendar);
  assertOpen(deadline, calendar, 'revision');
  await tx.execute(`UPDATE reports SET status = 'submitted', submitted_at = now(), department_id = ?, deadline_at = ?, revision = revision + 1, updated_at = now() WHERE id = ?`, [departmentId, deadline, reportId]);
  // The superiors up the department chain as they are now, each at the level of the nearest department they manage.
  await tx.execute(
    `WITH RECURSIVE chain(id, parent_id, level) AS (
       SELECT d.id, d.parent_id, 0 FROM departments d WHERE d.id = ?
       UNION ALL
       SELECT d.id, d.parent_id, c.level + 1 FROM departments d JOIN chain c ON d.id = c.parent_id
     )
     INSERT INTO report_receivers (report_id, user_id, role, position)
     SELECT ?, dm.user_id, 'superior', min(c.level) FROM department_managers dm JOIN chain c ON c.id = dm.department_id JOIN users u ON u.id = dm.user_id AND u.active
     WHERE dm.user_id <> ? GROUP BY dm.user_id
     ON CONFLICT (report_id, user_id) DO UPDATE SET role = 'superior', position = excluded.position`,
    [departmentId, reportId, actor.id],
  );
  await settleReceivers(cx, reportId);
  await notifySubmitted(
    cx,
    reportId,
    recipients.sql(`SELECT user_id FROM report_receivers WHERE report_id = ? AND (role <> 'superior' OR position = (SELECT min(position) FROM report_receivers WHERE report_id = ? AND role = 'superior'))`, [reportId, reportId]),
  );
  const customers = await tx.execute<{ customer_id: string; entries: string[] }[]>(
    `SELECT l.customer_id::text AS customer_id, array_agg(e.title ORDER BY e.starts_at) AS entries FROM report_links l JOIN schedule_entries e ON e.id = l.entry_id WHERE l.report_id = ? AND l.customer_id IS NOT NULL GROUP BY l.customer_id ORDER BY l.customer_id`,
    [reportId],
  );
  for (const c of customers) {
    await feedItemAppender(cx, { customerId: c.customer_id, kind: 'report', actorId: actor.id, data: { reportId, kind: current.kind, periodStart: current.period_start, periodEnd: current.period_end, entries: c.entries } });
  }
  await appendEvent(cx, reportStream(reportId), 'report.changed', { reportId, revision: current.revision + 1, version: current.version, status: 'submitted' });
  return authorView(cx, reportId);
}

/**
 * Records 已阅 for whoever opens a submitted report (its author opening it records nothing): the
 * first time, the report's followers — its author among them — see who read it and when.
 */
export async function reportReader(cx: CommandContext, reportId: string): Promise<{ readAt: string | null }> {
  const report: ReportAccess = await requireReadableReport(cx.em, cx.actor, reportId);
  if (report.authorId === cx.actor.id) return { readAt: null };
  const [row] = await cx.em.execute<{ read_at: Date }[]>(`INSERT INTO report_reads (report_id, user_id, read_at) VALUES (?, ?, now()) ON CONFLICT DO NOTHING RETURNING read_at`, [reportId, cx.actor.id]);
  // Reading the current version (again) is what a later edit keeps an earlier version for.
  await cx.em.execute(`UPDATE reports SET first_read_at = coalesce(first_read_at, now()) WHERE id = ?`, [reportId]);
  if (!row) {
    const [earlier] = await cx.em.execute<{ read_at: Date }[]>(`SELECT read_at FROM report_reads WHERE report_id = ? AND user_id = ?`, [reportId, cx.actor.id]);
    return { readAt: new Date(earlier.read_at).toISOString() };
  }
  const readAt = new Date(row.read_at).toISOString();
  await appendEvent(cx, reportStream(reportId), 'report.read', { reportId, reader: { id: cx.actor.id, displayName: cx.actor.displayName, email: cx.actor.email }, readAt });
  return { readAt };
}

