import PgBoss from 'pg-boss';
import { CompiledQuery, type Transaction } from 'kysely';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';

/** Due reminder occurrences: one job per occurrence, starting at its due instant. */
export const OCCURRENCE_QUEUE = 'reminder-occurrence';

export type OccurrenceJob = { occurrenceId: string };

/** Parts of a large notification fan-out: one job per row of `fanout_chunks`. */
export const FANOUT_QUEUE = 'notification-fanout';

export type FanOutJob = { chunkId: string };

/** Announcements' timed work: a scheduled publication, an expiry, a step of an escalation ladder. */
export const ANNOUNCEMENT_QUEUE = 'announcement-due';

export type AnnouncementJob = { task: 'publish' | 'expire'; announcementId: string } | { task: 'escalate'; escalationId: string };

/** Backups made by the server: the daily schedule (pg-boss's cron, one job per tick across processes) and administrators' "back up now". */
export const BACKUP_QUEUE = 'backup';

export type BackupJob = { task: 'scheduled' } | { task: 'manual'; backupId: string };

/** The daily removal of audit entries older than AUDIT_RETENTION_DAYS. */
export const AUDIT_RETENTION_QUEUE = 'audit-retention';

/** A job of ANNOUNCEMENT_QUEUE starting at `at`. */
export function announcementJob(data: AnnouncementJob, at: Date): PgBoss.JobInsert {
  return { name: ANNOUNCEMENT_QUEUE, data, startAfter: at.toISOString() };
}

/** The file collector (commands/files/files.ts collectFiles): scheduled hourly, one process runs each. */
export const FILE_GC_QUEUE = 'file-gc';

/**
 * pg-boss in the application's own PostgreSQL (schema `pgboss`), so scheduling needs no second
 * piece of infrastructure. Several processes may start it at once: pg-boss migrates under an
 * advisory lock and a job is fetched by one worker (FOR UPDATE SKIP LOCKED).
 */
export async function startJobQueue(databaseUrl: string, logger: Logger): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: 'pgboss',
    max: 4,
    // Completed jobs are kept a day for inspection; maintenance runs each minute.
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 1,
    maintenanceIntervalSeconds: 60,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const name of [OCCURRENCE_QUEUE, FANOUT_QUEUE, ANNOUNCEMENT_QUEUE, BACKUP_QUEUE, AUDIT_RETENTION_QUEUE, FILE_GC_QUEUE]) {
    try {
      await boss.createQueue(name, { name, retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 });
    } catch (error) {
      // Another process created it between our check and insert.
      if (!/duplicate|already exists/i.test(String((error as Error).message))) throw error;
    }
  }
  return boss;
}

/** A pg-boss `db` that runs its SQL in the caller's MikroORM transaction, so a job exists exactly when the transaction commits. */
export function transactionDb(tx: EntityManager) {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      const trx = tx.getTransactionContext<Transaction<unknown>>();
      if (!trx) throw new Error('transactionDb needs an EntityManager inside a transaction');
      const result = await trx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] };
    },
  };
}

/** The jobs that fire reminder occurrences at their due instants. */
export function occurrenceJobs(occurrences: { id: string; dueAt: Date }[]): PgBoss.JobInsert[] {
  return occurrences.map((o) => ({ name: OCCURRENCE_QUEUE, data: { occurrenceId: String(o.id) } satisfies OccurrenceJob, startAfter: o.dueAt.toISOString() }));
}
