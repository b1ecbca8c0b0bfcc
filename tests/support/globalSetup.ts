/**
 * Starts one PostgreSQL for the whole run (the embedded one, or DATABASE_URL's server),
 * migrates a template database once, and lets each test file clone its own database from it.
 */
import type { TestProject } from 'vitest/node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { applyMigrations, openOrm } from '../../server/db/orm.js';
import { resolveChromium } from './chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    /** The Chromium the browser tests drive, or null with `chromiumError` saying what to install. */
    chromiumPath: string | null;
    chromiumError: string;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  let dataDir: string | undefined;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-test-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
    adminUrl = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const templateDatabase = `huitong_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${templateDatabase}"`);
  const orm = await openOrm(withDatabase(adminUrl, templateDatabase));
  await applyMigrations(orm);
  await orm.close();
  // Once per run, before the workers start: unpacking the packaged Chromium takes a few seconds.
  const chromium = await resolveChromium();
  if (chromium.warning) console.warn(chromium.warning);
  project.provide('chromiumPath', chromium.path);
  project.provide('chromiumError', chromium.path === null ? chromium.error : '');
  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    if (stopEmbedded) {
      await admin.end();
      await stopEmbedded();
      await fs.rm(dataDir!, { recursive: true, force: true });
      return;
    }
    // On a shared server, drop what this run created.
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`huitong_%${runId}%`]);
    for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await admin.end();
  };
}
