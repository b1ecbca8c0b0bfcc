import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { applyMigrations, openOrm } from '../../server/db/orm.js';
import { freePort } from './globalSetup.js';

export type CountingCluster = {
  /** A migrated database of this cluster. */
  databaseUrl: string;
  /** Runs the work and answers how many statements PostgreSQL executed in the database meanwhile. */
  count: <T>(work: () => Promise<T>) => Promise<{ statements: number; result: T }>;
  stop: () => Promise<void>;
};

/**
 * A PostgreSQL of its own with pg_stat_statements loaded, to count the statements some work
 * issues as the server counts them (every statement executed in the database, BEGIN and COMMIT
 * included), whatever the client. The count is read over a connection to another database, so the
 * counting itself is not counted; nothing else may use the database meanwhile.
 */
export async function startCountingCluster(): Promise<CountingCluster> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-count-pg-'));
  const embedded = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: 'counted',
    settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_utility': 'on', 'pg_stat_statements.max': '10000' },
  });
  const orm = await openOrm(embedded.url);
  await applyMigrations(orm);
  await orm.close();
  const adminUrl = new URL(embedded.url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const { rows } = await admin.query<{ oid: number }>(`SELECT oid FROM pg_database WHERE datname = 'counted'`);
  const dbid = rows[0].oid;
  const executed = async () => Number((await admin.query<{ n: string }>(`SELECT coalesce(sum(calls), 0) AS n FROM pg_stat_statements WHERE dbid = $1`, [dbid])).rows[0].n);
  return {
    databaseUrl: embedded.url,
    count: async (work) => {
      const before = await executed();
      const result = await work();
      return { statements: (await executed()) - before, result };
    },
    stop: async () => {
      await admin.end();
      await embedded.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
