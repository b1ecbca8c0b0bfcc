import { defineEntity, p } from '@mikro-orm/core';
import { Reminder } from './Reminder.js';
import { ScheduleEntry } from './ScheduleEntry.js';

const EntryReminderSchema = defineEntity({
  name: 'EntryReminder',
  tableName: 'entry_reminders',
  properties: {
    entry: () => p.manyToOne(ScheduleEntry).primary().deleteRule('cascade'),
    reminder: () => p.oneToOne(Reminder).primary().deleteRule('cascade'),
    offsetMinutes: p.integer(),
  },
});

/** A reminder the reminders machinery fires before a schedule entry. */
export class EntryReminder extends EntryReminderSchema.class {}
EntryReminderSchema.setClass(EntryReminder);
export { EntryReminderSchema };
