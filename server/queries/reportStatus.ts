import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays, isWorkingDay, periodOf, periodsIn, type Period, type ReportKind } from '../../shared/reportPeriods.js';
import { reportCellStatuses, type ReportCellStatus, type ReportStatusCellDTO, type ReportStatusCounts, type ReportStatusDTO } from '../../shared/reports.js';
import { ancestorsCte, deadlineOf, defaultDueRules, instantOf, scopedRulesCte, type DueRule, type ReportCalendar } from './reportCalendar.js';
import { orgSettingDefaults } from './settings.js';
import { isoInstant } from '../presenters/instants.js';
import { preparedQuery } from '../db/prepared.js';

/** `range` (whole periods of the kind) replaces the view's day, week or month: the dashboard reads several weeks at once. */
export type StatusQuery = { departmentId: string; kind: ReportKind; view: 'day' | 'week' | 'month'; date: string; range?: Period };

type MetaRow = {
  time_zone: string;
  holidays: { day: string; kind: 'holiday' | 'workday'; name: string }[];
  rules: { department_id: string; rule_id: string | null; required: boolean | null; deadline_day: number | null; deadline_time: string | null }[];
  departments: { id: string; name: string; depth: number | null }[];
};
type PersonRow = { user_id: string; display_name: string; email: string; spans: { d: string; f: string; t: string }[]; exempt: string[] | null };
type ReportRow = { author_id: string; p: string; id: string; s: string | Date; late: boolean };

const viewKind = { day: 'daily', week: 'weekly', month: 'monthly' } as const;
const emptyCounts = (): ReportStatusCounts => ({ submitted: 0, late: 0, missing: 0, pending: 0, not_required: 0 });
const zoneSql = `coalesce((SELECT s.value #>> '{}' FROM org_settings s WHERE s.key = 'timeZone'), '${orgSettingDefaults.timeZone}')`;

/**
 * What a status view needs besides the people, in one statement: the organisation's zone, the
 * holidays around the range, the rule of the kind each department of the subtree follows (the walk
 * covers the subtree and the departments above it only), every department's name
 * and, for those in the subtree, its depth.
 */
function statusMeta(em: EntityManager, query: StatusQuery, span: Period): Promise<MetaRow[]> {
  return preparedQuery<MetaRow>(
    em,
    `WITH RECURSIVE ${ancestorsCte}, ${scopedRulesCte},
     sub(id, depth) AS (SELECT ?::bigint, 0 UNION SELECT d.id, s.depth + 1 FROM departments d JOIN sub s ON d.parent_id = s.id),
     rule_scope(id) AS (SELECT id FROM ancestors UNION SELECT id FROM sub)
     SELECT ${zoneSql} AS time_zone,
       coalesce((SELECT json_agg(json_build_object('day', h.day::text, 'kind', h.kind, 'name', h.name)) FROM org_holidays h WHERE h.day BETWEEN ? AND ?), '[]') AS holidays,
       (SELECT json_agg(json_build_object('department_id', t.department_id::text, 'rule_id', t.rule_id::text, 'required', o.required, 'deadline_day', o.deadline_day, 'deadline_time', o.deadline_time))
        FROM effective_rules t LEFT JOIN own_rules o ON o.id = t.rule_id) AS rules,
       (SELECT json_agg(json_build_object('id', d.id::text, 'name', d.name, 'depth', s.depth) ORDER BY s.depth NULLS LAST, d.name) FROM departments d LEFT JOIN sub s ON s.id = d.id) AS departments`,
    [query.departmentId, query.kind, query.departmentId, span.start, addDays(span.end, 40)],
  );
}

/** SQL of the people behind a status view (`people(id)`), after `WITH RECURSIVE`; parameters: subtree, first day, last day. */
const peopleCte = `sub(id) AS (SELECT ?::bigint UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id),
     bounds AS (SELECT (?::date)::timestamp AT TIME ZONE z.zone AS from_at, (?::date + 1)::timestamp AT TIME ZONE z.zone AS to_at FROM (SELECT ${zoneSql} AS zone) z),
     people AS (
       SELECT u.id FROM users u, bounds b WHERE u.department_id IN (SELECT id FROM sub) AND u.active AND u.department_since < b.to_at
       UNION
       SELECT h.user_id FROM department_history h JOIN users u ON u.id = h.user_id AND u.active, bounds b
       WHERE h.department_id IN (SELECT id FROM sub) AND h.valid_to > b.from_at AND h.valid_from < b.to_at
     )`;

/**
 * The people behind a status view: everyone who belonged to the subtree at some time in the range
 * (their current department since users.department_since, earlier ones from department_history),
 * with their department spans and their exemptions. The range's instants are the organisation's
 * midnights. (Who may ask was checked by the caller: requireStatusViewer.)
 */
function statusPeople(em: EntityManager, query: StatusQuery, span: Period): Promise<PersonRow[]> {
  return preparedQuery<PersonRow>(
    em,
    `WITH RECURSIVE ${peopleCte}
     SELECT u.id::text AS user_id, u.display_name, u.email,
       (SELECT json_agg(json_build_object('d', s.department_id::text, 'f', s.valid_from, 't', s.valid_to))
        FROM (SELECT u.department_id, u.department_since AS valid_from, 'infinity'::timestamptz AS valid_to
              UNION ALL
              SELECT h.department_id, h.valid_from, h.valid_to FROM department_history h, bounds b WHERE h.user_id = u.id AND h.valid_to > b.from_at AND h.valid_from < b.to_at) s) AS spans,
       (SELECT json_agg(x.period_start) FROM report_exemptions x WHERE x.user_id = u.id AND x.kind = ? AND x.period_start BETWEEN ? AND ?) AS exempt
     FROM people p JOIN users u ON u.id = p.id
     ORDER BY u.display_name, u.id`,
    [query.departmentId, span.start, span.end, query.kind, span.start, span.end],
  );
}

/** Their submitted reports of the kind in the range (through the (author, kind, period) key): parameters and conditions. */
const submittedWhere = `r.author_id IN (SELECT id FROM people) AND r.kind = ? AND r.period_start BETWEEN ? AND ? AND r.status = 'submitted'`;
const submittedParams = (query: StatusQuery, span: Period) => [query.departmentId, span.start, span.end, query.kind, span.start, span.end];

/** Their submitted reports, a row each with what a cell shows of it. */
function statusReports(em: EntityManager, query: StatusQuery, span: Period): Promise<ReportRow[]> {
  return preparedQuery<ReportRow>(
    em,
    `WITH RECURSIVE ${peopleCte}
     SELECT r.author_id::text AS author_id, r.period_start::text AS p, r.id::text AS id, r.submitted_at AS s, coalesce(r.submitted_at > r.deadline_at, false) AS late
     FROM reports r WHERE ${submittedWhere}`,
    submittedParams(query, span),
  );
}

/**
 * Only which periods each person submitted, and which late, one row per person (`p`: the periods'
 * days, `l` the late ones'): the counts need no more, and ten thousand rows of a subtree's month
 * cost more to read than to find.
 */
function submittedPeriods(em: EntityManager, query: StatusQuery, span: Period): Promise<{ author_id: string; p: string[]; l: string[] | null }[]> {
  return preparedQuery(
    em,
    `WITH RECURSIVE ${peopleCte}
     SELECT r.author_id::text AS author_id, json_agg(r.period_start) AS p, json_agg(r.period_start) FILTER (WHERE r.submitted_at > r.deadline_at) AS l
     FROM reports r WHERE ${submittedWhere} GROUP BY r.author_id`,
    submittedParams(query, span),
  );
}

const noReports = new Map<string, ReportRow | boolean>();
/** A cell without its report's details, one object per status shared by every such cell (a subtree's month has tens of thousands). */
const bareCell = Object.fromEntries(reportCellStatuses.map((status) => [status, Object.freeze({ status, reportId: null, submittedAt: null })])) as Record<ReportCellStatus, ReportStatusCellDTO>;

/** A person's department spans with their bounds as numbers. */
const parsedSpans = (spans: PersonRow['spans']) => spans.map((s) => ({ d: s.d, f: Date.parse(s.f), t: s.t === 'infinity' ? Infinity : Date.parse(s.t) }));
/** The department of a person at an instant (null before they had one). */
const departmentAt = (spans: ReturnType<typeof parsedSpans>, at: number) => spans.find((s) => s.f <= at && at < s.t)?.d ?? null;

/**
 * Who has and has not submitted, for a department subtree over a day, an ISO week or a month: per
 * person and period submitted, late, missing (its deadline passed), pending (not yet due), not
 * required (a day off, a kind the department does not require, an exemption, before they joined)
 * or elsewhere (then in a department outside the subtree); with counts per department and the
 * names of those missing. Periods are the kind's (days for daily reports: a grid in the month view).
 * Three statements, run together; the calendar (deadlines by rule, working days) is worked out here.
 * With `reports: false` (the dashboard, which only counts) the cells carry no report id or time.
 */
export async function reportStatus(em: EntityManager, query: StatusQuery, now = new Date(), options: { reports: boolean } = { reports: true }): Promise<ReportStatusDTO> {
  const range = query.range ?? periodOf(viewKind[query.view], query.date);
  const periods = periodsIn(query.kind, range);
  const span: Period = { start: periods[0].start, end: periods[periods.length - 1].end };
  const [[meta], rows, reportsOf] = await Promise.all([
    statusMeta(em, query, span),
    statusPeople(em, query, span),
    options.reports
      ? statusReports(em, query, span).then((submitted) => {
          const byAuthor = new Map<string, Map<string, ReportRow | boolean>>();
          for (const r of submitted) {
            const id = String(r.author_id);
            if (!byAuthor.has(id)) byAuthor.set(id, new Map());
            byAuthor.get(id)!.set(r.p, r);
          }
          return byAuthor;
        })
      : submittedPeriods(em, query, span).then((submitted) => {
          // Without the reports themselves a cell needs only whether it was late.
          const byAuthor = new Map<string, Map<string, ReportRow | boolean>>();
          for (const r of submitted) {
            const late = new Set(r.l ?? []);
            byAuthor.set(String(r.author_id), new Map(r.p.map((p) => [p, late.has(p)])));
          }
          return byAuthor;
        }),
  ]);
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
  const counts = new Map<string, ReportStatusCounts>();
  const missingIn = new Map<string, Map<string, { id: string; displayName: string; email: string }>>();
  const totals = emptyCounts();
  const people = rows.map((row) => {
    const user = { id: String(row.user_id), displayName: row.display_name, email: row.email };
    const spans = parsedSpans(row.spans);
    const reports = reportsOf.get(user.id) ?? noReports;
    const exempt = new Set(row.exempt ?? []);
    const cells: ReportStatusCellDTO[] = periodInfo.map((p) => {
      const department = departmentAt(spans, p.at);
      const report = reports.get(p.start);
      let status: ReportCellStatus;
      if (department === null) status = 'not_required';
      else if (!inSubtree.has(department)) status = 'elsewhere';
      else if (report !== undefined) status = (typeof report === 'boolean' ? report : report.late) ? 'late' : 'submitted';
      else {
        const rule = rules.get(department) ?? defaultDueRules[query.kind];
        if (!rule.required || !p.working || exempt.has(p.start) || !p.started) status = 'not_required';
        else status = deadline(p, rule) < nowMs ? 'missing' : 'pending';
      }
      if (department !== null && status !== 'elsewhere') {
        let c = counts.get(department);
        if (!c) counts.set(department, (c = emptyCounts()));
        c[status]++;
        totals[status]++;
        if (status === 'missing') missingIn.set(department, (missingIn.get(department) ?? new Map()).set(user.id, user));
      }
      return typeof report === 'object' ? { status, reportId: String(report.id), submittedAt: isoInstant(report.s) } : bareCell[status];
    });
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
    departments: meta.departments.filter((d) => inSubtree.has(d.id)).map((d) => ({ id: d.id, name: d.name, counts: counts.get(d.id) ?? emptyCounts(), missing: [...(missingIn.get(d.id)?.values() ?? [])] })),
    totals,
  };
}
