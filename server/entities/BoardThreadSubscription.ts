import { defineEntity, p } from '@mikro-orm/core';
import { BoardThread } from './BoardThread.js';
import { User } from './User.js';

const BoardThreadSubscriptionSchema = defineEntity({
  name: 'BoardThreadSubscription',
  tableName: 'board_thread_subscriptions',
  indexes: [{ properties: ['thread', 'level'], name: 'board_thread_subscriptions_thread_idx' }],
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    thread: () => p.manyToOne(BoardThread).primary().deleteRule('cascade'),
    level: p.enum(['watching', 'tracking', 'normal', 'muted'] as const),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A user's subscription level for one thread (overrides their level for its board). */
export class BoardThreadSubscription extends BoardThreadSubscriptionSchema.class {}
BoardThreadSubscriptionSchema.setClass(BoardThreadSubscription);
export { BoardThreadSubscriptionSchema };
