import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedQuery } from '../db/prepared.js';
import { Temporal } from 'temporal-polyfill';
import { deadlineDay, type DayOverrides, type Period, type ReportKind } from '../../shared/reportPeriods.js';
import { orgSettingsJsonSql, orgSettingsOf } from './settings.js';
import { pgArray } from '../db/sql.js';

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

type CalendarRow = { settings: Record<string, unknown>; days: { day: string; kind: 'holiday' | 'workday'; name: string }[] };
/** SQL: the settings and the holidays of a range (two `?`: first and last day), as calendarOf reads them. */
const calendarColumns = `${orgSettingsJsonSql} AS settings,
  coalesce((SELECT json_agg(json_build_object('day', day::text, 'kind', kind, 'name', name)) FROM org_holidays WHERE day BETWEEN ? AND ?), '[]') AS days`;

function calendarOf(row: CalendarRow): ReportCalendar {
  const settings = orgSettingsOf(row.settings);
  return {
    timeZone: settings.timeZone,
    daysAhead: settings.reportDaysAhead,
    closedAfterDays: settings.reportClosedAfterDays,
    overrides: new Map(row.days.map((d) => [d.day, d.kind])),
    holidayNames: new Map(row.days.map((d) => [d.day, d.name])),
  };
}

/** The calendar with the holidays between `from` and `to` (a deadline may fall a little after a period: pass slack). */
export async function readReportCalendar(em: EntityManager, range: Period): Promise<ReportCalendar> {
  const [row] = await preparedQuery<CalendarRow>(em, `SELECT ${calendarColumns}`, [range.start, range.end]);
  return calendarOf(row);
}

/** The local date today in a zone. */
export function todayIn(zone: string, at = Date.now()): string {
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(zone).toPlainDate().toString();
}

// Instants of local dates and times per zone, as worked out before. Temporal takes ~150 µs for one
// (the manager's dashboard asks ~90 for its four weeks of periods and deadlines, mostly the same
// days as the last request); the answer never changes for a zone, so it is kept, within a bound.
const instants = new Map<string, number>();

/** A local date and time in a zone as an instant (a time skipped by a clock change moves forward). */
export function instantOf(day: string, time: string, zone: string): Date {
  const key = `${zone} ${day} ${time}`;
  let at = instants.get(key);
  if (at === undefined) {
    if (instants.size >= 50_000) instants.clear();
    at = Temporal.PlainDateTime.from(`${day}T${time.length === 5 ? time + ':00' : time}`).toZonedDateTime(zone).epochMilliseconds;
    instants.set(key, at);
  }
  return new Date(at);
}

/** When a period's report is due under a rule, in the organisation's zone. */
export function deadlineOf(kind: ReportKind, period: Period, rule: DueRule, calendar: ReportCalendar): Date {
  return instantOf(deadlineDay(kind, period, rule.deadlineDay, calendar.overrides), rule.deadlineTime, calendar.timeZone);
}

/**
 * SQL: `own_rules` (the rules set for the kinds asked) and `effective_rules(kind, department_id,
 * rule_id)`: the rule each department follows for each kind — its own, else the nearest above it,
 * else the organisation's (NULL: the default). `kinds` is SQL selecting the kinds (with one `?`).
 * `within`, SQL selecting department ids closed under parents (every department's ancestors with it),
 * limits the walk to those departments; their answers are the same. CTEs to put after `WITH RECURSIVE`.
 */
const effectiveRulesOf = (kinds: string, within?: string) => `kinds(kind) AS (${kinds}),
  own_rules AS (SELECT * FROM report_rules WHERE kind IN (SELECT kind FROM kinds)),
  effective_rules(kind, department_id, rule_id) AS (
    SELECT k.kind, d.id, coalesce((SELECT o.id FROM own_rules o WHERE o.kind = k.kind AND o.department_id = d.id), (SELECT o.id FROM own_rules o WHERE o.kind = k.kind AND o.department_id IS NULL))
    FROM departments d CROSS JOIN kinds k WHERE d.parent_id IS NULL ${within ? `AND d.id IN (${within})` : ''}
    UNION ALL
    SELECT t.kind, d.id, coalesce((SELECT o.id FROM own_rules o WHERE o.kind = t.kind AND o.department_id = d.id), t.rule_id)
    FROM departments d JOIN effective_rules t ON d.parent_id = t.department_id ${within ? `WHERE d.id IN (${within})` : ''}
  )`;

/** effectiveRulesOf one kind (one `?`: the kind), over every department. */
export const effectiveRulesCte = effectiveRulesOf(`SELECT ?::text`);

/**
 * effectiveRulesOf one kind (one `?`: the kind) over the departments of `rule_scope(id)`, a CTE the
 * statement defines (closed under parents: ancestorsCte and a subtree, say).
 */
export const scopedRulesCte = effectiveRulesOf(`SELECT ?::text`, `SELECT id FROM rule_scope`);

/** SQL: `ancestors(id, parent_id)`, a department (one `?`, its id as text) and every department above it; a CTE after `WITH RECURSIVE`. */
export const ancestorsCte = `ancestors(id, parent_id) AS (
    SELECT d.id, d.parent_id FROM departments d WHERE d.id::text = ?
    UNION
    SELECT d.id, d.parent_id FROM departments d JOIN ancestors a ON d.id = a.parent_id
  )`;

type RuleRow = { kind: ReportKind; department_id: string; rule_id: string | null; required: boolean | null; deadline_day: number | null; deadline_time: string | null };
/** SQL after effectiveRulesOf: a RuleRow per kind and department. */
const ruleRowsSql = `SELECT t.kind, t.department_id::text AS department_id, t.rule_id::text AS rule_id, o.required, o.deadline_day, o.deadline_time
  FROM effective_rules t LEFT JOIN own_rules o ON o.id = t.rule_id`;

function rulesOf(rows: RuleRow[], kinds: readonly ReportKind[]): Map<ReportKind, Map<string, DueRule>> {
  const byKind = new Map<ReportKind, Map<string, DueRule>>(kinds.map((kind) => [kind, new Map()]));
  for (const r of rows) {
    byKind.get(r.kind)!.set(
      String(r.department_id),
      r.rule_id ? { id: String(r.rule_id), required: r.required!, deadlineDay: Number(r.deadline_day), deadlineTime: r.deadline_time! } : defaultDueRules[r.kind],
    );
  }
  return byKind;
}

/**
 * The rule of each kind asked that applies in each department: its own, else the nearest above it,
 * else the organisation's, else the default. One recursive query over the department tree for all
 * the kinds asked.
 */
export async function dueRulesOfKinds(em: EntityManager, kinds: readonly ReportKind[]): Promise<Map<ReportKind, Map<string, DueRule>>> {
  const rows = await preparedQuery<RuleRow>(em, `WITH RECURSIVE ${effectiveRulesOf(`SELECT unnest(?::text[])`)} ${ruleRowsSql}`, [pgArray(kinds)]);
  return rulesOf(rows, kinds);
}

/**
 * readReportCalendar and the rules of the kinds (dueRulesOfKinds) that one department follows, in
 * one statement: what the workbench needs to tell which reports are due and by when.
 */
export async function reportCalendarWithRules(em: EntityManager, range: Period, kinds: readonly ReportKind[], departmentId: string): Promise<{ calendar: ReportCalendar; rules: Map<ReportKind, Map<string, DueRule>> }> {
  const [row] = await preparedQuery<CalendarRow & { rules: RuleRow[] }>(
    em,
    // Only the department's own line of ancestors is walked: its rule depends on nothing else.
    `WITH RECURSIVE ${ancestorsCte}, ${effectiveRulesOf(`SELECT unnest(?::text[])`, `SELECT id FROM ancestors`)}
     SELECT ${calendarColumns}, coalesce((SELECT json_agg(r) FROM (${ruleRowsSql} WHERE t.department_id::text = ?) r), '[]') AS rules`,
    [departmentId, pgArray(kinds), range.start, range.end, departmentId],
  );
  return { calendar: calendarOf(row), rules: rulesOf(row.rules, kinds) };
}

/** The rule of a kind that applies in each department (dueRulesOfKinds of one kind). */
export async function dueRulesByDepartment(em: EntityManager, kind: ReportKind): Promise<Map<string, DueRule>> {
  return (await dueRulesOfKinds(em, [kind])).get(kind)!;
}

/** The rule of a kind that applies to one department. */
export async function dueRuleFor(em: EntityManager, kind: ReportKind, departmentId: string): Promise<DueRule> {
  return (await dueRulesByDepartment(em, kind)).get(departmentId) ?? defaultDueRules[kind];
}
