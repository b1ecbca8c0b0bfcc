import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, isWorkingDay, periodOf, periodsIn, type Period, type ReportKind } from '../../shared/reportPeriods.js';
import type { ReportCellStatus, ReportStatusCellDTO, ReportStatusCounts, ReportStatusDTO } from '../../shared/reports.js';
import { deadlineOf, dueRulesByDepartment, instantOf, readReportCalendar, type DueRule } from './reportCalendar.js';

export type StatusQuery = { departmentId: string; kind: ReportKind; view: 'day' | 'week' | 'month'; date: string };

type PersonRow = {
  user_id: string; display_name: string; email: string;
  spans: { d: string; f: string; t: string }[];
  reports: { p: string; id: string; s: string; dl: string | null }[] | null;
  exempt: string[] | null;
};

const viewKind = { day: 'daily', week: 'weekly', month: 'monthly' } as const;
const emptyCounts = (): ReportStatusCounts => ({ submitted: 0, late: 0, missing: 0, pending: 0, not_required: 0 });

/**
 * The rows behind a status view, in one statement: everyone who belonged to the subtree at some
 * time in the range (their current department since users.department_since, earlier ones from
 * department_history), with their department spans, their submitted reports of the kind in the
 * range and their exemptions. (Who may ask was checked by the caller: requireStatusViewer.)
 */
async function statusRows(em: EntityManager, departmentId: string, kind: ReportKind, range: Period, from: Date, to: Date): Promise<PersonRow[]> {
  return em.execute<PersonRow[]>(
    `WITH RECURSIVE sub(id) AS (SELECT ?::bigint UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id),
     people AS (
       SELECT u.id FROM users u WHERE u.department_id IN (SELECT id FROM sub) AND u.active AND u.department_since < ?
       UNION
       SELECT h.user_id FROM department_history h JOIN users u ON u.id = h.user_id AND u.active
       WHERE h.department_id IN (SELECT id FROM sub) AND h.valid_to > ? AND h.valid_from < ?
     )
     SELECT u.id::text AS user_id, u.display_name, u.email,
       (SELECT json_agg(json_build_object('d', s.department_id::text, 'f', s.valid_from, 't', s.valid_to))
        FROM (SELECT u.department_id, u.department_since AS valid_from, 'infinity'::timestamptz AS valid_to
              UNION ALL
              SELECT h.department_id, h.valid_from, h.valid_to FROM department_history h WHERE h.user_id = u.id AND h.valid_to > ? AND h.valid_from < ?) s) AS spans,
       (SELECT json_agg(json_build_object('p', r.period_start, 'id', r.id::text, 's', r.submitted_at, 'dl', r.deadline_at))
        FROM reports r WHERE r.author_id = u.id AND r.kind = ? AND r.period_start BETWEEN ? AND ? AND r.status = 'submitted') AS reports,
       (SELECT json_agg(x.period_start) FROM report_exemptions x WHERE x.user_id = u.id AND x.kind = ? AND x.period_start BETWEEN ? AND ?) AS exempt
     FROM people p JOIN users u ON u.id = p.id
     ORDER BY u.display_name, u.id`,
    [departmentId, to, from, to, from, to, kind, range.start, range.end, kind, range.start, range.end],
  );
}

/** The department a person was in at an instant, from their spans (null before they had one). */
function departmentAt(spans: PersonRow['spans'], at: number): string | null {
  for (const s of spans) if (Date.parse(s.f) <= at && (s.t === 'infinity' || at < Date.parse(s.t))) return s.d;
  return null;
}

/**
 * Who has and has not submitted, for a department subtree over a day, an ISO week or a month: per
 * person and period submitted, late, missing (its deadline passed), pending (not yet due), not
 * required (a day off, a kind the department does not require, an exemption, before they joined)
 * or elsewhere (then in a department outside the subtree); with counts per department and the
 * names of those missing. Periods are the kind's (days for daily reports: a grid in the month view).
 */
export async function reportStatus(em: EntityManager, query: StatusQuery, now = new Date()): Promise<ReportStatusDTO> {
  const range = periodOf(viewKind[query.view], query.date);
  const periods = periodsIn(query.kind, range);
  const span: Period = { start: periods[0].start, end: periods[periods.length - 1].end };
  const calendar = await readReportCalendar(em, { start: span.start, end: addDays(span.end, 40) });
  const from = instantOf(span.start, '00:00', calendar.timeZone);
  const to = instantOf(addDays(span.end, 1), '00:00', calendar.timeZone);
  const [rules, rows, departments] = await Promise.all([
    dueRulesByDepartment(em, query.kind),
    statusRows(em, query.departmentId, query.kind, span, from, to),
    // Every department's name (people who moved out are shown with theirs), the subtree's in tree order.
    em.execute<{ id: string; name: string; depth: number | null }[]>(
      `WITH RECURSIVE sub(id, depth) AS (SELECT ?::bigint, 0 UNION SELECT d.id, s.depth + 1 FROM departments d JOIN sub s ON d.parent_id = s.id)
       SELECT d.id::text AS id, d.name, s.depth FROM departments d LEFT JOIN sub s ON s.id = d.id ORDER BY s.depth NULLS LAST, d.name`,
      [query.departmentId],
    ),
  ]);
  const names = new Map(departments.map((d) => [String(d.id), d.name]));
  const inSubtree = new Set(departments.filter((d) => d.depth !== null).map((d) => String(d.id)));
  // Per period: the instant a person's department is read at (its end, or now), and the deadline under each rule.
  const deadlines = new Map<string, Date>();
  const deadline = (period: Period, rule: DueRule) => {
    const key = `${rule.id}|${period.start}`;
    let at = deadlines.get(key);
    if (!at) deadlines.set(key, (at = deadlineOf(query.kind, period, rule, calendar)));
    return at;
  };
  const periodInfo = periods.map((p) => ({
    ...p,
    working: query.kind !== 'daily' || isWorkingDay(p.start, calendar.overrides),
    holiday: calendar.holidayNames.get(p.start) ?? null,
    at: Math.min(instantOf(addDays(p.end, 1), '00:00', calendar.timeZone).getTime() - 1, now.getTime()),
    started: instantOf(p.start, '00:00', calendar.timeZone).getTime() <= now.getTime(),
  }));
  const counts = new Map<string, ReportStatusCounts>();
  const missingIn = new Map<string, Map<string, { id: string; displayName: string; email: string }>>();
  const totals = emptyCounts();
  const viewEnd = Math.min(to.getTime() - 1, now.getTime());
  const people = rows.map((row) => {
    const user = { id: String(row.user_id), displayName: row.display_name, email: row.email };
    const reports = new Map((row.reports ?? []).map((r) => [r.p, r]));
    const exempt = new Set(row.exempt ?? []);
    const cells: ReportStatusCellDTO[] = periodInfo.map((p) => {
      const department = departmentAt(row.spans, p.at);
      const report = reports.get(p.start);
      let status: ReportCellStatus;
      if (department === null) status = 'not_required';
      else if (!inSubtree.has(department)) status = 'elsewhere';
      else if (report) status = report.dl && Date.parse(report.s) > Date.parse(report.dl) ? 'late' : 'submitted';
      else {
        const rule = rules.get(department);
        if (!rule?.required || !p.working || exempt.has(p.start) || !p.started) status = 'not_required';
        else status = deadline(p, rule).getTime() < now.getTime() ? 'missing' : 'pending';
      }
      if (department !== null && status !== 'elsewhere') {
        const c = counts.get(department) ?? emptyCounts();
        c[status]++;
        totals[status]++;
        counts.set(department, c);
        if (status === 'missing') missingIn.set(department, (missingIn.get(department) ?? new Map()).set(user.id, user));
      }
      return { status, reportId: report ? String(report.id) : null, submittedAt: report ? new Date(report.s).toISOString() : null };
    });
    const current = departmentAt(row.spans, viewEnd) ?? row.spans[0]?.d;
    const moved = new Set(row.spans.filter((s) => Date.parse(s.f) < to.getTime() && (s.t === 'infinity' || Date.parse(s.t) > from.getTime())).map((s) => s.d)).size > 1;
    return { user, department: { id: current, name: names.get(current) ?? '' }, moved, cells };
  });
  return {
    kind: query.kind,
    view: query.view,
    from: range.start,
    to: range.end,
    timeZone: calendar.timeZone,
    periods: periodInfo.map((p) => ({ start: p.start, end: p.end, working: p.working, holiday: p.holiday })),
    people,
    departments: departments.filter((d) => inSubtree.has(String(d.id))).map((d) => ({ id: String(d.id), name: d.name, counts: counts.get(String(d.id)) ?? emptyCounts(), missing: [...(missingIn.get(String(d.id))?.values() ?? [])] })),
    totals,
  };
}
