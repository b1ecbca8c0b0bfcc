/** The database a benchmark seeds and measures, and how a benchmark's run ends. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { applyMigrations, openOrm } from '../../server/db/orm.js';
import { freePort } from '../support/globalSetup.js';

/**
 * DATABASE_URL's database, or an embedded cluster: in a temporary directory removed at the end,
 * or in BENCH_DATA_DIR, kept so that a later run finds it seeded and only re-measures. Either is
 * migrated to this release first, as an upgraded installation would be.
 */
export async function openBenchDatabase(name: string, settings?: Record<string, string>) {
  const kept = process.env.BENCH_DATA_DIR ? path.resolve(process.env.BENCH_DATA_DIR) : undefined;
  const dataDir = kept ?? (await fs.mkdtemp(path.join(os.tmpdir(), `huitong-bench-${name}-`)));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'huitong_bench', settings });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const orm = await openOrm(databaseUrl);
  await applyMigrations(orm);
  return {
    kept,
    dataDir,
    databaseUrl,
    orm,
    async close() {
      await orm.close();
      await embedded?.stop();
      if (!kept) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs a benchmark, ending the process non-zero with the error if it fails. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
