import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import { migrationsList } from '../../migrations/index.js';
import { takeBackup } from './backup.js';
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
  const result = await takeBackup({ databaseUrl, dataDir: config.dataDir, outDir: config.backup.dir, key: config.backup.key, prefix: 'huitong-before-upgrade' });
  logger.info({ path: result.path }, `backed up before upgrading: ${result.path}`);
  return { upgradeBackup: result.path };
}

/** The database's restore epoch (see RestoreState). */
export async function readRestoreEpoch(orm: MikroORM): Promise<string> {
  const [row] = await orm.em.getConnection().execute<{ epoch: string }[]>(`SELECT epoch FROM restore_state WHERE id = 1`);
  return row?.epoch ?? 'initial';
}
