/** `npm run search:reindex`: rebuilds the search index from the database, with a progress bar. */
import 'dotenv/config';
import cliProgress from 'cli-progress';
import { loadConfig, ConfigError } from '../config/env.js';
import { applyMigrations, openOrm } from '../db/orm.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { reindexAll } from './reindex.js';

async function run() {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  const orm = await openOrm(config.databaseUrl ?? embedded!.url);
  const bar = new cliProgress.SingleBar({ format: '{kind} [{bar}] {percentage}% {value}/{total}', hideCursor: true, noTTYOutput: true, notTTYSchedule: 2000 }, cliProgress.Presets.shades_classic);
  let current = '';
  try {
    await applyMigrations(orm);
    const started = performance.now();
    const totals = await reindexAll(orm.em.fork(), ({ kind, done, total }) => {
      if (kind !== current) {
        if (current) bar.stop();
        current = kind;
        bar.start(total, done, { kind: kind.padEnd(12) });
      } else bar.setTotal(total), bar.update(done);
    });
    bar.stop();
    const written = Object.entries(totals).map(([kind, n]) => `${n} ${kind}`).join(', ');
    console.log(`Search index rebuilt in ${((performance.now() - started) / 1000).toFixed(1)} s: ${written}.`);
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

run().catch((error) => {
  if (error instanceof ConfigError) console.error(error.problems.join('\n'));
  else console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
