import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import { Temporal } from 'temporal-polyfill';
import type { ReminderCreateInput, ReminderUpdateInput } from '../../shared/schemas/reminders.js';
import { parseRichText, richTextToPlainText } from '../channels/richTextAdapter.js';
import { Reminder } from '../entities/Reminder.js';
import { User } from '../entities/User.js';
import { AppError, conflict, notFound } from '../errors.js';
import { scheduleOccurrenceJobs } from '../jobs/queue.js';
import { assertMayAddress } from '../policies/reminders.js';
import { compileSchedule, RecurrenceError } from '../recurrence/expand.js';
import { clearPendingOccurrences, scheduleNextOccurrence } from './reminderSchedule.js';
import { reminderSource } from '../queries/reminders.js';

const invalid = (path: string, message: string) => new AppError(400, 'validation_failed', `The request is not valid: ${path}: ${message}`, [{ path, message }]);

/** Checks the recurrence fields together; a RecurrenceError becomes a 400 that names the field. */
function checkSchedule(fields: { rrule: string | null; dtstart: string; timeZone: string; exdates: string[] }, now: Date) {
  try {
    const schedule = compileSchedule(fields);
    if (!fields.rrule && schedule.next(1, now).length === 0) throw invalid('dtstart', 'a one-time reminder must be in the future');
    return schedule;
  } catch (error) {
    if (!(error instanceof RecurrenceError)) throw error;
    const path = /zone/i.test(error.message) ? 'timeZone' : /dtstart/i.test(error.message) ? 'dtstart' : /exdates/i.test(error.message) ? 'exdates' : 'rrule';
    throw invalid(path, error.message);
  }
}

/** The note as stored: the checked Lexical JSON and its plain text; a malformed note is a 400 naming `note`. */
function checkNote(note: unknown) {
  if (note === null || note === undefined) return { note: null, noteText: '' };
  try {
    const doc = parseRichText(note);
    return { note: doc as unknown as Record<string, unknown>, noteText: richTextToPlainText(doc) };
  } catch (error) {
    if (error instanceof AppError && error.status === 400) throw invalid('note', error.message);
    throw error;
  }
}

/** The reminder if the user owns it; 404 otherwise (others' reminders are not revealed). */
export async function findOwnedReminder(em: EntityManager, ownerId: string, id: string): Promise<Reminder> {
  const reminder = await em.findOne(Reminder, { id, owner: ownerId });
  if (!reminder) throw notFound('The reminder');
  return reminder;
}

/** Creates a reminder and schedules its first occurrence in one transaction. */
export async function reminderCreator(em: EntityManager, boss: PgBoss, owner: User, input: ReminderCreateInput): Promise<Reminder> {
  const now = new Date();
  const schedule = checkSchedule({ rrule: input.rrule ?? null, dtstart: input.dtstart, timeZone: input.timeZone, exdates: input.exdates }, now);
  const note = checkNote(input.note);
  await assertMayAddress(em, owner.id, input.recipients);
  return em.transactional(async (tx) => {
    const reminder = tx.create(Reminder, {
      owner: tx.getReference(User, owner.id),
      title: input.title,
      ...note,
      recipients: input.recipients,
      channels: input.channels,
      rrule: schedule.rrule,
      dtstart: schedule.dtstart,
      timeZone: schedule.timeZone,
      exdates: schedule.exdates,
      urgent: input.urgent,
      status: 'active',
    });
    await tx.flush();
    await scheduleNextOccurrence(tx as EntityManager, boss, reminder.id, now);
    await tx.refresh(reminder);
    return reminder;
  });
}

/**
 * A reminder that a schedule entry or a contact's birthday keeps changes with them: edited or
 * deleted here it would drift from the entry, or come back at the next change of the contact.
 * (Pausing, resuming and snoozing are the user's to do.)
 */
async function requireOwnFreeStandingReminder(em: EntityManager, ownerId: string, id: string): Promise<Reminder> {
  const reminder = await findOwnedReminder(em, ownerId, id);
  const source = await reminderSource(em, String(reminder.id));
  if (source?.kind === 'entry') throw conflict('This reminder belongs to a schedule entry: change or remove it on the entry');
  if (source?.kind === 'birthday') throw conflict('This is the birthday reminder of a customer contact: it follows the contact’s birthday and the customer’s owners');
  return reminder;
}

/** Edits a reminder; a change of schedule replaces its pending occurrence. */
export async function reminderUpdater(em: EntityManager, boss: PgBoss, owner: User, id: string, input: ReminderUpdateInput): Promise<Reminder> {
  const reminder = await requireOwnFreeStandingReminder(em, owner.id, id);
  const now = new Date();
  const fields = {
    rrule: input.rrule !== undefined ? input.rrule : reminder.rrule ?? null,
    dtstart: input.dtstart ?? reminder.dtstart,
    timeZone: input.timeZone ?? reminder.timeZone,
    exdates: input.exdates ?? reminder.exdates,
  };
  const scheduleChanged = ['rrule', 'dtstart', 'timeZone', 'exdates'].some((k) => k in input);
  const schedule = scheduleChanged ? checkSchedule(fields, now) : null;
  const note = input.note !== undefined ? checkNote(input.note) : null;
  if (input.recipients) await assertMayAddress(em, owner.id, input.recipients);
  return em.transactional(async (tx) => {
    const locked = await tx.findOneOrFail(Reminder, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (input.title !== undefined) locked.title = input.title;
    if (note) Object.assign(locked, note);
    if (input.recipients) locked.recipients = input.recipients;
    if (input.channels) locked.channels = input.channels;
    if (input.urgent !== undefined) locked.urgent = input.urgent;
    if (schedule) Object.assign(locked, { rrule: schedule.rrule, dtstart: schedule.dtstart, timeZone: schedule.timeZone, exdates: schedule.exdates });
    await tx.flush();
    if (schedule && locked.status !== 'paused') {
      await clearPendingOccurrences(tx as EntityManager, id);
      await scheduleNextOccurrence(tx as EntityManager, boss, id, now);
    }
    await tx.refresh(locked);
    return locked;
  });
}

/** Pauses a reminder: its pending occurrence is dropped until it is resumed. */
export async function reminderPauser(em: EntityManager, owner: User, id: string): Promise<Reminder> {
  await findOwnedReminder(em, owner.id, id);
  return em.transactional(async (tx) => {
    const locked = await tx.findOneOrFail(Reminder, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (locked.status === 'ended') throw conflict('The reminder has ended; edit its schedule to use it again');
    locked.status = 'paused';
    locked.nextDueAt = null;
    await tx.flush();
    await clearPendingOccurrences(tx as EntityManager, id);
    return locked;
  });
}

/** Resumes a paused reminder from now on (occurrences missed while paused are not sent). */
export async function reminderResumer(em: EntityManager, boss: PgBoss, owner: User, id: string): Promise<Reminder> {
  await findOwnedReminder(em, owner.id, id);
  return em.transactional(async (tx) => {
    const locked = await tx.findOneOrFail(Reminder, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (locked.status !== 'paused') throw conflict('Only a paused reminder can be resumed');
    locked.status = 'active';
    await tx.flush();
    await scheduleNextOccurrence(tx as EntityManager, boss, id, new Date());
    await tx.refresh(locked);
    return locked;
  });
}

/** Deletes a reminder with its occurrences; delivered notifications and their log stay. */
export async function reminderDeleter(em: EntityManager, owner: User, id: string): Promise<void> {
  const reminder = await requireOwnFreeStandingReminder(em, owner.id, id);
  await em.remove(reminder).flush();
}

/**
 * Snoozes a fired occurrence for the user who received it: a one-off occurrence for that user
 * only, in 10 minutes, in an hour, or tomorrow at the same local time in the reminder's zone.
 */
export async function occurrenceSnoozer(em: EntityManager, boss: PgBoss, user: User, occurrenceId: string, duration: '10m' | '1h' | 'tomorrow') {
  const [row] = await em.execute<{ reminder_id: string; due_at: Date; time_zone: string }[]>(
    `SELECT o.reminder_id::text AS reminder_id, o.due_at, r.time_zone FROM reminder_occurrences o JOIN reminders r ON r.id = o.reminder_id
     WHERE o.id = ? AND o.fired_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM notifications n WHERE n.recipient_id = ? AND n.kind = 'reminder' AND n.data->>'occurrenceId' = ?)`,
    [occurrenceId, user.id, occurrenceId],
  );
  if (!row) throw notFound('The reminder occurrence');
  const now = Date.now();
  const dueAt =
    duration === '10m'
      ? new Date(now + 10 * 60_000)
      : duration === '1h'
        ? new Date(now + 3600_000)
        : (() => {
            const original = Temporal.Instant.fromEpochMilliseconds(new Date(row.due_at).getTime()).toZonedDateTimeISO(row.time_zone);
            const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(row.time_zone).toPlainDate();
            return new Date(today.add({ days: 1 }).toZonedDateTime({ timeZone: row.time_zone, plainTime: original.toPlainTime() }).epochMilliseconds);
          })();
  dueAt.setMilliseconds(0);
  return em.transactional(async (tx) => {
    const inserted = await tx.execute<{ id: string }[]>(
      `INSERT INTO reminder_occurrences (reminder_id, due_at, recipient_id, snoozed_from_id, created_at) VALUES (?, ?, ?, ?, now())
       ON CONFLICT (reminder_id, due_at, recipient_id) WHERE recipient_id IS NOT NULL DO NOTHING RETURNING id::text AS id`,
      [row.reminder_id, dueAt, user.id, occurrenceId],
    );
    if (inserted.length) await scheduleOccurrenceJobs(boss, tx as EntityManager, [{ id: inserted[0].id, dueAt }]);
    return { occurrenceId: inserted[0]?.id ?? null, dueAt: dueAt.toISOString() };
  });
}
