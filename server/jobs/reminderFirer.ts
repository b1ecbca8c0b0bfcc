import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { CommandRunner, SystemContext } from '../commands/context.js';
import { notify } from '../commands/notifications/notify.js';
import { recipients } from '../commands/notifications/recipients.js';
import { scheduleNextOccurrence } from '../commands/reminderSchedule.js';
import type { ReminderChannel, ReminderRecipients } from '../entities/Reminder.js';
import { addressedUsers } from '../policies/reminders.js';
import { reportRuleReminderFirer } from '../commands/reports/reminders.js';

type OccurrenceRow = {
  id: string;
  reminder_id: string;
  due_at: Date;
  recipient_id: string | null;
  fired_at: Date | null;
  owner_id: string;
  title: string;
  note_text: string;
  recipients: ReminderRecipients;
  channels: ReminderChannel[];
  urgent: boolean;
  status: 'active' | 'paused' | 'ended';
  rrule: string | null;
  dtstart: string;
  time_zone: string;
  exdates: string[];
  report_rule_id: string | null;
  report_stage: 'before' | 'after' | null;
};

/**
 * Fires one occurrence exactly once: the row is locked (SKIP LOCKED, so a second process does
 * not wait for the first) and marked fired in the transaction that creates its notifications
 * and queues their deliveries (or, for a department of thousands, the jobs that will); a retried
 * or duplicated job finds it fired and does nothing. The unique (occurrence, recipient, channel)
 * index would refuse a second set of deliveries anyway.
 */
export async function fireOccurrence(deps: { orm: MikroORM; runner: CommandRunner }, occurrenceId: string): Promise<number> {
  return deps.runner.run(deps.orm.em.fork(), null, async (cx) => {
    const tx = cx.em;
    const [occurrence] = await tx.execute<OccurrenceRow[]>(
      `SELECT o.id::text AS id, o.reminder_id::text AS reminder_id, o.due_at, o.recipient_id::text AS recipient_id, o.fired_at,
              r.owner_id::text AS owner_id, r.title, r.note_text, r.recipients, r.channels, r.urgent, r.status,
              r.rrule, r.dtstart, r.time_zone, r.exdates,
              rr.id::text AS report_rule_id, CASE WHEN rr.reminder_id = r.id THEN 'before' WHEN rr.id IS NOT NULL THEN 'after' END AS report_stage
       FROM reminder_occurrences o JOIN reminders r ON r.id = o.reminder_id
       LEFT JOIN report_rules rr ON rr.reminder_id = r.id OR rr.late_reminder_id = r.id
       WHERE o.id = ? FOR UPDATE OF o SKIP LOCKED`,
      [occurrenceId],
    );
    // Gone (reminder deleted or edited), already fired, or being fired by another process right now.
    if (!occurrence || occurrence.fired_at) return 0;
    if (occurrence.status !== 'active' && !occurrence.recipient_id) {
      // A paused or ended reminder's leftover occurrence: dropped, so the sweeper stops offering it.
      await tx.execute(`DELETE FROM reminder_occurrences WHERE id = ?`, [occurrence.id]);
      return 0;
    }
    const dueAt = new Date(occurrence.due_at);
    // A report rule's reminder goes to those who owe the period's report and have not submitted it.
    const notified = occurrence.report_rule_id
      ? await reportRuleReminderFirer(cx, { ruleId: occurrence.report_rule_id, stage: occurrence.report_stage!, occurrenceId: occurrence.id, dueAt, recipientId: occurrence.recipient_id })
      : await notifyAddressed(cx, occurrence, dueAt);
    await tx.execute(`UPDATE reminder_occurrences SET fired_at = now() WHERE id = ?`, [occurrence.id]);
    // Snoozes are one-offs; a scheduled occurrence hands over to the next one of its rule.
    if (!occurrence.recipient_id) {
      const { rrule, dtstart, time_zone, exdates, status } = occurrence;
      await scheduleNextOccurrence(cx, occurrence.reminder_id, new Date(Math.max(dueAt.getTime(), Date.now())), { rrule, dtstart, time_zone, exdates, status });
    }
    return notified;
  });
}

/** The notifications of an ordinary reminder's occurrence: to the addressed people, keyed by the occurrence. */
async function notifyAddressed(cx: SystemContext, occurrence: OccurrenceRow, dueAt: Date): Promise<number> {
  const { self, userIds, departmentIds } = occurrence.recipients;
  // A snooze goes to the one who snoozed, most reminders are one's own: no hierarchy query for those.
  const addressed =
    occurrence.recipient_id || (self && userIds.length === 0 && departmentIds.length === 0)
      ? recipients.users([occurrence.recipient_id ?? occurrence.owner_id])
      : addressedUsers(occurrence.owner_id, occurrence.recipients);
  // The occurrence is the exactly-once key of each recipient's e-mail and SMS.
  const { recipients: notified } = await notify(cx, recipients.sql(`SELECT a.user_id, ?::bigint AS occurrence_id FROM (${addressed.sql}) a`, [occurrence.id, ...addressed.params]), {
    kind: 'reminder',
    title: occurrence.title,
    body: occurrence.note_text,
    link: `/reminders/${occurrence.reminder_id}`,
    data: { reminderId: occurrence.reminder_id, occurrenceId: occurrence.id, dueAt: dueAt.toISOString() },
    urgent: occurrence.urgent,
    channels: occurrence.channels,
  });
  return notified;
}

/** Fires a batch of occurrence jobs, a few at a time; throws (so pg-boss retries the batch) if any failed. */
export async function fireOccurrences(deps: { orm: MikroORM; runner: CommandRunner; logger: Logger }, ids: string[], concurrency = 4): Promise<number> {
  let next = 0;
  let notified = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        notified += await fireOccurrence(deps, id);
      } catch (error) {
        deps.logger.error({ err: error, occurrenceId: id }, 'firing a reminder occurrence failed');
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  if (failures.length) throw new Error(`${failures.length} of ${ids.length} occurrences failed; the batch is retried`);
  return notified;
}

/** Occurrences that are due but unfired long after their due time: their job was lost or its process died. */
export async function overdueOccurrences(em: EntityManager, graceSeconds: number, limit = 500): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `SELECT o.id::text AS id FROM reminder_occurrences o
     WHERE o.fired_at IS NULL AND o.due_at < now() - make_interval(secs => ?) ORDER BY o.due_at LIMIT ?`,
    [graceSeconds, limit],
  );
  return rows.map((r) => String(r.id));
}
