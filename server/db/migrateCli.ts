/** `npm run migrate` applies pending migrations; `npm run migration:create` writes a new one from the entities. */
import 'dotenv/config';
import { loadConfig, ConfigError } from '../config/env.js';
import { openOrm, applyMigrations } from './orm.js';
import { startEmbeddedPostgres } from './embedded.js';

async function run() {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  const orm = await openOrm(config.databaseUrl ?? embedded!.url);
  try {
    if (process.argv[2] === 'create') {
      const result = await orm.migrator.create(undefined, false, false, process.argv[3]);
      console.log(result.fileName ? `created ${result.fileName}` : 'no changes');
    } else {
      const applied = await applyMigrations(orm);
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
    }
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

run().catch((error) => {
  if (error instanceof ConfigError) console.error(error.problems.join('\n'));
  else console.error(error);
  process.exit(1);
});
