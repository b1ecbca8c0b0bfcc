/** Process entry: configuration, database (embedded unless DATABASE_URL), server, shutdown on signals. */
import 'dotenv/config';
import { ConfigError, loadConfig, type Config } from './config/env.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { startServer, type RunningServer } from './start.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) console.error(`Configuration error: ${problem}`);
    process.exit(1);
  }
  throw error;
}

let embedded: EmbeddedDatabase | undefined;
let server: RunningServer | undefined;
let stopping = false;

/** Stops in order: HTTP and sockets (in-flight requests finish), the database pool, then the embedded PostgreSQL. */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  server?.logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  try {
    await server?.close();
    await embedded?.stop();
    process.exit(0);
  } catch (error) {
    console.error('Huitong did not stop cleanly:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
// Registered before anything starts, so a signal during start-up still stops the embedded PostgreSQL.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

async function main() {
  if (!config.databaseUrl) {
    console.log(`Starting the embedded PostgreSQL in ${config.dataDir} ...`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, callerHandlesSignals: true, onRecovery: (line) => console.log(line) });
  }
  if (stopping) return;
  server = await startServer(config, config.databaseUrl ?? embedded!.url);

  if (server.upgradeBackup) console.log(`Backed up the database before upgrading it: ${server.upgradeBackup}`);
  console.log(`Huitong is running: ${config.publicUrl}  (listening on ${server.url})`);
  if (server.firstAdmin) {
    console.log(`First administrator created: ${server.firstAdmin.email}`);
    if (server.firstAdmin.generated) console.log(`  password (shown only once, change it after signing in): ${server.firstAdmin.password}`);
  }
}

main().catch(async (error) => {
  // A signal during start-up stops the database under the start-up; shutdown() reports and exits.
  if (stopping) return;
  console.error('Huitong could not start:', error instanceof Error ? error.message : error);
  await embedded?.stop().catch(() => {});
  process.exit(1);
});
