import type { EntityManager } from '@mikro-orm/postgresql';
import { compileSchedule } from '../recurrence/expand.js';
import { occurrenceJobs } from '../jobs/queue.js';
import type { CommandContext } from './context.js';

export type ScheduleRow = { rrule: string | null; dtstart: string; time_zone: string; exdates: string[]; status: string };

/**
 * Creates the reminder's next occurrence strictly after `after` and its pg-boss job, in the
 * caller's transaction; a reminder with no further occurrence ends. Returns the due instant.
 * `known` is the reminder's schedule when the caller already read it (saves a query per firing).
 */
export async function scheduleNextOccurrence(cx: Pick<CommandContext, 'em' | 'jobs'>, reminderId: string, after: Date, known?: ScheduleRow): Promise<Date | null> {
  const tx = cx.em;
  const [reminder] = known ? [known] : await tx.execute<ScheduleRow[]>(`SELECT rrule, dtstart, time_zone, exdates, status FROM reminders WHERE id = ?`, [reminderId]);
  if (!reminder || reminder.status === 'paused') return null;
  const [dueAt] = compileSchedule({ rrule: reminder.rrule, dtstart: reminder.dtstart, timeZone: reminder.time_zone, exdates: reminder.exdates }).next(1, after);
  if (!dueAt) {
    await tx.execute(`UPDATE reminders SET status = 'ended', next_due_at = NULL, updated_at = now() WHERE id = ?`, [reminderId]);
    return null;
  }
  const inserted = await tx.execute<{ id: string }[]>(
    `INSERT INTO reminder_occurrences (reminder_id, due_at, created_at) VALUES (?, ?, now())
     ON CONFLICT (reminder_id, due_at) WHERE recipient_id IS NULL DO NOTHING RETURNING id::text AS id`,
    [reminderId, dueAt],
  );
  if (inserted.length) await cx.jobs.insert(occurrenceJobs([{ id: inserted[0].id, dueAt }]));
  await tx.execute(`UPDATE reminders SET status = 'active', next_due_at = ?, updated_at = now() WHERE id = ?`, [dueAt, reminderId]);
  return dueAt;
}

/** Drops the reminder's scheduled (unfired, non-snooze) occurrences; their jobs then find nothing to fire. */
export async function clearPendingOccurrences(tx: EntityManager, reminderId: string): Promise<void> {
  await tx.execute(`DELETE FROM reminder_occurrences WHERE reminder_id = ? AND fired_at IS NULL AND recipient_id IS NULL`, [reminderId]);
}
