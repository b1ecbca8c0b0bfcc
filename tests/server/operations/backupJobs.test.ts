/**
 * The backup command line and the server's scheduled backups: a killed backup leaves nothing that
 * looks complete, a refused restore exits non-zero, a scheduled backup is made once with two
 * server processes, retention removes exactly what it should, and a failed one is announced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';
import { repoRoot } from '../../support/process.js';
import { waitFor } from '../../support/wait.js';
import { backupsBeyondRetention, backupRetention } from '../../../server/commands/operations/backups.js';
import { verifyArchive } from '../../../server/operations/restore.js';

let server: TestServer;
let second: TestServer;
let work: string;

async function query<T extends pg.QueryResultRow = any>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Runs the operations command line (as `npm run backup` / `npm run restore` do) with its own environment. */
function cli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', './server/compat/node20.mjs', 'server/operations/cli.ts', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, exited, output: () => out };
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-ops-jobs-'));
  server = await startTestServer({ BACKUP_DIR: path.join(work, 'scheduled'), DATA_DIR: path.join(work, 'data') });
  second = await startTestServer({ BACKUP_DIR: path.join(work, 'scheduled'), DATA_DIR: path.join(work, 'data') }, { databaseUrl: server.databaseUrl });
}, 60_000);

afterAll(async () => {
  await second?.close();
  await server?.close();
  await fs.rm(work, { recursive: true, force: true });
});

describe('the backup command line', () => {
  it('a process killed during a backup leaves no archive that looks complete; the next one completes and prints its path last', async () => {
    // Enough rows that the copy takes a while.
    await query(server.databaseUrl, `INSERT INTO audit_log (action, data, created_at) SELECT 'auth.signed_in', jsonb_build_object('n', g, 'pad', repeat('x', 300)), now() FROM generate_series(1, 30000) g`);
    const dir = path.join(work, 'killed');
    const env = { DATABASE_URL: server.databaseUrl, BACKUP_DIR: dir };
    const run = cli(['backup'], env);
    await waitFor(async () => (await fs.readdir(dir).catch(() => [] as string[])).some((f) => f.startsWith('.spool-')), { timeoutMs: 30_000, intervalMs: 20, what: 'the backup to start writing' });
    run.child.kill('SIGKILL');
    await run.exited;
    const left = await fs.readdir(dir);
    expect(left.filter((f) => /^huitong-.*\.tar$/.test(f))).toEqual([]);
    for (const f of left.filter((name) => name.endsWith('.partial'))) await expect(verifyArchive(path.join(dir, f), undefined)).rejects.toThrow();

    const complete = cli(['backup'], env);
    expect(await complete.exited).toBe(0);
    const lastLine = complete.output().trim().split('\n').at(-1)!;
    expect(lastLine).toMatch(new RegExp(`^${dir}/huitong-\\d{8}T\\d{6}Z\\.tar$`));
    const manifest = await verifyArchive(lastLine, undefined);
    expect(manifest.tables.find((t) => t.name === 'audit_log')!.rows).toBeGreaterThanOrEqual(30000);

    // A damaged archive: the restore refuses, exits non-zero, and says why.
    const bytes = await fs.readFile(lastLine);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    const damaged = path.join(dir, 'damaged.tar');
    await fs.writeFile(damaged, bytes);
    const refused = cli(['restore', damaged], env);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/Refused: the archive is (damaged|truncated)/);
  }, 90_000);
});

describe('scheduled backups', () => {
  it('are made once with two server processes; a failed one shows in the list and tells the administrators by e-mail', async () => {
    const [a, b] = await Promise.all([server.jobs.operations.scheduledBackup(), second.jobs.operations.scheduledBackup()]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const made = (await fs.readdir(path.join(work, 'scheduled'))).filter((f) => f.startsWith('huitong-scheduled-'));
    expect(made).toHaveLength(1);
    const admin = await server.admin();
    const list = ok(await admin.get('/api/admin/backups'));
    expect(list.items[0]).toMatchObject({ kind: 'scheduled', status: 'succeeded', fileName: made[0], can: { download: true } });
    expect(list.lastScheduledFailed).toBeNull();
    const download = await fetch(`${server.url}/api/admin/backups/${list.items[0].id}/download`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).length).toBe(list.items[0].bytes);

    // Tomorrow's run fails (its directory cannot be created).
    await query(server.databaseUrl, `UPDATE backups SET scheduled_for = '2000-01-01' WHERE kind = 'scheduled'`);
    await fs.writeFile(path.join(work, 'blocked'), 'not a directory');
    const failing = await startTestServer({ BACKUP_DIR: path.join(work, 'blocked', 'sub') }, { databaseUrl: server.databaseUrl });
    try {
      expect(await failing.jobs.operations.scheduledBackup()).not.toBeNull();
    } finally {
      await failing.close();
    }
    const after = ok(await admin.get('/api/admin/backups'));
    expect(after.items[0]).toMatchObject({ kind: 'scheduled', status: 'failed' });
    expect(after.lastScheduledFailed?.error).toMatch(/ENOTDIR|not a directory|EEXIST/);
    const mails = await query(server.databaseUrl, `SELECT d.channel FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.kind = 'system' AND n.link = '/admin/backups' AND d.recipient_id = $1`, [admin.me.id]);
    expect(mails.map((m) => m.channel)).toContain('email');
  }, 60_000);

  it('retention keeps the newest 7 daily and the newest of each of the last 4 weeks, and removes exactly the others', async () => {
    // One backup a day for 30 days, ending on Sunday 2026-11-29.
    const days = Array.from({ length: 30 }, (_, i) => ({ id: String(i + 1), startedAt: new Date(Date.UTC(2026, 9, 31 + i, 3)) }));
    const removed = new Set(backupsBeyondRetention(days, 7, 4));
    const kept = days.filter((d) => !removed.has(d.id)).map((d) => d.startedAt.toISOString().slice(0, 10));
    // 23-29 Nov are the 7 daily; the 4 newest ISO weeks keep their newest: 29 Nov (daily already), 22, 15 and 8 Nov.
    expect(kept).toEqual(['2026-11-08', '2026-11-15', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);

    const dir = path.join(work, 'retention');
    await fs.mkdir(dir, { recursive: true });
    await query(server.databaseUrl, `DELETE FROM backups`);
    for (const d of days) {
      const name = `huitong-scheduled-${d.startedAt.toISOString().slice(0, 10)}.tar`;
      await fs.writeFile(path.join(dir, name), 'x');
      await query(server.databaseUrl, `INSERT INTO backups (kind, status, file_name, bytes, scheduled_for, started_at, finished_at) VALUES ('scheduled', 'succeeded', $1, 1, $2, $3, $3)`, [name, d.startedAt.toISOString().slice(0, 10), d.startedAt]);
    }
    await server.runner.run(server.orm.em.fork(), null, (cx) => backupRetention(cx, dir, 7, 4));
    expect((await fs.readdir(dir)).sort()).toEqual(kept.map((day) => `huitong-scheduled-${day}.tar`));
    const [{ n }] = await query(server.databaseUrl, `SELECT count(*)::int AS n FROM backups WHERE removed_at IS NOT NULL`);
    expect(n).toBe(30 - kept.length);
  });
});
