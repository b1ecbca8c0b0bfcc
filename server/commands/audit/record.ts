import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditAction } from '../../../shared/audit.js';

export type AuditInput = {
  action: AuditAction;
  targetType?: string | null;
  targetId?: string | null;
  /** What changed (`{ field: [before, after] }`) or the action's particulars; never a secret. */
  data?: Record<string, unknown>;
};

/**
 * Appends one audit entry in the caller's transaction: it exists exactly when the change it
 * records does. Only this INSERT writes audit_log; a trigger refuses every UPDATE and DELETE but
 * the retention job's (jobs/auditRetention.ts).
 */
export async function appendAuditEntry(em: EntityManager, actorId: string | null, address: string | null, input: AuditInput): Promise<void> {
  await em.execute(
    `INSERT INTO audit_log (actor_id, action, target_type, target_id, address, data, created_at) VALUES (?, ?, ?, ?, ?, ?, now())`,
    [actorId, input.action, input.targetType ?? null, input.targetId ?? null, address?.slice(0, 64) ?? null, JSON.stringify(input.data ?? {})],
  );
}

/** `{ field: [before, after] }` of the fields that differ. */
export function changes(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(after)) {
    if (after[key] === undefined) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = [before[key] ?? null, after[key]];
  }
  return out;
}
