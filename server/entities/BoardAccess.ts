import { defineEntity, p } from '@mikro-orm/core';
import { Board } from './Board.js';
import { Department } from './Department.js';
import { User } from './User.js';

const BoardAccessSchema = defineEntity({
  name: 'BoardAccess',
  tableName: 'board_access',
  indexes: [
    { properties: ['user'], name: 'board_access_user_idx' },
    { properties: ['department'], name: 'board_access_department_idx' },
  ],
  uniques: [
    { properties: ['board', 'role', 'user'], name: 'board_access_user_unique' },
    { properties: ['board', 'role', 'department'], name: 'board_access_department_unique' },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    board: () => p.manyToOne(Board).deleteRule('cascade'),
    // moderator: a user, or the managers (heads) of a department; viewer, member, poster: a user, or everyone in a department's subtree.
    role: p.enum(['moderator', 'viewer', 'member', 'poster'] as const),
    user: () => p.manyToOne(User).nullable().deleteRule('cascade'),
    department: () => p.manyToOne(Department).nullable().deleteRule('cascade'),
  },
});

/** One grant of a role on a board to a user or a department (exactly one of the two). */
export class BoardAccess extends BoardAccessSchema.class {}
BoardAccessSchema.setClass(BoardAccess);
export { BoardAccessSchema };
