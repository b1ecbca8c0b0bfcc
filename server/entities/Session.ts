import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    // Only the SHA-256 of the opaque token is kept, so a leaked table cannot be replayed.
    tokenHash: p.string().length(64).unique(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    userAgent: p.string().length(300).nullable(),
  },
});

/** A signed-in device: cookie or bearer token. */
export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
export { SessionSchema };
