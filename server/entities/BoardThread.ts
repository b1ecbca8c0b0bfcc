import { defineEntity, p } from '@mikro-orm/core';
import { Board } from './Board.js';
import { Customer } from './Customer.js';
import { User } from './User.js';

const BoardThreadSchema = defineEntity({
  name: 'BoardThread',
  tableName: 'board_threads',
  // The list orders (pinned first, then last activity) and the new-thread window are indexed in the migration, with their directions.
  indexes: [{ properties: ['customer'], name: 'board_threads_customer_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    board: () => p.manyToOne(Board).deleteRule('restrict'),
    author: () => p.manyToOne(User).deleteRule('restrict'),
    // Others see 匿名; administrators may look the author up (logged in board_audit).
    anonymous: p.boolean().default(false),
    title: p.string().length(200),
    body: p.json<Record<string, unknown>>(),
    text: p.text().default(''),
    customer: () => p.manyToOne(Customer).nullable().deleteRule('set null'),
    pinned: p.boolean().default(false),
    locked: p.boolean().default(false),
    hiddenAt: p.datetime().nullable(),
    hiddenReason: p.string().length(500).nullable(),
    hiddenBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
    editedAt: p.datetime().nullable(),
    lastActivityAt: p.datetime().onCreate(() => new Date()),
    // Replies are numbered 1, 2, … in their thread (floors); the last number is the reply count.
    lastNumber: p.integer().default(0),
    lastReplier: () => p.manyToOne(User).nullable().deleteRule('set null'),
    lastReplyAnonymous: p.boolean().default(false),
  },
});

/** A thread (帖子) on a board: a title, an opening post, numbered replies. */
export class BoardThread extends BoardThreadSchema.class {}
BoardThreadSchema.setClass(BoardThread);
export { BoardThreadSchema };
