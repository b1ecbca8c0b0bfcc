import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A PostgreSQL array literal for a `?::type[]` parameter. MikroORM's raw queries expand a
 * JavaScript array into a list of parameters, so arrays are passed as one literal instead.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, (c) => '\\' + c)}"`).join(',')}}`;
}

/**
 * Takes a transaction-scoped advisory lock: transactions that lock the same name run their
 * check-then-write one after another (each sees what the previous one committed).
 */
export async function lockFor(tx: EntityManager, name: string): Promise<void> {
  await tx.execute(`SELECT pg_advisory_xact_lock(hashtext(?))`, [name]);
}
