import { z } from 'zod';
import { idSchema } from './common.js';

const instant = z.iso.datetime({ offset: true });

/** Filters of the audit log (list and CSV export). */
export const auditQuerySchema = z.object({
  actorId: idSchema.optional(),
  action: z.string().max(60).regex(/^[a-z_.]+$/, 'must be an action name such as auth.signed_in').optional(),
  targetType: z.string().max(30).regex(/^[a-z_]+$/, 'must be an object kind such as user').optional(),
  targetId: z.string().max(80).optional(),
  address: z.string().max(64).optional(),
  from: instant.optional(),
  to: instant.optional(),
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export const backupListQuerySchema = z.object({
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
