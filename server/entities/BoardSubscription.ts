import { defineEntity, p } from '@mikro-orm/core';
import { Board } from './Board.js';
import { User } from './User.js';

const BoardSubscriptionSchema = defineEntity({
  name: 'BoardSubscription',
  tableName: 'board_subscriptions',
  indexes: [{ properties: ['board', 'level'], name: 'board_subscriptions_board_idx' }],
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    board: () => p.manyToOne(Board).primary().deleteRule('cascade'),
    // The level of every thread of the board without a level of its own; null: normal.
    level: p.enum(['watching', 'tracking', 'normal', 'muted'] as const).nullable(),
    // "Mark the board read": threads started before this are no longer new.
    readBefore: p.datetime().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A user's subscription level for a board and when they last marked it read. */
export class BoardSubscription extends BoardSubscriptionSchema.class {}
BoardSubscriptionSchema.setClass(BoardSubscription);
export { BoardSubscriptionSchema };
