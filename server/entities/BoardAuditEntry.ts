import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const BoardAuditEntrySchema = defineEntity({
  name: 'BoardAuditEntry',
  tableName: 'board_audit',
  indexes: [{ properties: ['targetType', 'targetId'], name: 'board_audit_target_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    actor: () => p.manyToOne(User).deleteRule('restrict'),
    // `board.author_lookup`: an administrator saw who wrote an anonymous thread or reply.
    action: p.string().length(60),
    targetType: p.string().length(30),
    targetId: p.bigint('string'),
    data: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/**
 * An append-only record of a sensitive action on the boards (a trigger refuses UPDATE and DELETE).
 * Its columns (actor, action, target, data, time) are those of a general audit log, into which it can be folded.
 */
export class BoardAuditEntry extends BoardAuditEntrySchema.class {}
BoardAuditEntrySchema.setClass(BoardAuditEntry);
export { BoardAuditEntrySchema };
