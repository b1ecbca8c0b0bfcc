/** Process entry: configuration, database (embedded unless DATABASE_URL), server, shutdown on signals. */
import 'dotenv/config';
import { ConfigError, loadConfig, type Config } from './config/env.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { startServer } from './start.js';

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

async function main() {
  if (!config.databaseUrl) {
    console.log(`Starting the embedded PostgreSQL in ${config.dataDir} ...`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  }
  const server = await startServer(config, config.databaseUrl ?? embedded!.url);

  console.log(`Huitong is running: ${config.publicUrl}  (listening on ${server.url})`);
  if (server.firstAdmin) {
    console.log(`First administrator created: ${server.firstAdmin.email}`);
    if (server.firstAdmin.generated) console.log(`  password (shown only once, change it after signing in): ${server.firstAdmin.password}`);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await server.close();
      await embedded?.stop();
      process.exit(0);
    } catch (error) {
      server.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch(async (error) => {
  console.error('Huitong could not start:', error instanceof Error ? error.message : error);
  await embedded?.stop().catch(() => {});
  process.exit(1);
});
