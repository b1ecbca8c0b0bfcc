import { defineEntity, p } from '@mikro-orm/core';
import { BoardReply } from './BoardReply.js';
import { BoardThread } from './BoardThread.js';
import { User } from './User.js';

const BoardReactionSchema = defineEntity({
  name: 'BoardReaction',
  tableName: 'board_reactions',
  // One reaction of a kind per user on a thread's opening post (reply null) or a reply: a unique index with NULLS NOT DISTINCT, in the migration.
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    thread: () => p.manyToOne(BoardThread).deleteRule('cascade'),
    reply: () => p.manyToOne(BoardReply).nullable().deleteRule('cascade'),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    reaction: p.string().length(20),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A user's reaction (one of a small fixed set) to a thread's opening post or a reply. */
export class BoardReaction extends BoardReactionSchema.class {}
BoardReactionSchema.setClass(BoardReaction);
export { BoardReactionSchema };
