import { defineEntity, p } from '@mikro-orm/core';
import { BoardThread } from './BoardThread.js';
import { User } from './User.js';

const BoardThreadReadSchema = defineEntity({
  name: 'BoardThreadRead',
  tableName: 'board_thread_reads',
  indexes: [{ properties: ['user', 'boardId'], name: 'board_thread_reads_user_board_idx' }],
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    thread: () => p.manyToOne(BoardThread).primary().deleteRule('cascade'),
    // The thread's board, copied (and moved with the thread) so that unread counts group by board without a join.
    boardId: p.bigint('string'),
    // Every reply up to this number counts as read; 0: the opening post only.
    readNumber: p.integer().default(0),
    updatedAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A user's read position in a thread, the same on all their devices. */
export class BoardThreadRead extends BoardThreadReadSchema.class {}
BoardThreadReadSchema.setClass(BoardThreadRead);
export { BoardThreadReadSchema };
