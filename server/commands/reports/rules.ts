import type { ReportKind } from '../../../shared/reportPeriods.js';
import type { ReportRuleDTO } from '../../../shared/reports.js';
import { badRequest, notFound } from '../../errors.js';
import { requireDepartmentsAuthority } from '../../policies/reports.js';
import { compileSchedule, RecurrenceError } from '../../recurrence/expand.js';
import { todayIn } from '../../queries/reportCalendar.js';
import { ruleById } from '../../queries/reportSettings.js';
import { readOrgSettings } from '../../queries/settings.js';
import { scheduleNextOccurrence } from '../reminderSchedule.js';
import type { CommandContext } from '../context.js';

export type RuleInput = {
  kind: ReportKind; departmentId: string | null; required: boolean; deadlineDay: number; deadlineTime: string;
  remindRrule: string | null; remindTime: string | null; lateReminder: boolean; headDigest: boolean; lateTime: string; channels: ('email' | 'sms')[];
};

const seconds = (time: string) => (time.length === 5 ? `${time}:00` : time);

/**
 * One of a rule's reminders: an ordinary recurring reminder of the rule's last editor, in the
 * organisation's zone, so that it fires through the reminders machinery (recurrence, pg-boss, the
 * exactly-once firing across processes); the firer sees it belongs to the rule and picks the people.
 */
async function ruleReminder(cx: CommandContext, title: string, rrule: string, time: string, channels: string[], timeZone: string, path: string): Promise<string> {
  const dtstart = `${todayIn(timeZone)}T${seconds(time)}`;
  try {
    compileSchedule({ rrule, dtstart, timeZone, exdates: [] });
  } catch (error) {
    if (error instanceof RecurrenceError) throw badRequest(`The reminder rule is not valid: ${error.message}`, [{ path, code: error.code, message: error.message }]);
    throw error;
  }
  const [row] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO reminders (owner_id, title, note, note_text, recipients, channels, rrule, dtstart, time_zone, exdates, urgent, status, created_at, updated_at)
     VALUES (?, ?, NULL, '', ?, ?, ?, ?, ?, '[]', false, 'active', now(), now()) RETURNING id::text AS id`,
    [cx.actor.id, title, JSON.stringify({ self: false, userIds: [], departmentIds: [] }), JSON.stringify(channels), rrule, dtstart, timeZone],
  );
  await scheduleNextOccurrence(cx, row.id, new Date());
  return row.id;
}

/**
 * Sets the rule of a kind for a department subtree (or, for administrators, the whole organisation):
 * whether the kind is required there, its deadline, and its reminders — before the deadline to those
 * who have not submitted, after it a second one and a digest to their heads. Saving replaces the
 * rule's reminders (their pending occurrences go with them).
 */
export async function ruleSaver(cx: CommandContext, input: RuleInput): Promise<ReportRuleDTO> {
  const { em: tx, actor } = cx;
  if (input.departmentId && !(await tx.execute(`SELECT 1 FROM departments WHERE id = ?`, [input.departmentId])).length) {
    throw badRequest('The department does not exist', [{ path: 'departmentId', code: 'unknown_department', message: 'unknown department' }]);
  }
  await requireDepartmentsAuthority(tx, actor, input.departmentId ? [input.departmentId] : [], 'report rules');
  const [existing] = await tx.execute<{ id: string; reminder_id: string | null; late_reminder_id: string | null }[]>(
    `SELECT id::text AS id, reminder_id::text AS reminder_id, late_reminder_id::text AS late_reminder_id FROM report_rules WHERE kind = ? AND coalesce(department_id, 0) = coalesce(?::bigint, 0) FOR UPDATE`,
    [input.kind, input.departmentId],
  );
  const old = [existing?.reminder_id, existing?.late_reminder_id].filter((id): id is string => !!id);
  if (old.length) await tx.execute(`DELETE FROM reminders WHERE id = ANY(?::bigint[])`, [`{${old.join(',')}}`]);
  const { timeZone } = await readOrgSettings(tx);
  const scope = input.departmentId ? ' (department rule)' : '';
  const before = input.required && input.remindRrule && input.remindTime ? await ruleReminder(cx, `Report reminder: ${input.kind}${scope}`, input.remindRrule, input.remindTime, input.channels, timeZone, 'remindRrule') : null;
  const after = input.required && (input.lateReminder || input.headDigest) ? await ruleReminder(cx, `Missing reports: ${input.kind}${scope}`, 'FREQ=DAILY', input.lateTime, input.channels, timeZone, 'lateTime') : null;
  const values = [input.required, input.deadlineDay, input.deadlineTime, input.remindRrule, input.remindTime, input.lateReminder, input.headDigest, input.lateTime, JSON.stringify(input.channels), before, after, actor.id];
  let id = existing?.id;
  if (id) {
    await tx.execute(
      `UPDATE report_rules SET required = ?, deadline_day = ?, deadline_time = ?, remind_rrule = ?, remind_time = ?, late_reminder = ?, head_digest = ?, late_time = ?, channels = ?, reminder_id = ?, late_reminder_id = ?, updated_by_id = ?, updated_at = now() WHERE id = ?`,
      [...values, id],
    );
  } else {
    const [row] = await tx.execute<{ id: string }[]>(
      `INSERT INTO report_rules (kind, department_id, required, deadline_day, deadline_time, remind_rrule, remind_time, late_reminder, head_digest, late_time, channels, reminder_id, late_reminder_id, updated_by_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now()) RETURNING id::text AS id`,
      [input.kind, input.departmentId, ...values],
    );
    id = row.id;
  }
  return (await ruleById(tx, actor, id))!;
}

/** Removes a rule (the department then follows the rule above it) with its reminders. */
export async function ruleDeleter(cx: CommandContext, id: string): Promise<void> {
  const [rule] = await cx.em.execute<{ department_id: string | null; reminder_id: string | null; late_reminder_id: string | null }[]>(
    `SELECT department_id::text AS department_id, reminder_id::text AS reminder_id, late_reminder_id::text AS late_reminder_id FROM report_rules WHERE id = ? FOR UPDATE`,
    [id],
  );
  if (!rule) throw notFound('The rule');
  await requireDepartmentsAuthority(cx.em, cx.actor, rule.department_id ? [rule.department_id] : [], 'report rules');
  await cx.em.execute(`DELETE FROM report_rules WHERE id = ?`, [id]);
  const reminders = [rule.reminder_id, rule.late_reminder_id].filter((r): r is string => !!r);
  if (reminders.length) await cx.em.execute(`DELETE FROM reminders WHERE id = ANY(?::bigint[])`, [`{${reminders.join(',')}}`]);
}
