/**
 * From the crashed side: the real server process (server/main.ts, as `npm start` runs it) killed
 * with SIGKILL leaves its embedded PostgreSQL running; the next start stops that one and comes up
 * on the same data directory with nothing lost. A port held by another program is still reported.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../support/globalSetup.js';
import { ApiClient, ok } from '../../support/api.js';
import { cleanEnv, exitWithin, spawnServer, type ServerProcess } from '../../support/process.js';
import { waitFor } from '../../support/wait.js';

const RUNNING = /Huitong is running: \S+\s+\(listening on (http:\/\/\S+)\)/;
const ADMIN = { ADMIN_EMAIL: 'crash@huitong.test', ADMIN_PASSWORD: 'Crash-test-admin-42' };

const processes: ServerProcess[] = [];
const others: ChildProcess[] = [];
const tempDirs: string[] = [];
afterAll(async () => {
  others.forEach((p) => p.kill());
  await Promise.all(processes.map((p) => p.terminate()));
  for (const dir of tempDirs) {
    // A failed run may leave the killed server's PostgreSQL behind: stop it before its directory goes.
    const pid = Number((await fs.readFile(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    if (pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 'SIGINT');
        const gone = async () => !(await fs.stat(path.join(dir, 'pg', 'postmaster.pid')).then(() => true, () => false));
        await waitFor(gone, { timeoutMs: 30_000, what: 'the leftover PostgreSQL to stop' }).catch(() => undefined);
      } catch {
        /* not running */
      }
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
});

function start(env: Record<string, string>) {
  const proc = spawnServer(cleanEnv({ HOST: '127.0.0.1', ...ADMIN, ...env }));
  processes.push(proc);
  return proc;
}

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

describe('a server killed with SIGKILL', () => {
  it('starts again on the same data directory: the leftover PostgreSQL is stopped, the data is all there', { timeout: 180_000 }, async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-crash-'));
    tempDirs.push(dataDir);
    const pgPort = await freePort();
    const env = { EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, CLIENT_DIST: '/nonexistent' };

    const first = start({ ...env, PORT: String(await freePort()) });
    const [, url] = await first.waitForOutput(RUNNING, 90_000);
    const admin = new ApiClient(url);
    await admin.login(ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD);
    const department = ok(await admin.post('/api/departments', { name: 'Before the crash', parentId: null }), 201);
    const customer = ok(await admin.post('/api/customers', { name: 'Committed Co', type: 'channel' }), 201);

    first.child.kill('SIGKILL');
    await first.exited;
    // What failed before: the embedded PostgreSQL outlives its server and holds the cluster and the port.
    expect(await portOpen(pgPort)).toBe(true);
    const leftover = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);

    const second = start({ ...env, PORT: String(await freePort()) });
    const [, url2] = await second.waitForOutput(RUNNING, 90_000);
    expect(second.stdout()).toContain(`Stopped the embedded PostgreSQL (PID ${leftover})`);
    expect((await fetch(`${url2}/readyz`)).status).toBe(200);
    const again = new ApiClient(url2);
    await again.login(ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD);
    expect(ok<any[]>(await again.get('/api/departments')).map((d) => d.id)).toContain(department.id);
    expect(ok(await again.get(`/api/customers/${customer.id}`)).name).toBe('Committed Co');
    ok(await again.post('/api/departments', { name: 'After the crash', parentId: null }), 201);

    second.child.kill('SIGTERM');
    expect(await exitWithin(second, 30_000)).toBe(0);
    expect(await portOpen(pgPort)).toBe(false);

    // As after a power loss: the lock file stayed, and its number now belongs to a live program that is
    // not PostgreSQL (and not an ancestor of the new postmaster, which PostgreSQL would recognise itself).
    // PostgreSQL running as another user (under root) takes such a file for stale; as the same user it would refuse to start.
    const other = spawn('sleep', ['120'], { stdio: 'ignore' });
    others.push(other);
    await fs.writeFile(path.join(dataDir, 'pg', 'postmaster.pid'), `${other.pid}\n${path.join(dataDir, 'pg')}\n1700000000\n${pgPort}\n/tmp\n127.0.0.1\n  5432001    123456\nready   \n`);
    const third = start({ ...env, PORT: String(await freePort()) });
    const [, url3] = await third.waitForOutput(RUNNING, 90_000);
    expect(third.stdout()).toContain(`Removed a stale ${path.join(dataDir, 'pg', 'postmaster.pid')}: process ${other.pid} is no longer PostgreSQL`);
    const afterPowerLoss = new ApiClient(url3);
    await afterPowerLoss.login(ADMIN.ADMIN_EMAIL, ADMIN.ADMIN_PASSWORD);
    expect(ok<any[]>(await afterPowerLoss.get('/api/departments')).map((d) => d.id)).toContain(department.id);
    third.child.kill('SIGTERM');
    expect(await exitWithin(third, 30_000)).toBe(0);
  });

  it('a port held by another program is still reported clearly, and nothing is killed', { timeout: 60_000 }, async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-port-'));
    tempDirs.push(dataDir);
    const blocker = net.createServer();
    const pgPort = await freePort();
    await new Promise<void>((resolve) => blocker.listen(pgPort, '127.0.0.1', resolve));
    try {
      const proc = start({ EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, PORT: String(await freePort()), CLIENT_DIST: '/nonexistent' });
      expect(await exitWithin(proc, 30_000)).toBe(1);
      expect(proc.stderr()).toMatch(new RegExp(`EMBEDDED_PG_PORT ${pgPort} is already in use`));
      await waitFor(() => blocker.listening, { what: 'the blocking program to keep its port' });
    } finally {
      blocker.close();
    }
  });
});
