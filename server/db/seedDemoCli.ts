/** `npm run seed:demo`: fills an empty database with the demo company and prints the logins. */
import 'dotenv/config';
import { loadConfig, ConfigError } from '../config/env.js';
import { openOrm, applyMigrations } from './orm.js';
import { startEmbeddedPostgres } from './embedded.js';
import { ensureFirstAdmin } from './bootstrap.js';
import { DEMO_PASSWORD, seedDemo } from './seedDemo.js';

async function run() {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  const orm = await openOrm(config.databaseUrl ?? embedded!.url);
  try {
    await applyMigrations(orm);
    const admin = await ensureFirstAdmin(orm.em.fork(), { email: config.adminEmail, password: config.adminPassword });
    if (admin?.generated) console.log(`First administrator created: ${admin.email} / ${admin.password}`);
    const logins = await seedDemo(orm.em.fork());
    console.log(`Demo organisation created. Every demo user's password: ${DEMO_PASSWORD}`);
    for (const l of logins) console.log(`  ${l.email.padEnd(26)} ${l.name}\t${l.department}${l.manager ? ' (manager)' : ''}`);
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

run().catch((error) => {
  if (error instanceof ConfigError) console.error(error.problems.join('\n'));
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
