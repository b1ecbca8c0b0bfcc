import type { DeliveryDTO, ReminderDTO, ReminderSource } from '../../shared/reminders.js';
import type { Reminder } from '../entities/Reminder.js';
import { reminderAbilities } from '../policies/reminders.js';
import { formatInZone } from '../recurrence/expand.js';

/** What a reminder's presentation reads: the entity, or a row of the same fields (the owner as its id, instants as PostgreSQL wrote them). */
export type ReminderFields = Pick<Reminder, 'id' | 'title' | 'note' | 'noteText' | 'recipients' | 'channels' | 'rrule' | 'dtstart' | 'timeZone' | 'exdates' | 'urgent' | 'status'> & {
  owner: Reminder['owner'] | string;
  nextDueAt?: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
};

/** A reminder as its owner sees it; times in the reminder's own zone. */
export function presentReminder(r: ReminderFields, source: ReminderSource | null = null): ReminderDTO {
  return {
    id: String(r.id),
    ownerId: String(typeof r.owner === 'object' ? r.owner.id : r.owner),
    title: r.title,
    note: r.note ?? null,
    noteText: r.noteText,
    recipients: r.recipients,
    channels: r.channels,
    rrule: r.rrule ?? null,
    dtstart: r.dtstart,
    timeZone: r.timeZone,
    exdates: r.exdates,
    urgent: r.urgent,
    status: r.status,
    nextDueAt: r.nextDueAt ? formatInZone(new Date(r.nextDueAt), r.timeZone) : null,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
    source,
    can: reminderAbilities(r.status, source),
  };
}

export type DeliveryRow = {
  id: string;
  notification_id: string;
  occurrence_id: string | null;
  recipient_id: string;
  channel: 'email' | 'sms';
  provider: string;
  address: string;
  status: DeliveryDTO['status'];
  provider_id: string | null;
  attempts: number;
  last_error: string | null;
  not_before: Date;
  queued_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  failed_at: Date | null;
};

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** One row of the delivery log. */
export function presentDelivery(row: DeliveryRow): DeliveryDTO {
  return {
    id: String(row.id),
    notificationId: String(row.notification_id),
    occurrenceId: row.occurrence_id ? String(row.occurrence_id) : null,
    recipientId: String(row.recipient_id),
    channel: row.channel,
    provider: row.provider,
    address: row.address,
    status: row.status,
    providerId: row.provider_id,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    notBefore: iso(row.not_before)!,
    queuedAt: iso(row.queued_at)!,
    sentAt: iso(row.sent_at),
    deliveredAt: iso(row.delivered_at),
    failedAt: iso(row.failed_at),
  };
}
