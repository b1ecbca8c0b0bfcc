import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const BoardSchema = defineEntity({
  name: 'Board',
  tableName: 'boards',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    name: p.string().length(100),
    description: p.text().default(''),
    // Boards of one category are listed together on the board index; null: the uncategorised group.
    category: p.string().length(60).nullable(),
    position: p.integer().default(0),
    openness: p.enum(['open', 'semi_open', 'closed'] as const),
    // Only moderators start threads and reply (policies and notices archives).
    readOnly: p.boolean().default(false),
    allowAnonymous: p.boolean().default(false),
    // Semi-open boards: everyone in the company may post, or only the listed posters.
    everyonePosts: p.boolean().default(true),
    createdBy: () => p.manyToOne(User).deleteRule('restrict'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** A discussion board (版块): open, semi-open or closed. */
export class Board extends BoardSchema.class {}
BoardSchema.setClass(Board);
export { BoardSchema };
