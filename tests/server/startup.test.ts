/**
 * The real process, as `npm start` runs it: server/main.ts with the embedded PostgreSQL in a
 * data directory of its own, or with DATABASE_URL. The slowest file of the suite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/globalSetup.js';
import { createTestDatabase } from '../support/database.js';
import { ApiClient, ok } from '../support/api.js';
import { cleanEnv, exitWithin, spawnServer, type ServerProcess } from '../support/process.js';

const TIMEOUT = 120_000;
const RUNNING = /Huitong is running: (\S+)\s+\(listening on (http:\/\/\S+)\)/;
const GENERATED_PASSWORD = /password \(shown only once[^)]*\): (\S+)/;
const FIRST_ADMIN = /First administrator created: (\S+)/;

const processes: ServerProcess[] = [];
const tempDirs: string[] = [];
afterAll(async () => {
  // After a failed test: SIGTERM first, so that no embedded PostgreSQL outlives the file.
  await Promise.all(processes.map((p) => p.terminate()));
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const proc = spawnServer(cleanEnv({ HOST: '127.0.0.1', ...env }));
  processes.push(proc);
  return proc;
}

/** True when something accepts TCP connections on the port. */
function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const exists = (p: string) =>
  fs
    .stat(p)
    .then(() => true)
    .catch(() => false);

async function stop(proc: ServerProcess) {
  proc.child.kill('SIGTERM');
  return exitWithin(proc, 30_000);
}

describe('with the embedded PostgreSQL', () => {
  it(
    'starts, prints the URL and a generated admin password, serves, stops on SIGTERM and keeps its data',
    async () => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-startup-'));
      tempDirs.push(dataDir);
      const port = await freePort();
      const pgPort = await freePort();
      const env = { PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir };

      // First start: a new cluster, the first administrator with a generated password.
      const first = start(env);
      const [, publicUrl, listening] = await first.waitForOutput(RUNNING, 90_000);
      expect(publicUrl).toBe(`http://127.0.0.1:${port}`);
      expect(listening).toBe(`http://127.0.0.1:${port}`);
      const [, email] = await first.waitForOutput(FIRST_ADMIN, 5_000);
      const [, password] = await first.waitForOutput(GENERATED_PASSWORD, 5_000);
      expect(email).toBe('admin@example.com');
      expect(password.length).toBeGreaterThanOrEqual(12);
      expect(await exists(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
      expect(await portOpen(pgPort)).toBe(true);

      expect((await fetch(`${listening}/healthz`)).status).toBe(200);
      expect((await fetch(`${listening}/readyz`)).status).toBe(200);
      const admin = new ApiClient(listening);
      await admin.login(email, password);
      const department = ok(await admin.post('/api/departments', { name: '华东销售部', parentId: null }), 201);

      // SIGTERM: a clean exit, and the embedded PostgreSQL is stopped with it.
      expect(await stop(first)).toBe(0);
      expect(await portOpen(port)).toBe(false);
      expect(await portOpen(pgPort)).toBe(false);
      expect(await exists(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
      expect(first.stderr()).toBe('');

      // Second start on the same data: no new administrator, the department is still there.
      const port2 = await freePort();
      const second = start({ ...env, PORT: String(port2) });
      const [, , listening2] = await second.waitForOutput(RUNNING, 90_000);
      expect(second.stdout()).not.toMatch(FIRST_ADMIN);
      expect(second.stdout()).not.toMatch(GENERATED_PASSWORD);
      const again = new ApiClient(listening2);
      await again.login(email, password);
      const departments = ok<any[]>(await again.get('/api/departments'));
      expect(departments.find((d) => d.id === department.id)).toMatchObject({ name: '华东销售部' });
      expect(await stop(second)).toBe(0);
      expect(await portOpen(pgPort)).toBe(false);
      expect(second.stderr()).toBe('');
    },
    TIMEOUT,
  );
});

describe('with DATABASE_URL', () => {
  it(
    'serves from that database and creates no embedded cluster',
    async () => {
      const databaseUrl = await createTestDatabase();
      const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-external-'));
      tempDirs.push(scratch);
      const dataDir = path.join(scratch, 'data');
      const port = await freePort();
      const proc = start({ PORT: String(port), DATABASE_URL: databaseUrl, DATA_DIR: dataDir, ADMIN_EMAIL: 'Chief@Huitong.test', ADMIN_PASSWORD: 'chosen-password' });

      const [, , listening] = await proc.waitForOutput(RUNNING, 60_000);
      expect(proc.stdout()).not.toMatch(/embedded PostgreSQL/i);
      const [, email] = await proc.waitForOutput(FIRST_ADMIN, 5_000);
      expect(email).toBe('chief@huitong.test');
      // A chosen password is never printed.
      expect(proc.stdout()).not.toMatch(GENERATED_PASSWORD);
      expect(proc.stdout()).not.toContain('chosen-password');

      expect((await fetch(`${listening}/healthz`)).status).toBe(200);
      expect((await fetch(`${listening}/readyz`)).status).toBe(200);
      const admin = new ApiClient(listening);
      await admin.login('chief@huitong.test', 'chosen-password');
      ok(await admin.post('/api/departments', { name: 'External', parentId: null }), 201);

      expect(await stop(proc)).toBe(0);
      expect(await exists(dataDir)).toBe(false);
      expect(proc.stderr()).toBe('');
    },
    TIMEOUT,
  );
});
