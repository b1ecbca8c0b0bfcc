import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const CalendarTokenSchema = defineEntity({
  name: 'CalendarToken',
  tableName: 'calendar_tokens',
  properties: {
    user: () => p.oneToOne(User).primary().deleteRule('cascade'),
    // SHA-256 of the secret in the URL; the secret itself is shown once.
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** The private calendar subscription link of one user. */
export class CalendarToken extends CalendarTokenSchema.class {}
CalendarTokenSchema.setClass(CalendarToken);
export { CalendarTokenSchema };
