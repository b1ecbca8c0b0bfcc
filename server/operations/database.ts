import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/env.js';
import { isAlive, startEmbeddedPostgres } from '../db/embedded.js';

/**
 * The database the operations commands work on: DATABASE_URL's; else the embedded PostgreSQL of
 * DATA_DIR, joined while a running server (or one an earlier run left) holds it, started here
 * (and stopped by `stop`) when nothing runs. Joining never stops anyone's PostgreSQL.
 */
export async function openProductDatabase(config: Config, options: { onLog?: (line: string) => void } = {}): Promise<{ url: string; embedded: 'joined' | 'started' | null; stop: () => Promise<void> }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: null, stop: async () => {} };
  const pidFile = await fs.readFile(path.join(config.dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => null);
  const lines = pidFile?.split('\n') ?? [];
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (pidFile && Number.isInteger(pid) && pid > 0 && isAlive(pid) && Number.isInteger(port) && port > 0) {
    const password = (await fs.readFile(path.join(config.dataDir, 'pg-password'), 'utf8')).trim();
    options.onLog?.(`Using the running embedded PostgreSQL of ${config.dataDir} (port ${port}).`);
    return { url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/huitong`, embedded: 'joined', stop: async () => {} };
  }
  options.onLog?.(`Starting the embedded PostgreSQL in ${config.dataDir} ...`);
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  return { url: embedded.url, embedded: 'started', stop: embedded.stop };
}
