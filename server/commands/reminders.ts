import { LockMode } from '@mikro-orm/core';
import { Temporal } from 'temporal-polyfill';
import { userStream } from '../../shared/realtime.js';
import type { ReminderDTO } from '../../shared/reminders.js';
import type { ReminderCreateInput, ReminderUpdateInput } from '../../shared/schemas/reminders.js';
import { parseRichText, richTextToPlainText } from '../channels/richTextAdapter.js';
import { Reminder } from '../entities/Reminder.js';
import { User } from '../entities/User.js';
import { AppError, conflict, notFound } from '../errors.js';
import { occurrenceJobs } from '../jobs/queue.js';
import { assertMayAddress, requireFreeStandingReminder, requireOwnReminder } from '../policies/reminders.js';
import { presentReminder } from '../presenters/reminder.js';
import { reminderSource } from '../queries/reminderSources.js';
import { compileSchedule, RecurrenceError } from '../recurrence/expand.js';
import { appendEvent, type CommandContext } from './context.js';
import { clearPendingOccurrences, scheduleNextOccurrence } from './reminderSchedule.js';

const invalid = (path: string, message: string, code: string) => new AppError(400, 'validation_failed', `The request is not valid: ${path}: ${message}`, [{ path, message, code }]);

/** Checks the recurrence fields together; a RecurrenceError becomes a 400 that names the field. */
function checkSchedule(fields: { rrule: string | null; dtstart: string; timeZone: string; exdates: string[] }, now: Date) {
  try {
    const schedule = compileSchedule(fields);
    if (!fields.rrule && schedule.next(1, now).length === 0) throw invalid('dtstart', 'a one-time reminder must be in the future', 'in_the_past');
    return schedule;
  } catch (error) {
    if (!(error instanceof RecurrenceError)) throw error;
    throw invalid(error.field === 'zone' ? 'timeZone' : error.field, error.message, error.code);
  }
}

/** The note as stored: the checked Lexical JSON and its plain text; a malformed note is a 400 naming `note`. */
function checkNote(note: unknown) {
  if (note === null || note === undefined) return { note: null, noteText: '' };
  try {
    const doc = parseRichText(note);
    return { note: doc as unknown as Record<string, unknown>, noteText: richTextToPlainText(doc) };
  } catch (error) {
    if (error instanceof AppError && error.status === 400) throw invalid('note', error.message, 'invalid_rich_text');
    throw error;
  }
}

/** Tells every device of the owner how the reminder now looks (with what keeps it), and answers it. */
async function announced(cx: CommandContext, reminder: Reminder): Promise<ReminderDTO> {
  const dto = presentReminder(reminder, await reminderSource(cx.em, String(reminder.id)));
  await appendEvent(cx, userStream(dto.ownerId), 'reminder.changed', { reminder: dto });
  return dto;
}

/** Creates a reminder and schedules its first occurrence. */
export async function reminderCreator(cx: CommandContext, input: ReminderCreateInput): Promise<ReminderDTO> {
  const { em: tx, actor: owner } = cx;
  const now = new Date();
  const schedule = checkSchedule({ rrule: input.rrule ?? null, dtstart: input.dtstart, timeZone: input.timeZone, exdates: input.exdates }, now);
  const note = checkNote(input.note);
  await assertMayAddress(tx, owner.id, input.recipients);
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
  await scheduleNextOccurrence(cx, reminder.id, now);
  await tx.refresh(reminder);
  return announced(cx, reminder);
}

/** Edits a reminder; a change of schedule replaces its pending occurrence. */
export async function reminderUpdater(cx: CommandContext, id: string, input: ReminderUpdateInput): Promise<ReminderDTO> {
  const { em: tx, actor: owner } = cx;
  const reminder = await requireFreeStandingReminder(tx, owner.id, id);
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
  if (input.recipients) await assertMayAddress(tx, owner.id, input.recipients);
  const locked = await tx.findOneOrFail(Reminder, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (input.title !== undefined) locked.title = input.title;
  if (note) Object.assign(locked, note);
  if (input.recipients) locked.recipients = input.recipients;
  if (input.channels) locked.channels = input.channels;
  if (input.urgent !== undefined) locked.urgent = input.urgent;
  if (schedule) Object.assign(locked, { rrule: schedule.rrule, dtstart: schedule.dtstart, timeZone: schedule.timeZone, exdates: schedule.exdates });
  await tx.flush();
  if (schedule && locked.status !== 'paused') {
    await clearPendingOccurrences(tx, id);
    await scheduleNextOccurrence(cx, id, now);
  }
  await tx.refresh(locked);
  return announced(cx, locked);
}

/** Pauses a reminder: its pending occurrence is dropped until it is resumed. */
export async function reminderPauser(cx: CommandContext, id: string): Promise<ReminderDTO> {
  const tx = cx.em;
  await requireOwnReminder(tx, cx.actor.id, id);
  const locked = await tx.findOneOrFail(Reminder, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (locked.status === 'ended') throw conflict('The reminder has ended; edit its schedule to use it again');
  locked.status = 'paused';
  locked.nextDueAt = null;
  await tx.flush();
  await clearPendingOccurrences(tx, id);
  return announced(cx, locked);
}

/** Resumes a paused reminder from now on (occurrences missed while paused are not sent). */
export async function reminderResumer(cx: CommandContext, id: string): Promise<ReminderDTO> {
  const tx = cx.em;
  await requireOwnReminder(tx, cx.actor.id, id);
  const locked = await tx.findOneOrFail(Reminder, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (locked.status !== 'paused') throw conflict('Only a paused reminder can be resumed');
  locked.status = 'active';
  await tx.flush();
  await scheduleNextOccurrence(cx, id, new Date());
  await tx.refresh(locked);
  return announced(cx, locked);
}

/** Deletes a reminder with its occurrences; delivered notifications and their log stay. */
export async function reminderDeleter(cx: CommandContext, id: string): Promise<void> {
  const reminder = await requireFreeStandingReminder(cx.em, cx.actor.id, id);
  await cx.em.remove(reminder).flush();
  await appendEvent(cx, userStream(cx.actor.id), 'reminder.deleted', { reminderId: id });
}

/**
 * Snoozes a fired occurrence for the user who received it: a one-off occurrence for that user
 * only, in 10 minutes, in an hour, or tomorrow at the same local time in the reminder's zone.
 */
export async function occurrenceSnoozer(cx: CommandContext, occurrenceId: string, duration: '10m' | '1h' | 'tomorrow') {
  const { em: tx, actor: user } = cx;
  const [row] = await tx.execute<{ reminder_id: string; due_at: Date; time_zone: string }[]>(
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
  const inserted = await tx.execute<{ id: string }[]>(
    `INSERT INTO reminder_occurrences (reminder_id, due_at, recipient_id, snoozed_from_id, created_at) VALUES (?, ?, ?, ?, now())
     ON CONFLICT (reminder_id, due_at, recipient_id) WHERE recipient_id IS NOT NULL DO NOTHING RETURNING id::text AS id`,
    [row.reminder_id, dueAt, user.id, occurrenceId],
  );
  if (inserted.length) await cx.jobs.insert(occurrenceJobs([{ id: inserted[0].id, dueAt }]));
  return { occurrenceId: inserted[0]?.id ?? null, dueAt: dueAt.toISOString() };
}
