import type { EntityManager } from '@mikro-orm/postgresql';
import { isWorkingDay, periodOf, shiftPeriod, type Period, type ReportKind } from '../../../shared/reportPeriods.js';
import type { User } from '../../entities/User.js';
import { deadlineOf, effectiveRulesCte, readReportCalendar, todayIn, type DueRule, type ReportCalendar } from '../../queries/reportCalendar.js';
import type { CommandContext } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients } from '../notifications/recipients.js';

type Stage = 'before' | 'after';
type RuleRow = { id: string; kind: ReportKind; department_id: string | null; required: boolean; deadline_day: number; deadline_time: string; late_reminder: boolean; head_digest: boolean; channels: ('email' | 'sms')[] };

const kindWords: Record<ReportKind, string> = { daily: 'daily', weekly: 'weekly', monthly: 'monthly' };
const periodWords = (kind: ReportKind, period: Period) => (kind === 'daily' ? period.start : kind === 'weekly' ? `the week ${period.start} – ${period.end}` : period.start.slice(0, 7));

/** Whether anyone owes a report of the kind for the period at all: a daily report only on working days. */
const periodNeedsReports = (kind: ReportKind, period: Period, calendar: ReportCalendar) => kind !== 'daily' || isWorkingDay(period.start, calendar.overrides);

/**
 * SQL selecting (`id`) the people who owe a report of a kind for a period and have not submitted it:
 * active users in departments whose effective rule is `ruleId` (or, with `ruleId` null, any rule
 * that requires the kind) within a subtree, not exempted. Parameters in order: kind, [ruleId],
 * subtree root or null, kind, period start, kind, period start.
 */
function owingSql(byRule: boolean): string {
  return `WITH RECURSIVE ${effectiveRulesCte},
    scope(id) AS (SELECT d.id FROM departments d WHERE d.id = ?::bigint OR (?::bigint IS NULL AND d.parent_id IS NULL) UNION SELECT d.id FROM departments d JOIN scope s ON d.parent_id = s.id)
    SELECT u.id FROM users u JOIN effective_rules er ON er.department_id = u.department_id LEFT JOIN own_rules orr ON orr.id = er.rule_id
    WHERE u.active AND u.department_id IN (SELECT id FROM scope)
      AND ${byRule ? 'er.rule_id = ?' : 'coalesce(orr.required, true)'}
      AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.author_id = u.id AND r.kind = ? AND r.period_start = ?::date AND r.status = 'submitted')
      AND NOT EXISTS (SELECT 1 FROM report_exemptions x WHERE x.user_id = u.id AND x.kind = ? AND x.period_start = ?::date)`;
}

/**
 * Records that the people selected (column `id`) were reminded at a stage of a period and answers
 * those not recorded before: the log's key (person, kind, period, stage) is what makes each reminder
 * go out once per person and period, whichever process fires, however often a rule fires in it.
 */
async function logOnce(em: EntityManager, selection: { sql: string; params: unknown[] }, kind: ReportKind, periodStart: string, stage: string): Promise<string[]> {
  const rows = await em.execute<{ user_id: string }[]>(
    `WITH targets AS (${selection.sql})
     INSERT INTO report_reminder_log (user_id, kind, period_start, stage, sent_at)
     SELECT id, ?, ?::date, ?, now() FROM targets
     ON CONFLICT DO NOTHING RETURNING user_id::text AS user_id`,
    [...selection.params, kind, periodStart, stage],
  );
  return rows.map((r) => String(r.user_id));
}

/** The period a post-deadline run concerns: the latest one whose deadline has passed, within the last week. */
function lastDuePeriod(kind: ReportKind, at: Date, rule: DueRule, calendar: ReportCalendar): { period: Period; deadline: Date } | null {
  let period = periodOf(kind, todayIn(calendar.timeZone, at.getTime()));
  for (let i = 0; i < 3; i++, period = shiftPeriod(kind, period.start, -1)) {
    const deadline = deadlineOf(kind, period, rule, calendar);
    if (deadline.getTime() <= at.getTime()) return at.getTime() - deadline.getTime() <= 7 * 86_400_000 ? { period, deadline } : null;
  }
  return null;
}

/**
 * Fires one occurrence of a report rule's reminder (called by the reminder firer in the
 * occurrence's exactly-once transaction). Before the deadline: a reminder to each who owes the
 * period's report and has not submitted it. After it: optionally a second reminder to each still
 * missing, and to each one's direct head a digest of their missing people. Each goes out once per
 * person and period (report_reminder_log), through notify: in the app, by e-mail / SMS per the rule's
 * channels, the recipients' preferences and quiet hours. Answers how many were notified.
 */
export async function reportRuleReminderFirer(cx: CommandContext<User | null>, input: { ruleId: string; stage: Stage; occurrenceId: string; dueAt: Date; recipientId: string | null }): Promise<number> {
  const [rule] = await cx.em.execute<RuleRow[]>(
    `SELECT id::text AS id, kind, department_id::text AS department_id, required, deadline_day, deadline_time, late_reminder, head_digest, channels FROM report_rules WHERE id = ?`,
    [input.ruleId],
  );
  if (!rule || !rule.required) return 0;
  const due: DueRule = { id: rule.id, required: rule.required, deadlineDay: Number(rule.deadline_day), deadlineTime: rule.deadline_time };
  const at = input.dueAt;
  const around = periodOf(rule.kind, todayIn('UTC', at.getTime()));
  const calendar = await readReportCalendar(cx.em, { start: shiftPeriod(rule.kind, around.start, -3).start, end: shiftPeriod(rule.kind, around.start, 3).end });
  const target = input.stage === 'before' ? { period: periodOf(rule.kind, todayIn(calendar.timeZone, at.getTime())), deadline: null } : lastDuePeriod(rule.kind, at, due, calendar);
  if (!target || !periodNeedsReports(rule.kind, target.period, calendar)) return 0;
  const { period } = target;
  const deadline = target.deadline ?? deadlineOf(rule.kind, period, due, calendar);
  const owing = { sql: owingSql(true) + (input.recipientId ? ' AND u.id = ?' : ''), params: [rule.kind, rule.department_id, rule.department_id, rule.id, rule.kind, period.start, rule.kind, period.start, ...(input.recipientId ? [input.recipientId] : [])] };
  const words = `${kindWords[rule.kind]} report for ${periodWords(rule.kind, period)}`;
  const link = `/reports/write?kind=${rule.kind}&date=${period.start}`;
  const data = { ruleId: rule.id, kind: rule.kind, periodStart: period.start, occurrenceId: input.occurrenceId };
  let notified = 0;
  const remind = async (stage: string, title: string, body: string) => {
    const people = await logOnce(cx.em, owing, rule.kind, period.start, stage);
    const result = await notify(cx, recipients.rows(people.map((userId) => ({ userId, occurrenceId: input.occurrenceId }))), { kind: 'reminder', title, body, link, data, channels: rule.channels });
    notified += result.recipients;
  };
  if (input.stage === 'before') {
    await remind('before', `Submit your ${words}`, `Due ${deadline.toISOString()}`);
    return notified;
  }
  if (rule.late_reminder) await remind('late', `Your ${words} is missing`, `It was due ${deadline.toISOString()}`);
  if (rule.head_digest && !input.recipientId) notified += await headDigest(cx, owing, rule, period, input.occurrenceId);
  return notified;
}

/**
 * To each direct head (the managers of the nearest department up from the author's that has managers
 * other than the author) the names of their people still missing, once per head, period and rule.
 */
async function headDigest(cx: CommandContext<User | null>, owing: { sql: string; params: unknown[] }, rule: RuleRow, period: Period, occurrenceId: string): Promise<number> {
  const rows = await cx.em.execute<{ head_id: string; names: string[] }[]>(
    `WITH missing AS (${owing.sql}),
     heads AS (
       SELECT DISTINCT m.id AS author_id, h.user_id AS head_id
       FROM missing m JOIN users mu ON mu.id = m.id
       CROSS JOIN LATERAL (
         WITH RECURSIVE chain(id, parent_id, level) AS (
           SELECT d.id, d.parent_id, 0 FROM departments d WHERE d.id = mu.department_id
           UNION ALL
           SELECT d.id, d.parent_id, c.level + 1 FROM departments d JOIN chain c ON d.id = c.parent_id
         ), candidates AS (SELECT dm.user_id, c.level FROM department_managers dm JOIN chain c ON c.id = dm.department_id WHERE dm.user_id <> m.id)
         SELECT user_id FROM candidates WHERE level = (SELECT min(level) FROM candidates)
       ) h
     ),
     logged AS (
       INSERT INTO report_reminder_log (user_id, kind, period_start, stage, sent_at)
       SELECT DISTINCT head_id, ?, ?::date, ?, now() FROM heads ON CONFLICT DO NOTHING RETURNING user_id
     )
     SELECT l.user_id::text AS head_id, array_agg(u.display_name ORDER BY u.display_name) AS names
     FROM logged l JOIN heads h ON h.head_id = l.user_id JOIN users u ON u.id = h.author_id GROUP BY l.user_id`,
    [...owing.params, rule.kind, period.start, `digest:${rule.id}`],
  );
  const title = `Missing ${kindWords[rule.kind]} reports for ${periodWords(rule.kind, period)}`;
  const result = await notify(cx, recipients.rows(rows.map((r) => ({ userId: String(r.head_id), occurrenceId, data: { missing: r.names } }))), {
    kind: 'report', title, body: 'Some of the people you lead have not submitted it; the status view lists them.', link: `/reports/status?kind=${rule.kind}&date=${period.start}`,
    data: { ruleId: rule.id, kind: rule.kind, periodStart: period.start },
  });
  return result.recipients;
}

/**
 * "Remind now" from a status view: the people of a department subtree who owe the period's report
 * and have not submitted it are reminded — once per person and period, however often it is pressed.
 */
export async function missingReminder(cx: CommandContext, input: { departmentId: string | null; kind: ReportKind; date: string }): Promise<{ reminded: number }> {
  const period = periodOf(input.kind, input.date);
  const calendar = await readReportCalendar(cx.em, period);
  if (!periodNeedsReports(input.kind, period, calendar)) return { reminded: 0 };
  const owing = { sql: owingSql(false), params: [input.kind, input.departmentId, input.departmentId, input.kind, period.start, input.kind, period.start] };
  const people = await logOnce(cx.em, owing, input.kind, period.start, 'manual');
  const { recipients: reminded } = await notify(cx, recipients.users(people), {
    kind: 'reminder', title: `${cx.actor.displayName} reminds you: submit your ${kindWords[input.kind]} report for ${periodWords(input.kind, period)}`, body: '',
    link: `/reports/write?kind=${input.kind}&date=${period.start}`, data: { kind: input.kind, periodStart: period.start },
  });
  return { reminded };
}
