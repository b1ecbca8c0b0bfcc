import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../server/config/env.js';
import { startServer, type RunningServer } from '../../server/start.js';
import { createTestDatabase } from './database.js';
import { ApiClient } from './api.js';
import type { Clock } from '../../server/clock.js';

export const ADMIN = { email: 'admin@huitong.test', password: 'admin-password-1' };

export type TestServer = RunningServer & {
  databaseUrl: string;
  config: Config;
  /** An API client signed in as the first administrator. */
  admin: () => Promise<ApiClient>;
  client: () => ApiClient;
};

/** A real Huitong server on 127.0.0.1 and a random port, with its own freshly migrated database. */
export async function startTestServer(env: Record<string, string> = {}, options: { databaseUrl?: string; clock?: Clock } = {}): Promise<TestServer> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    CLIENT_DIST: path.resolve('client/dist'),
    // Uploads (and the demo's files) go to a temporary directory, never into the repository's .data.
    DATA_DIR: path.join(os.tmpdir(), 'huitong-test-data'),
    ...env,
  });
  config.port = 0;
  const running = await startServer(config, databaseUrl, { logger: pino({ level: env.LOG_LEVEL ?? 'silent' }), clock: options.clock });
  // The configured origin named port 3000; the test server listens elsewhere.
  config.allowedOrigins.push(running.url, running.url.replace('127.0.0.1', 'localhost'));
  return {
    ...running,
    databaseUrl,
    config,
    client: () => new ApiClient(running.url),
    admin: async () => {
      const api = new ApiClient(running.url);
      await api.login(ADMIN.email, ADMIN.password);
      return api;
    },
  };
}
