import type { MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import path from 'node:path';
import type { Config } from '../config/env.js';
import type { CommandRunner } from '../commands/context.js';
import { backupFinisher, backupRetention, scheduledBackupClaimer } from '../commands/operations/backups.js';
import fsp from 'node:fs/promises';
import { takeBackup } from '../operations/backup.js';
import { BackupBucket } from '../operations/bucket.js';
import { AUDIT_RETENTION_QUEUE, BACKUP_QUEUE, type BackupJob } from './queue.js';
import type { Clock } from '../clock.js';

export type OperationsJobs = {
  /** Makes the scheduled backup of the clock's day (UTC) unless some process made it; then applies retention. Returns the record's id or null. */
  scheduledBackup: () => Promise<string | null>;
  /** Makes the manual backup recorded as `backupId`. */
  manualBackup: (backupId: string) => Promise<void>;
  /** Removes audit entries older than AUDIT_RETENTION_DAYS; returns how many. */
  auditRetention: () => Promise<number>;
  /** Where archives are kept besides the backup directory: the files' bucket when files are on S3. */
  bucket: BackupBucket | null;
};

/**
 * The scheduled work of operations, on pg-boss: its cron creates one job per tick whichever
 * processes run the schedule, and the day's unique record makes the backup once even if a job ran twice.
 */
export async function startOperationsJobs(deps: { boss: PgBoss; config: Config; orm: MikroORM; logger: Logger; runner: CommandRunner; databaseUrl: string; clock: Clock; pollingIntervalSeconds: number }): Promise<OperationsJobs & { workerIds: Map<string, string> }> {
  const { boss, config, orm, logger, runner, databaseUrl, clock } = deps;
  // Files on S3: the archives go to the same bucket (under backups/), which every process reaches.
  const bucket = await BackupBucket.open(config.files);

  const make = async (backupId: string, prefix: string) => {
    try {
      const result = await takeBackup({ databaseUrl, dataDir: config.dataDir, outDir: config.backup.dir, key: config.backup.key, prefix, bucket });
      const fileName = path.basename(result.path);
      if (bucket) {
        // Sent only once complete, under its final name; the local copy was the upload's source.
        try {
          await bucket.putArchive(result.path, fileName);
        } finally {
          await fsp.rm(result.path, { force: true });
        }
      }
      await runner.run(orm.em.fork(), null, (cx) => backupFinisher(cx, backupId, { fileName, bytes: result.bytes, storage: bucket ? 's3' : 'local' }));
      logger.info({ path: bucket ? `s3://${bucket.name}/backups/${fileName}` : result.path, bytes: result.bytes }, 'backup made');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error({ err: error }, 'backup failed');
      await runner.run(orm.em.fork(), null, (cx) => backupFinisher(cx, backupId, { error: message }));
    }
  };

  const jobs: OperationsJobs = {
    bucket,
    scheduledBackup: async () => {
      const day = clock.now().toISOString().slice(0, 10);
      const id = await runner.run(orm.em.fork(), null, (cx) => scheduledBackupClaimer(cx, day));
      if (!id) return null;
      await make(id, 'huitong-scheduled');
      const removed = await runner.run(orm.em.fork(), null, (cx) => backupRetention(cx, { dir: config.backup.dir, bucket }, config.backup.keepDaily, config.backup.keepWeekly));
      if (removed.length) logger.info({ removed }, 'backups beyond retention removed');
      return id;
    },
    manualBackup: (backupId) => make(backupId, 'huitong'),
    auditRetention: async () =>
      runner.run(orm.em.fork(), null, async (cx) => {
        // The one deletion the audit log's trigger lets through: entries past the retention period.
        await cx.em.execute(`SET LOCAL huitong.audit_retention = 'on'`);
        const rows = await cx.em.execute<{ n: number }[]>(`WITH gone AS (DELETE FROM audit_log WHERE created_at < ?::timestamptz - make_interval(days => ?) RETURNING 1) SELECT count(*)::int AS n FROM gone`, [clock.now(), config.auditRetentionDays]);
        return rows[0]?.n ?? 0;
      }),
  };

  const workerIds = new Map<string, string>();
  workerIds.set(
    BACKUP_QUEUE,
    await boss.work<BackupJob>(BACKUP_QUEUE, { batchSize: 1, pollingIntervalSeconds: deps.pollingIntervalSeconds }, async ([job]) => {
      if (job!.data.task === 'scheduled') await jobs.scheduledBackup();
      else await jobs.manualBackup(job!.data.backupId);
    }),
  );
  workerIds.set(
    AUDIT_RETENTION_QUEUE,
    await boss.work(AUDIT_RETENTION_QUEUE, { batchSize: 1, pollingIntervalSeconds: deps.pollingIntervalSeconds }, async () => {
      const removed = await jobs.auditRetention();
      if (removed) logger.info({ removed }, 'audit entries past retention removed');
    }),
  );
  // pg-boss keeps one schedule per queue in its own table: every process writing the same one is harmless.
  if (config.backup.time) {
    const [hh, mm] = config.backup.time.split(':');
    await boss.schedule(BACKUP_QUEUE, `${Number(mm)} ${Number(hh)} * * *`, { task: 'scheduled' } satisfies BackupJob, { tz: 'UTC' });
  } else {
    await boss.unschedule(BACKUP_QUEUE);
  }
  await boss.schedule(AUDIT_RETENTION_QUEUE, '23 4 * * *', {}, { tz: 'UTC' });
  return { ...jobs, workerIds };
}
