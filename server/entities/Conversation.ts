import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const ConversationSchema = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    kind: p.enum(['direct', 'group'] as const),
    name: p.string().length(100).nullable(),
    // "<smaller id>:<larger id>" for direct conversations; the unique index makes "the" direct chat of two users one row.
    directKey: p.string().length(41).nullable().unique(),
    createdBy: () => p.manyToOne(User).deleteRule('restrict'),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastMessageAt: p.datetime().onCreate(() => new Date()).index(),
    lastMessageId: p.bigint('string').nullable(),
    memberCount: p.integer().default(0),
  },
});

/** A direct (two users) or group chat. */
export class Conversation extends ConversationSchema.class {}
ConversationSchema.setClass(Conversation);
export { ConversationSchema };
