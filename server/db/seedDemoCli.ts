/** `npm run seed:demo`: fills an empty database with the demo company and prints the logins. */
import 'dotenv/config';
import pino from 'pino';
import { loadConfig, ConfigError } from '../config/env.js';
import { openOrm, applyMigrations } from './orm.js';
import { startEmbeddedPostgres } from './embedded.js';
import { ensureFirstAdmin } from './bootstrap.js';
import { startJobQueue } from '../jobs/queue.js';
import { openFileStorage } from '../files/storage.js';
import { DEMO_PASSWORD, DemoSeedRefused, demoSeedProblem, seedDemo } from './seedDemo.js';

async function run() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  const orm = await openOrm(databaseUrl);
  try {
    await applyMigrations(orm);
    const admin = await ensureFirstAdmin(orm.em.fork(), { email: config.adminEmail, password: config.adminPassword });
    if (admin?.generated) console.log(`First administrator created: ${admin.email} / ${admin.password}`);
    // Checked before pg-boss starts, so that a refusal leaves the database exactly as it was.
    const problem = await demoSeedProblem(orm.em.fork());
    if (problem) throw new DemoSeedRefused(problem);
    const boss = await startJobQueue(databaseUrl, logger);
    const started = performance.now();
    try {
      const { logins, counts, steps } = await seedDemo({ orm, boss, logger, files: await openFileStorage(config.files) });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`Demo company created in ${seconds} s (${steps} steps): ${counts.customers} customers with ${counts.contacts} contacts, ${counts.schedule_entries} schedule entries, ${counts.conversations} conversations with ${counts.messages} messages, ${counts.reminders} reminders, ${counts.reports} reports, ${counts.feed_items} feed items, ${counts.notifications} notifications.`);
      console.log(`Every demo user's password: ${DEMO_PASSWORD}`);
      for (const l of logins) console.log(`  ${l.email.padEnd(26)} ${l.name}\t${l.department}${l.manager ? ' (manager)' : ''}`);
    } finally {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    }
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

run().catch((error) => {
  if (error instanceof ConfigError) console.error(error.problems.join('\n'));
  else if (error instanceof DemoSeedRefused) console.error(error.message);
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
