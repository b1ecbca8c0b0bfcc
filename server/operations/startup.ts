import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { migrationsList } from '../../migrations/index.js';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { takeBackup } from './backup.js';
import { BackupBucket } from './bucket.js';
import { RESTORE_MARKER_SCHEMA } from './restore.js';

/** Why the server refuses to start on this database. */
export class DatabaseRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseRefused';
  }
}

/**
 * Before migrating at start: refuses a database an unfinished restore left, and one that a newer
 * release has migrated (running on a schema this code does not know would corrupt it); with
 * migrations pending on a database in use, takes a backup first and returns its path.
 */
export async function prepareDatabaseForStart(orm: MikroORM, config: Config, databaseUrl: string, logger: Logger): Promise<{ upgradeBackup: string | null }> {
  const connection = orm.em.getConnection();
  const [marker] = await connection.execute<{ marked: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?) AS marked`, [RESTORE_MARKER_SCHEMA]);
  if (marker?.marked) {
    throw new DatabaseRefused('A restore into this database did not finish: it may be half loaded. Run `npm run restore -- <archive> --replace` again (see docs/admin-guide.md).');
  }
  const executed = (await orm.migrator.getExecuted()).map((m) => m.name.replace(/\.[jt]s$/, ''));
  const known = new Set(migrationsList.map((m) => m.name));
  const unknown = executed.filter((name) => !known.has(name));
  if (unknown.length) {
    throw new DatabaseRefused(`This database was upgraded by a newer release of Huitong (migrations ${unknown.join(', ')} are unknown to this one). Start that release or a newer one, or restore a backup made by this release.`);
  }
  const pending = await orm.migrator.getPending();
  if (!pending.length || !executed.length) return { upgradeBackup: null };
  logger.info({ pending: pending.map((m) => m.name) }, 'migrations pending: backing up before upgrading');
  // Kept in the backup directory even with files on S3: the administrator who upgrades finds it there.
  const bucket = await BackupBucket.open(config.files);
  try {
    const result = await takeBackup({ databaseUrl, dataDir: config.dataDir, outDir: config.backup.dir, key: config.backup.key, bucket, prefix: 'huitong-before-upgrade' });
    logger.info({ path: result.path }, `backed up before upgrading: ${result.path}`);
    return { upgradeBackup: result.path };
  } finally {
    bucket?.close();
  }
}

/**
 * Lists the pre-upgrade backup with the others (kind `upgrade`), once the migrations have made the
 * record's table: the database it was taken from may predate it.
 */
export async function recordUpgradeBackup(orm: MikroORM, file: string): Promise<void> {
  const { size } = await fsp.stat(file);
  const name = path.basename(file);
  await orm.em.getConnection().execute(
    `WITH made AS (INSERT INTO backups (kind, status, file_name, bytes, storage, started_at, finished_at) VALUES ('upgrade', 'succeeded', ?, ?, 'local', now(), now()) RETURNING id)
     INSERT INTO audit_log (actor_id, action, target_type, target_id, address, data, created_at)
     SELECT NULL, 'backup.created', 'backup', id::text, 'server start', ?::jsonb, now() FROM made`,
    [name, size, JSON.stringify({ kind: 'upgrade', fileName: name, bytes: size })],
  );
}

/** The database's restore epoch (see RestoreState). */
export async function readRestoreEpoch(orm: MikroORM): Promise<string> {
  const [row] = await orm.em.getConnection().execute<{ epoch: string }[]>(`SELECT epoch FROM restore_state WHERE id = 1`);
  return row?.epoch ?? 'initial';
}
