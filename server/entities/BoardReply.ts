import { defineEntity, p } from '@mikro-orm/core';
import { BoardThread } from './BoardThread.js';
import { User } from './User.js';

const BoardReplySchema = defineEntity({
  name: 'BoardReply',
  tableName: 'board_replies',
  uniques: [{ properties: ['thread', 'number'], name: 'board_replies_thread_number_unique' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    thread: () => p.manyToOne(BoardThread).deleteRule('cascade'),
    number: p.integer(),
    author: () => p.manyToOne(User).deleteRule('restrict'),
    // The author of an anonymous thread stays anonymous in its replies.
    anonymous: p.boolean().default(false),
    body: p.json<Record<string, unknown>>().nullable(),
    text: p.text().default(''),
    quote: () => p.manyToOne(BoardReply).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
    editedAt: p.datetime().nullable(),
    deletedAt: p.datetime().nullable(),
    hiddenAt: p.datetime().nullable(),
    hiddenReason: p.string().length(500).nullable(),
    hiddenBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
  },
});

/** A reply (回复) in a thread; a deleted one keeps its number as a marker. */
export class BoardReply extends BoardReplySchema.class {}
BoardReplySchema.setClass(BoardReply);
export { BoardReplySchema };
