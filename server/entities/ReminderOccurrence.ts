import { defineEntity, p } from '@mikro-orm/core';
import { Reminder } from './Reminder.js';
import { User } from './User.js';

const ReminderOccurrenceSchema = defineEntity({
  name: 'ReminderOccurrence',
  tableName: 'reminder_occurrences',
  indexes: [{ properties: ['reminder', 'dueAt'], name: 'reminder_occurrences_reminder_due_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    reminder: () => p.manyToOne(Reminder).deleteRule('cascade'),
    dueAt: p.datetime(),
    // Set for a snooze: that occurrence goes to one recipient only.
    recipient: () => p.manyToOne(User).nullable().deleteRule('cascade'),
    snoozedFrom: () => p.manyToOne(ReminderOccurrence).nullable().deleteRule('set null'),
    // Set in the transaction that created its notifications: the exactly-once marker.
    firedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** One due moment of a reminder; fired once, by whichever server process gets it first. */
export class ReminderOccurrence extends ReminderOccurrenceSchema.class {}
ReminderOccurrenceSchema.setClass(ReminderOccurrence);
export { ReminderOccurrenceSchema };
