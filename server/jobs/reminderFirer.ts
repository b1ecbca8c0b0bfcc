import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { inTransaction } from '../commands/transaction.js';
import { notificationCreator } from '../commands/notifications.js';
import { scheduleNextOccurrence } from '../commands/reminderSchedule.js';
import type { ReminderChannel, ReminderRecipients } from '../entities/Reminder.js';
import { resolveRecipients } from '../policies/reminders.js';
import type { RealtimeEmitter } from '../realtime/emitter.js';

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
  owner_active: boolean;
  rrule: string | null;
  dtstart: string;
  time_zone: string;
  exdates: string[];
};

/**
 * Fires one occurrence exactly once: the row is locked (SKIP LOCKED, so a second process does
 * not wait for the first) and marked fired in the transaction that creates its notifications
 * and queues their deliveries; a retried or duplicated job finds it fired and does nothing.
 * The unique (occurrence, recipient, channel) index would refuse a second set of deliveries anyway.
 */
export async function fireOccurrence(deps: { orm: MikroORM; boss: PgBoss; emitter: RealtimeEmitter }, occurrenceId: string): Promise<number> {
  return inTransaction(deps.orm.em.fork(), deps.emitter, async (tx, events) => {
    const [occurrence] = await tx.execute<OccurrenceRow[]>(
      `SELECT o.id::text AS id, o.reminder_id::text AS reminder_id, o.due_at, o.recipient_id::text AS recipient_id, o.fired_at,
              r.owner_id::text AS owner_id, r.title, r.note_text, r.recipients, r.channels, r.urgent, r.status,
              r.rrule, r.dtstart, r.time_zone, r.exdates, ow.active AS owner_active
       FROM reminder_occurrences o JOIN reminders r ON r.id = o.reminder_id JOIN users ow ON ow.id = r.owner_id
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
    const { self, userIds, departmentIds } = occurrence.recipients;
    // Most reminders are one's own: no hierarchy query for those.
    const recipientIds = occurrence.recipient_id
      ? [occurrence.recipient_id]
      : self && userIds.length === 0 && departmentIds.length === 0
        ? occurrence.owner_active ? [occurrence.owner_id] : []
        : await resolveRecipients(tx, occurrence.owner_id, occurrence.recipients);
    const dueAt = new Date(occurrence.due_at);
    for (const recipientId of recipientIds) {
      await notificationCreator(tx, events, {
        recipientId,
        kind: 'reminder',
        title: occurrence.title,
        body: occurrence.note_text,
        link: `/reminders/${occurrence.reminder_id}`,
        data: { reminderId: occurrence.reminder_id, occurrenceId: occurrence.id, dueAt: dueAt.toISOString() },
        urgent: occurrence.urgent,
        channels: occurrence.channels,
        occurrenceId: occurrence.id,
      });
    }
    await tx.execute(`UPDATE reminder_occurrences SET fired_at = now() WHERE id = ?`, [occurrence.id]);
    // Snoozes are one-offs; a scheduled occurrence hands over to the next one of its rule.
    if (!occurrence.recipient_id) {
      const { rrule, dtstart, time_zone, exdates, status } = occurrence;
      await scheduleNextOccurrence(tx, deps.boss, occurrence.reminder_id, new Date(Math.max(dueAt.getTime(), Date.now())), { rrule, dtstart, time_zone, exdates, status });
    }
    return recipientIds.length;
  });
}

/** Fires a batch of occurrence jobs, a few at a time; throws (so pg-boss retries the batch) if any failed. */
export async function fireOccurrences(deps: { orm: MikroORM; boss: PgBoss; emitter: RealtimeEmitter; logger: Logger }, ids: string[], concurrency = 4): Promise<number> {
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
