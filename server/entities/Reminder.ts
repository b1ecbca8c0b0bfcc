import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

export type ReminderRecipients = { self: boolean; userIds: string[]; departmentIds: string[] };
export type ReminderChannel = 'email' | 'sms';

const ReminderSchema = defineEntity({
  name: 'Reminder',
  tableName: 'reminders',
  indexes: [{ properties: ['owner', 'id'], name: 'reminders_owner_id_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    owner: () => p.manyToOne(User).deleteRule('cascade'),
    title: p.string().length(200),
    // Lexical JSON as written in the editor, plus its plain-text rendering for SMS and previews.
    note: p.json<Record<string, unknown>>().nullable(),
    noteText: p.text().default(''),
    recipients: p.json<ReminderRecipients>(),
    channels: p.json<ReminderChannel[]>(),
    // Null for a one-time reminder at dtstart.
    rrule: p.string().length(500).nullable(),
    // Local wall-clock time without offset, evaluated in timeZone (RFC 5545 DTSTART;TZID=...).
    dtstart: p.string().length(19),
    timeZone: p.string().length(64),
    exdates: p.json<string[]>(),
    urgent: p.boolean().default(false),
    status: p.enum(['active', 'paused', 'ended'] as const).default('active'),
    nextDueAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** A one-time or recurring reminder that someone set for themselves or for people they manage. */
export class Reminder extends ReminderSchema.class {}
ReminderSchema.setClass(Reminder);
export { ReminderSchema };
