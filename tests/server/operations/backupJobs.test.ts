/**
 * The backup command line and the server's scheduled backups: a killed backup leaves nothing that
 * looks complete, a refused restore exits non-zero, a scheduled backup is made once with two
 * server processes, retention removes exactly what it should, and a failed one is announced.
 * The servers keep their files on S3 (s3rver): their backups go to the bucket, their archives list
 * the stored objects, and a restore checks the bucket has them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { queryOnce as query } from '../../support/database.js';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';
import { filesUnder, photoWithGps, s3Env, startS3, upload } from '../../support/files.js';
import { connectSocket } from '../../support/sockets.js';
import { repoRoot } from '../../support/process.js';
import { waitFor } from '../../support/wait.js';
import { backupsBeyondRetention, backupRetention } from '../../../server/commands/operations/backups.js';
import { restoreArchive, verifyArchive } from '../../../server/operations/restore.js';

let server: TestServer;
let second: TestServer;
let work: string;
let s3: Awaited<ReturnType<typeof startS3>>;
const BUCKET = 'huitong-ops';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** An object as s3rver keeps it: `<dir>/<bucket>/<key>._S3rver_object`. */
const objectFile = (key: string) => path.join(s3.dir, BUCKET, `${key}._S3rver_object`);
const archivesInBucket = async () => (await filesUnder(path.join(s3.dir, BUCKET, 'backups'))).filter((f) => f.endsWith('._S3rver_object')).map((f) => f.slice(0, -'._S3rver_object'.length));

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
  s3 = await startS3();
  const env = { BACKUP_DIR: path.join(work, 'scheduled'), DATA_DIR: path.join(work, 'data'), ...s3Env(s3.endpoint, BUCKET) };
  server = await startTestServer(env);
  second = await startTestServer(env, { databaseUrl: server.databaseUrl });
}, 60_000);

afterAll(async () => {
  await second?.close();
  await server?.close();
  await s3?.close();
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
    // The padding goes (the one deletion the audit log's trigger lets through): the later backups of this file need not carry 10 MB.
    await query(server.databaseUrl, `BEGIN; SET LOCAL huitong.audit_retention = 'on'; DELETE FROM audit_log WHERE data ? 'pad'; COMMIT`);
  }, 90_000);
});

describe('scheduled backups', () => {
  it('are made once with two server processes, into the files’ bucket, listing its stored objects; a restore checks the bucket; a failed one shows on every page’s banner and is e-mailed', async () => {
    const admin = await server.admin();
    ok(await upload(admin, 'site.jpg', await photoWithGps(320, 240), 'image/jpeg'), 201);
    const [blob] = await query<{ storage_key: string; thumb_key: string }>(server.databaseUrl, `SELECT storage_key, thumb_key FROM file_blobs`);

    const [a, b] = await Promise.all([server.jobs.operations.scheduledBackup(), second.jobs.operations.scheduledBackup()]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    // In the bucket under backups/, uploaded once complete; no copy stays on the server's disk.
    const made = await archivesInBucket();
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(/^huitong-scheduled-\d{8}T\d{6}Z\.tar$/);
    expect((await fs.readdir(path.join(work, 'scheduled')).catch(() => [] as string[])).filter((f) => f.startsWith('huitong-'))).toEqual([]);
    const list = ok(await admin.get('/api/admin/backups'));
    expect(list.storage).toBe('s3');
    expect(list.items[0]).toMatchObject({ kind: 'scheduled', status: 'succeeded', fileName: made[0], storage: 's3', can: { download: true } });
    expect(list.lastScheduledFailed).toBeNull();
    expect(ok(await admin.get('/api/admin/backups/status'))).toEqual({ lastScheduledFailed: null });
    // Downloaded from the bucket through the same administrators-only check.
    const download = await fetch(`${server.url}/api/admin/backups/${list.items[0].id}/download`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.length).toBe(list.items[0].bytes);
    expect(bytes.equals(await fs.readFile(objectFile(`backups/${made[0]}`)))).toBe(true);

    // The archive holds no file: its manifest lists every stored object with its size and sha256.
    const archive = path.join(work, made[0]!);
    await fs.writeFile(archive, bytes);
    const manifest = await verifyArchive(archive, undefined);
    expect(manifest.files).toEqual([]);
    const expected = await Promise.all([blob!.storage_key, blob!.thumb_key].sort().map(async (key) => {
      const object = await fs.readFile(objectFile(key));
      return { key, bytes: object.length, sha256: sha256(object) };
    }));
    expect(manifest.s3).toEqual({ bucket: BUCKET, endpoint: s3.endpoint, objects: expected, goneAtBackup: [] });

    // A restore checks the bucket first: with every object there it goes on to its next check (the running servers)…
    const bucket = server.jobs.operations.bucket!;
    await expect(restoreArchive({ archive, databaseUrl: server.databaseUrl, bucket, replace: true })).rejects.toThrow(/other connection\(s\) are open/);
    await expect(restoreArchive({ archive, databaseUrl: server.databaseUrl, replace: true })).rejects.toThrow(/files are in the S3 bucket huitong-ops/);
    // …and with one gone it refuses, naming it, before touching anything.
    await bucket.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: blob!.thumb_key }));
    const before = await query(server.databaseUrl, `SELECT count(*)::int AS n, (SELECT count(*)::int FROM pg_namespace WHERE nspname = 'huitong_restore') AS marked FROM backups`);
    await expect(restoreArchive({ archive, databaseUrl: server.databaseUrl, bucket, replace: true })).rejects.toThrow(new RegExp(`bucket huitong-ops lacks 1 of the 2 stored files.*nothing was changed: ${blob!.thumb_key}`));
    expect(await query(server.databaseUrl, `SELECT count(*)::int AS n, (SELECT count(*)::int FROM pg_namespace WHERE nspname = 'huitong_restore') AS marked FROM backups`)).toEqual(before);

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
    // The shell's banner asks this on every page (to anyone but an administrator it is 404: audit.test.ts).
    expect(ok(await admin.get('/api/admin/backups/status')).lastScheduledFailed).toEqual(after.lastScheduledFailed);
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

    // Where each is kept alternates: the backup directory, or the bucket (as when files moved to S3 meanwhile).
    const dir = path.join(work, 'retention');
    await fs.mkdir(dir, { recursive: true });
    const bucket = server.jobs.operations.bucket!;
    await query(server.databaseUrl, `DELETE FROM backups`);
    const names = days.map((d) => `huitong-scheduled-${d.startedAt.toISOString().slice(0, 10)}.tar`);
    await Promise.all(days.map(async (d, i) => {
      const local = path.join(dir, names[i]!);
      await fs.writeFile(local, 'x');
      if (i % 2) {
        await bucket.putArchive(local, names[i]!);
        await fs.rm(local);
      }
    }));
    for (const [i, d] of days.entries()) {
      await query(server.databaseUrl, `INSERT INTO backups (kind, status, file_name, bytes, storage, scheduled_for, started_at, finished_at) VALUES ('scheduled', 'succeeded', $1, 1, $2, $3, $4, $4)`, [names[i], i % 2 ? 's3' : 'local', d.startedAt.toISOString().slice(0, 10), d.startedAt]);
    }
    const before = await archivesInBucket();
    await server.runner.run(server.orm.em.fork(), null, (cx) => backupRetention(cx, { dir, bucket }, 7, 4));
    const keptNames = kept.map((day) => `huitong-scheduled-${day}.tar`);
    expect((await fs.readdir(dir)).sort()).toEqual(keptNames.filter((n) => names.indexOf(n) % 2 === 0));
    const inBucket = new Set(await archivesInBucket());
    expect(names.filter((n, i) => i % 2 && inBucket.has(n))).toEqual(keptNames.filter((n) => names.indexOf(n) % 2 === 1));
    // The earlier test's scheduled archive is not a record any more here: retention touches only what it lists.
    expect(before.filter((n) => !names.includes(n)).every((n) => inBucket.has(n))).toBe(true);
    const [{ n }] = await query(server.databaseUrl, `SELECT count(*)::int AS n FROM backups WHERE removed_at IS NOT NULL`);
    expect(n).toBe(30 - kept.length);
  });

  it('a socket’s address ignores X-Forwarded-For without a trusted proxy (TRUST_PROXY unset, http PUBLIC_URL)', async () => {
    const admin = await server.admin();
    const socket = await connectSocket(server.url, { token: admin.token, headers: { 'x-forwarded-for': '198.51.100.4' } });
    try {
      const mine = (await server.io.fetchSockets()).find((s) => s.id === socket.id);
      expect(mine?.data.address).toMatch(/127\.0\.0\.1/);
    } finally {
      socket.close();
    }
  });
});
