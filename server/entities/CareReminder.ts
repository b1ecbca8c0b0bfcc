import { defineEntity, p } from '@mikro-orm/core';
import { Contact } from './Contact.js';
import { Reminder } from './Reminder.js';
import { User } from './User.js';

const CareReminderSchema = defineEntity({
  name: 'CareReminder',
  tableName: 'care_reminders',
  properties: {
    contact: () => p.manyToOne(Contact).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    reminder: () => p.oneToOne(Reminder).deleteRule('cascade'),
  },
});

/** The yearly birthday reminder of one contact for one of the customer's owners. */
export class CareReminder extends CareReminderSchema.class {}
CareReminderSchema.setClass(CareReminder);
export { CareReminderSchema };
