import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  indexes: [
    { properties: ['createdAt'], name: 'audit_log_created_idx' },
    { properties: ['actor', 'createdAt'], name: 'audit_log_actor_idx' },
    { properties: ['action', 'createdAt'], name: 'audit_log_action_idx' },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    // Null for the system (a scheduled job) and for a failed sign-in of an unknown address.
    actor: () => p.manyToOne(User).nullable().deleteRule('restrict'),
    /** `auth.sign_in`, `user.role_changed`, `backup.downloaded`, … (shared/audit.ts). */
    action: p.string().length(60),
    targetType: p.string().length(30).nullable(),
    targetId: p.string().length(80).nullable(),
    /** The client's address (X-Forwarded-For behind a trusted proxy). */
    address: p.string().length(64).nullable(),
    /** What changed: `{ field: [before, after] }` or the action's particulars. */
    data: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** One append-only audit record (a trigger refuses UPDATE, and DELETE except by the retention job). */
export class AuditEntry extends AuditEntrySchema.class {}
AuditEntrySchema.setClass(AuditEntry);
export { AuditEntrySchema };
