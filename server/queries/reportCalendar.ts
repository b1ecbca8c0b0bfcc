import type { EntityManager } from '@mikro-orm/postgresql';
import { Temporal } from 'temporal-polyfill';
import { deadlineDay, type DayOverrides, type Period, type ReportKind } from '../../shared/reportPeriods.js';
import { readOrgSettings } from './settings.js';

/** The parts of a report rule that decide whether and by when a period's report is due. */
export type DueRule = { id: string | null; required: boolean; deadlineDay: number; deadlineTime: string };

/** What applies where no rule was set: every kind required, daily by 18:00, weekly Friday 18:00, monthly the last working day 18:00. */
export const defaultDueRules: Record<ReportKind, DueRule> = {
  daily: { id: null, required: true, deadlineDay: 0, deadlineTime: '18:00' },
  weekly: { id: null, required: true, deadlineDay: 5, deadlineTime: '18:00' },
  monthly: { id: null, required: true, deadlineDay: 0, deadlineTime: '18:00' },
};

/** The organisation's calendar for reports: its zone, limits, and holidays and moved working days. */
export type ReportCalendar = { timeZone: string; daysAhead: number; closedAfterDays: number; overrides: DayOverrides; holidayNames: ReadonlyMap<string, string> };

/** The calendar with the holidays between `from` and `to` (a deadline may fall a little after a period: pass slack). */
export async function readReportCalendar(em: EntityManager, range: Period): Promise<ReportCalendar> {
  const [settings, days] = await Promise.all([
    readOrgSettings(em),
    em.execute<{ day: string; kind: 'holiday' | 'workday'; name: string }[]>(`SELECT day::text AS day, kind, name FROM org_holidays WHERE day BETWEEN ? AND ?`, [range.start, range.end]),
  ]);
  return {
    timeZone: settings.timeZone,
    daysAhead: settings.reportDaysAhead,
    closedAfterDays: settings.reportClosedAfterDays,
    overrides: new Map(days.map((d) => [d.day, d.kind])),
    holidayNames: new Map(days.map((d) => [d.day, d.name])),
  };
}

/** The local date today in a zone. */
export function todayIn(zone: string, at = Date.now()): string {
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(zone).toPlainDate().toString();
}

// Instants already worked out, per zone, local date and time: a month's status view asks for about a
// hundred (each day's midnights and deadlines), some 50 µs each through Temporal, and asks again for
// the same days each time it is shown. The answer is pure (time zone rules change only with a new
// runtime), so it is kept; the map is emptied when it grows large.
const instants = new Map<string, number>();

/** A local date and time in a zone as an instant (a time skipped by a clock change moves forward). */
export function instantOf(day: string, time: string, zone: string): Date {
  const key = `${zone} ${day}T${time}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    if (instants.size >= 50_000) instants.clear();
    ms = Temporal.PlainDateTime.from(`${day}T${time.length === 5 ? time + ':00' : time}`).toZonedDateTime(zone).epochMilliseconds;
    instants.set(key, ms);
  }
  return new Date(ms);
}

/** When a period's report is due under a rule, in the organisation's zone. */
export function deadlineOf(kind: ReportKind, period: Period, rule: DueRule, calendar: ReportCalendar): Date {
  return instantOf(deadlineDay(kind, period, rule.deadlineDay, calendar.overrides), rule.deadlineTime, calendar.timeZone);
}

/**
 * SQL: `effective_rules(department_id, rule_id)` for one kind (one `?`): the rule each department
 * follows — its own, else the nearest above it, else the organisation's (NULL: the default). A CTE
 * to put after `WITH RECURSIVE`.
 */
export const effectiveRulesCte = `own_rules AS (SELECT * FROM report_rules WHERE kind = ?),
  effective_rules(department_id, rule_id) AS (
    SELECT d.id, coalesce((SELECT o.id FROM own_rules o WHERE o.department_id = d.id), (SELECT o.id FROM own_rules o WHERE o.department_id IS NULL))
    FROM departments d WHERE d.parent_id IS NULL
    UNION ALL
    SELECT d.id, coalesce((SELECT o.id FROM own_rules o WHERE o.department_id = d.id), t.rule_id)
    FROM departments d JOIN effective_rules t ON d.parent_id = t.department_id
  )`;

type RuleRow = { department_id: string; rule_id: string | null; required: boolean | null; deadline_day: number | null; deadline_time: string | null };

/**
 * The rule of a kind that applies in each department: its own, else the nearest above it, else the
 * organisation's, else the default. One recursive query over the department tree.
 */
export async function dueRulesByDepartment(em: EntityManager, kind: ReportKind): Promise<Map<string, DueRule>> {
  const rows = await em.execute<RuleRow[]>(
    `WITH RECURSIVE ${effectiveRulesCte}
     SELECT t.department_id::text AS department_id, t.rule_id::text AS rule_id, o.required, o.deadline_day, o.deadline_time
     FROM effective_rules t LEFT JOIN own_rules o ON o.id = t.rule_id`,
    [kind],
  );
  const fallback = defaultDueRules[kind];
  return new Map(
    rows.map((r) => [
      String(r.department_id),
      r.rule_id ? { id: String(r.rule_id), required: r.required!, deadlineDay: Number(r.deadline_day), deadlineTime: r.deadline_time! } : fallback,
    ]),
  );
}

/** The rule of a kind that applies to one department. */
export async function dueRuleFor(em: EntityManager, kind: ReportKind, departmentId: string): Promise<DueRule> {
  return (await dueRulesByDepartment(em, kind)).get(departmentId) ?? defaultDueRules[kind];
}
