import { defineEntity, p } from '@mikro-orm/core';
import { Conversation } from './Conversation.js';
import { User } from './User.js';

const ConversationMemberSchema = defineEntity({
  name: 'ConversationMember',
  tableName: 'conversation_members',
  indexes: [{ properties: ['user'], name: 'conversation_members_user_idx' }],
  properties: {
    conversation: () => p.manyToOne(Conversation).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    role: p.enum(['owner', 'admin', 'member'] as const).default('member'),
    joinedAt: p.datetime().onCreate(() => new Date()),
    // Read position: every message with an id up to this one counts as read.
    lastReadMessageId: p.bigint('string').nullable(),
  },
});

/** One user's membership of a conversation, with their role and read position. */
export class ConversationMember extends ConversationMemberSchema.class {}
ConversationMemberSchema.setClass(ConversationMember);
export { ConversationMemberSchema };
