import type { EntityManager } from '@mikro-orm/postgresql';
import type { Page } from '../../shared/dto.js';
import type { DeliveryDTO, ReminderDTO } from '../../shared/reminders.js';
import { Reminder } from '../entities/Reminder.js';
import { presentDelivery, presentReminder, type DeliveryRow, type ReminderFields } from '../presenters/reminder.js';
import { preparedQuery } from '../db/prepared.js';
import { deliveryColumns } from './deliveries.js';
import { compileSchedule, formatInZone } from '../recurrence/expand.js';
import { pageOf } from './pagination.js';
import { reminderSource, reminderSources } from './reminderSources.js';

export async function listReminders(em: EntityManager, ownerId: string, query: { before?: string; limit: number }): Promise<Page<ReminderDTO>> {
  const where: Record<string, unknown> = { owner: ownerId };
  if (query.before) where.id = { $lt: query.before };
  const rows = await em.find(Reminder, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
  return pageOf(rows, query.limit, async (items) => {
    const sources = await reminderSources(em, items.map((r) => String(r.id)));
    return items.map((r) => presentReminder(r, sources.get(String(r.id)) ?? null));
  }, (r) => String(r.id));
}

/** One reminder as its owner sees it, with its source. */
export async function reminderDetail(em: EntityManager, reminder: Reminder): Promise<ReminderDTO> {
  return presentReminder(reminder, await reminderSource(em, String(reminder.id)));
}

/** The next occurrences of a reminder, from its pending one on (which may be slightly past while it fires). */
export function upcomingOccurrences(reminder: Reminder, count: number): string[] {
  if (reminder.status !== 'active') return [];
  const schedule = compileSchedule({ rrule: reminder.rrule, dtstart: reminder.dtstart, timeZone: reminder.timeZone, exdates: reminder.exdates });
  const from = reminder.nextDueAt ? new Date(new Date(reminder.nextDueAt).getTime() - 1) : new Date();
  return schedule.next(count, from).map((d) => formatInZone(d, reminder.timeZone));
}

/** E-mail and SMS of a reminder's past occurrences, newest first (the caller checked ownership). */
export async function reminderDeliveries(em: EntityManager, reminderId: string, query: { before?: string; limit: number }): Promise<Page<DeliveryDTO>> {
  const rows = await em.execute<DeliveryRow[]>(
    `SELECT ${deliveryColumns} FROM deliveries d JOIN reminder_occurrences o ON o.id = d.occurrence_id
     WHERE o.reminder_id = ? ${query.before ? 'AND d.id < ?' : ''} ORDER BY d.id DESC LIMIT ?`,
    [reminderId, ...(query.before ? [query.before] : []), query.limit + 1],
  );
  return pageOf(rows, query.limit, (items) => items.map(presentDelivery), (r) => String(r.id));
}

/** One's active reminders whose next occurrence falls before `until`, soonest first, each with what keeps it. */
export async function upcomingReminders(em: EntityManager, ownerId: string, until: Date, limit: number): Promise<ReminderDTO[]> {
  // Rows, not entities: the workbench asks this of every visit, and the ORM's query building and hydration cost more than the query.
  const rows = await preparedQuery<ReminderFields>(
    em,
    `SELECT r.id::text AS id, r.owner_id::text AS owner, r.title, r.note, r.note_text AS "noteText", r.recipients, r.channels, r.rrule, r.dtstart,
       r.time_zone AS "timeZone", r.exdates, r.urgent, r.status, r.next_due_at AS "nextDueAt", r.created_at AS "createdAt", r.updated_at AS "updatedAt"
     FROM reminders r WHERE r.owner_id = ? AND r.status = 'active' AND r.next_due_at IS NOT NULL AND r.next_due_at < ?
     ORDER BY r.next_due_at, r.id LIMIT ?`,
    [ownerId, until, limit],
  );
  const sources = await reminderSources(em, rows.map((r) => String(r.id)));
  return rows.map((r) => presentReminder(r, sources.get(String(r.id)) ?? null));
}
