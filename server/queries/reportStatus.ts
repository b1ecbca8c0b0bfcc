import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, isWorkingDay, periodOf, periodsIn, type Period, type ReportKind } from '../../shared/reportPeriods.js';
import { reportCellStatuses, type ReportCellStatus, type ReportStatusCellDTO, type ReportStatusCounts, type ReportStatusDTO } from '../../shared/reports.js';
import type { UserSummaryDTO } from '../../shared/dto.js';
import { isoInstantOfMs } from '../presenters/instants.js';
import { deadlineOf, defaultDueRules, effectiveRulesCte, instantOf, type DueRule, type ReportCalendar } from './reportCalendar.js';
import { orgSettingDefaults } from './settings.js';
import { preparedQuery } from '../db/prepared.js';

/** `range` (whole periods of the kind) replaces the view's day, week or month: the dashboard reads several weeks at once. */
export type StatusQuery = { departmentId: string; kind: ReportKind; view: 'day' | 'week' | 'month'; date: string; range?: Period };

/** A submitted report as report_submission_months keeps it: the day its period starts on (1 the first day of its group), id, submission instant (ms since the epoch) and lateness (0/1). */
type ReportCell = [day: number, id: string, submittedAt: number, late: 0 | 1];
/** Submitted reports grouped by month (or, for short ranges, all from the range's first day): the group's first day and its reports. */
type ReportGroup = [first: string, cells: ReportCell[]];
type Span = { d: string; f: string; t: string };
/** A person: id, name, e-mail, current department and since when, earlier departments of the range, exempted periods, submitted reports by month. */
type PersonRow = [id: string, displayName: string, email: string, departmentId: string, since: string, history: Span[] | null, exempt: string[] | null, groups: ReportGroup[] | null];
type StatusRow = {
  time_zone: string;
  holidays: { day: string; kind: 'holiday' | 'workday'; name: string }[];
  rules: { department_id: string; rule_id: string | null; required: boolean | null; deadline_day: number | null; deadline_time: string | null }[];
  departments: { id: string; name: string; depth: number | null }[];
  people: PersonRow[];
};

const viewKind = { day: 'daily', week: 'weekly', month: 'monthly' } as const;
const emptyCounts = (): ReportStatusCounts => ({ submitted: 0, late: 0, missing: 0, pending: 0, not_required: 0 });
const zoneSql = `coalesce((SELECT s.value #>> '{}' FROM org_settings s WHERE s.key = 'timeZone'), '${orgSettingDefaults.timeZone}')`;

/**
 * A person's submitted reports of the kind (one `?`) in the range (two: first and last day; then the
 * first day again), as report_submission_months keeps a month of them
 * (Migration20261206151508_report_submission_months), counted from the range's first day: an array
 * of one [first day, [[day number, id, submitted at in ms, late 0/1], …]]. From the reports through
 * the covering index reports_status_cells_idx, a text built per report.
 */
const submittedFromReports = `SELECT r.author_id, json_build_array(json_build_array(?::date, ('[' || string_agg('[' || (r.period_start - ?::date + 1) || ',"' || r.id || '",' || (date_part('epoch', date_trunc('milliseconds', r.submitted_at)) * 1000)::bigint || ',' || (coalesce(r.submitted_at > r.deadline_at, false))::int || ']', ',') || ']')::json)) AS months
  FROM reports r WHERE r.author_id IN (SELECT id FROM people) AND r.kind = ? AND r.period_start BETWEEN ? AND ? AND r.status = 'submitted' GROUP BY r.author_id`;
/** The same from report_submission_months: the whole months the range touches, [month's first day, its cells] each (the caller drops what lies outside the range). */
const submittedFromMonths = `SELECT m.author_id, json_agg(json_build_array(m.month, m.cells)) AS months FROM report_submission_months m
  WHERE m.author_id IN (SELECT id FROM people) AND m.kind = ? AND m.month BETWEEN date_trunc('month', ?::timestamp)::date AND ?::date GROUP BY m.author_id`;

/**
 * Everything a status view reads, in one statement and one row (a round trip, and the pages of the
 * grid parsed as one JSON text rather than as a row per report): the organisation's zone, the
 * holidays around the range, the rule of the kind each department of the subtree follows, the name
 * of every department of the subtree (with its depth) or of one of the people; and the people — everyone who belonged to the subtree at
 * some time in the range (their current department since users.department_since, earlier ones from
 * department_history) — each with their department spans, exemptions and submitted reports of the
 * kind. A range of four weeks or more (a month grid: ~10,000 reports for a 561-person subtree) reads
 * them from report_submission_months, a JSON array per person and month kept by a trigger on reports,
 * so a row per person rather than a value built per report; a shorter one (a day, a week) from the
 * reports themselves, as whole months would be mostly outside it. The range's instants are the
 * organisation's midnights. (Who may ask was checked by the caller: requireStatusViewer.)
 */
function statusRow(em: EntityManager, query: StatusQuery, span: Period): Promise<StatusRow[]> {
  const fromMonths = Date.parse(span.end) - Date.parse(span.start) >= 27 * 86_400_000;
  return preparedQuery<StatusRow>(
    em,
    `WITH RECURSIVE ${effectiveRulesCte},
     sub(id, depth) AS (SELECT ?::bigint, 0 UNION SELECT d.id, s.depth + 1 FROM departments d JOIN sub s ON d.parent_id = s.id),
     bounds AS (SELECT (?::date)::timestamp AT TIME ZONE z.zone AS from_at, (?::date + 1)::timestamp AT TIME ZONE z.zone AS to_at FROM (SELECT ${zoneSql} AS zone) z),
     people AS (
       SELECT u.id, u.display_name, u.email, u.department_id, u.department_since FROM users u, bounds b WHERE u.department_id IN (SELECT id FROM sub) AND u.active AND u.department_since < b.to_at
       UNION
       SELECT u.id, u.display_name, u.email, u.department_id, u.department_since FROM department_history h JOIN users u ON u.id = h.user_id AND u.active, bounds b
       WHERE h.department_id IN (SELECT id FROM sub) AND h.valid_to > b.from_at AND h.valid_from < b.to_at
     ),
     history AS (
       SELECT h.user_id, json_agg(json_build_object('d', h.department_id::text, 'f', h.valid_from, 't', h.valid_to)) AS spans FROM department_history h, bounds b
       WHERE h.user_id IN (SELECT id FROM people) AND h.valid_to > b.from_at AND h.valid_from < b.to_at GROUP BY h.user_id
     ),
     exempt AS (
       SELECT x.user_id, json_agg(x.period_start) AS days FROM report_exemptions x
       WHERE x.user_id IN (SELECT id FROM people) AND x.kind = ? AND x.period_start BETWEEN ? AND ? GROUP BY x.user_id
     ),
     submitted AS (${fromMonths ? submittedFromMonths : submittedFromReports})
     SELECT ${zoneSql} AS time_zone,
       coalesce((SELECT json_agg(json_build_object('day', h.day::text, 'kind', h.kind, 'name', h.name)) FROM org_holidays h WHERE h.day BETWEEN ? AND ?), '[]') AS holidays,
       (SELECT json_agg(json_build_object('department_id', t.department_id::text, 'rule_id', t.rule_id::text, 'required', o.required, 'deadline_day', o.deadline_day, 'deadline_time', o.deadline_time))
        FROM effective_rules t LEFT JOIN own_rules o ON o.id = t.rule_id WHERE t.department_id IN (SELECT id FROM sub)) AS rules,
       (SELECT json_agg(json_build_object('id', d.id::text, 'name', d.name, 'depth', s.depth) ORDER BY s.depth NULLS LAST, d.name) FROM departments d LEFT JOIN sub s ON s.id = d.id
        WHERE s.id IS NOT NULL OR d.id IN (SELECT department_id FROM people) OR d.id IN (SELECT h.department_id FROM department_history h WHERE h.user_id IN (SELECT id FROM people))) AS departments,
       coalesce((SELECT json_agg(json_build_array(p.id::text, p.display_name, p.email, p.department_id::text, p.department_since, h.spans, x.days, r.months) ORDER BY p.display_name, p.id)
                 FROM people p LEFT JOIN history h ON h.user_id = p.id LEFT JOIN exempt x ON x.user_id = p.id LEFT JOIN submitted r ON r.author_id = p.id), '[]') AS people`,
    [query.kind, query.departmentId, span.start, span.end, query.kind, span.start, span.end, ...(fromMonths ? [] : [span.start, span.start]), query.kind, span.start, span.end, span.start, addDays(span.end, 40)],
  );
}

/** A cell without its report's details, one object per status shared by every such cell (a subtree's month has tens of thousands). */
const bareCell = Object.fromEntries(reportCellStatuses.map((status) => [status, Object.freeze({ status, reportId: null, submittedAt: null })])) as Record<ReportCellStatus, ReportStatusCellDTO>;

/** A person's department spans (the current one first) with their bounds as numbers. */
const parsedSpans = (spans: Span[]) => spans.map((s) => ({ d: s.d, f: Date.parse(s.f), t: s.t === 'infinity' ? Infinity : Date.parse(s.t) }));
/** The department of a person at an instant (null before they had one). */
function departmentAt(spans: ReturnType<typeof parsedSpans>, at: number): string | null {
  for (const s of spans) if (s.f <= at && at < s.t) return s.d;
  return null;
}

/**
 * Who has and has not submitted, for a department subtree over a day, an ISO week or a month: per
 * person and period submitted, late, missing (its deadline passed), pending (not yet due), not
 * required (a day off, a kind the department does not require, an exemption, before they joined)
 * or elsewhere (then in a department outside the subtree); with counts per department and the
 * names of those missing. Periods are the kind's (days for daily reports: a grid in the month view).
 * One statement (statusRow); the calendar (deadlines by rule, working days) is worked out here.
 * With `reports: false` (the dashboard, which only counts) the cells carry no report id or time.
 */
export async function reportStatus(em: EntityManager, query: StatusQuery, now = new Date(), options: { reports: boolean } = { reports: true }): Promise<ReportStatusDTO> {
  const range = query.range ?? periodOf(viewKind[query.view], query.date);
  const periods = periodsIn(query.kind, range);
  const span: Period = { start: periods[0].start, end: periods[periods.length - 1].end };
  const [meta] = await statusRow(em, query, span);
  const rows = meta.people;
  const calendar: ReportCalendar = {
    timeZone: meta.time_zone, daysAhead: 0, closedAfterDays: 0,
    overrides: new Map(meta.holidays.map((h) => [h.day, h.kind])), holidayNames: new Map(meta.holidays.map((h) => [h.day, h.name])),
  };
  const rules = new Map<string, DueRule>(
    meta.rules.map((r) => [r.department_id, r.rule_id ? { id: r.rule_id, required: r.required!, deadlineDay: Number(r.deadline_day), deadlineTime: r.deadline_time! } : defaultDueRules[query.kind]]),
  );
  const names = new Map(meta.departments.map((d) => [d.id, d.name]));
  const inSubtree = new Set(meta.departments.filter((d) => d.depth !== null).map((d) => d.id));
  const nowMs = now.getTime();
  // Per period: the instant a person's department is read at (its end, or now), and the deadline under each rule.
  const periodInfo = periods.map((p) => ({
    ...p,
    working: query.kind !== 'daily' || isWorkingDay(p.start, calendar.overrides),
    holiday: calendar.holidayNames.get(p.start) ?? null,
    at: Math.min(instantOf(addDays(p.end, 1), '00:00', calendar.timeZone).getTime() - 1, nowMs),
    started: instantOf(p.start, '00:00', calendar.timeZone).getTime() <= nowMs,
    deadlines: new Map<string | null, number>(),
  }));
  const deadline = (p: (typeof periodInfo)[number], rule: DueRule) => {
    let at = p.deadlines.get(rule.id);
    if (at === undefined) p.deadlines.set(rule.id, (at = deadlineOf(query.kind, p, rule, calendar).getTime()));
    return at;
  };
  const viewFrom = instantOf(span.start, '00:00', calendar.timeZone).getTime();
  const viewTo = instantOf(addDays(span.end, 1), '00:00', calendar.timeZone).getTime();
  const viewEnd = Math.min(viewTo - 1, nowMs);
  const totals = emptyCounts();
  // What the cells need of each department met (in the subtree, its rule, its counts and missing people), looked up once.
  type DepartmentCells = { inSubtree: boolean; rule: DueRule; counts: ReportStatusCounts; missing: Map<string, UserSummaryDTO> };
  const byDepartment = new Map<string, DepartmentCells>();
  const departmentCells = (id: string) => {
    let d = byDepartment.get(id);
    if (!d) byDepartment.set(id, (d = { inSubtree: inSubtree.has(id), rule: rules.get(id) ?? defaultDueRules[query.kind], counts: emptyCounts(), missing: new Map() }));
    return d;
  };
  // The period starting on each day of the range, by days since the epoch.
  const epochDay = (date: string) => Date.parse(date) / 86_400_000;
  const firstDay = epochDay(span.start);
  const periodOnDay: (number | undefined)[] = [];
  periodInfo.forEach((p, i) => (periodOnDay[epochDay(p.start) - firstDay] = i));
  const people = rows.map(([id, displayName, email, departmentId, since, history, exempted, groups]) => {
    const user = { id, displayName, email };
    const spans = parsedSpans([{ d: departmentId, f: since, t: 'infinity' }, ...(history ?? [])]);
    const reports: (ReportCell | undefined)[] = new Array(periodInfo.length);
    for (const [first, group] of groups ?? []) {
      const base = epochDay(first) - firstDay - 1;
      for (const r of group) {
        const i = periodOnDay[base + r[0]];
        if (i !== undefined) reports[i] = r;
      }
    }
    const exempt = exempted ? new Set(exempted) : null;
    const cells: ReportStatusCellDTO[] = new Array(periodInfo.length);
    for (let i = 0; i < periodInfo.length; i++) {
      const p = periodInfo[i];
      const department = departmentAt(spans, p.at);
      const report = reports[i];
      const d = department === null ? null : departmentCells(department);
      let status: ReportCellStatus;
      if (d === null) status = 'not_required';
      else if (!d.inSubtree) status = 'elsewhere';
      else if (report) status = report[3] ? 'late' : 'submitted';
      else if (!d.rule.required || !p.working || exempt?.has(p.start) || !p.started) status = 'not_required';
      else status = deadline(p, d.rule) < nowMs ? 'missing' : 'pending';
      if (d !== null && status !== 'elsewhere') {
        d.counts[status]++;
        totals[status]++;
        if (status === 'missing') d.missing.set(user.id, user);
      }
      cells[i] = report && options.reports ? { status, reportId: report[1], submittedAt: isoInstantOfMs(report[2]) } : bareCell[status];
    }
    const current = departmentAt(spans, viewEnd) ?? spans[0]?.d;
    const moved = new Set(spans.filter((s) => s.f < viewTo && s.t > viewFrom).map((s) => s.d)).size > 1;
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
    departments: meta.departments.filter((d) => inSubtree.has(d.id)).map((d) => ({ id: d.id, name: d.name, counts: byDepartment.get(d.id)?.counts ?? emptyCounts(), missing: [...(byDepartment.get(d.id)?.missing.values() ?? [])] })),
    totals,
  };
}
