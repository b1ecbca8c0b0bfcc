/**
 * Backups and restores against the real PostgreSQL: a backup taken while users write restores and
 * serves; a quiet one restores row for row and file for file; damaged, truncated and wrongly keyed
 * archives are refused before anything changes; an older release's database restores into this
 * one; clients connected before a restore are told to resynchronise; start-up refuses what it must.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { queryOnce as query } from '../../support/database.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { createUsers, sendText, textBody } from '../../support/chat.js';
import { dayFromToday } from '../../support/reports.js';
import { PASSWORD } from '../../support/factories.js';
import { connectSocket, emitWithAck } from '../../support/sockets.js';
import { eventually } from '../../support/timing.js';
import { RealtimeClient } from '../../../client/src/realtime/connection.js';
import { memoryStorage } from '../../../client/src/realtime/cursors.js';
import { takeBackup } from '../../../server/operations/backup.js';
import { ArchiveProblem, restoreArchive, verifyArchive } from '../../../server/operations/restore.js';
import { openOrm } from '../../../server/db/orm.js';
import { hashPassword } from '../../../server/auth/passwords.js';
import { migrationsList } from '../../../migrations/index.js';

const adminUrl = () => inject('pgAdminUrl');
const withDatabase = (name: string) => {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
};

async function emptyDatabase(): Promise<string> {
  const name = `huitong_t_ops_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return withDatabase(name);
}

/** Every table of the product's schemas with a digest of its rows in a fixed order. */
async function tableDigests(url: string): Promise<Record<string, string>> {
  const tables = await query<{ s: string; t: string }>(url, `SELECT n.nspname AS s, c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'pgboss') AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1, 2`);
  const out: Record<string, string> = {};
  for (const { s, t } of tables) {
    const [row] = await query<{ d: string; n: number }>(url, `SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS d, count(*)::int AS n FROM "${s}"."${t}" x`);
    out[`${s}.${t}`] = `${row!.n}:${row!.d}`;
  }
  return out;
}

let server: TestServer;
let work: string;
const key = randomBytes(32);

beforeAll(async () => {
  server = await startTestServer();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-ops-'));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fs.rm(work, { recursive: true, force: true });
});

describe('backups that restore', () => {
  it('a backup taken while users send messages, submit work reports and annotate them restores into an empty database that serves, with history and working sequences; a client connected before is told to resynchronise', async () => {
    const admin = await server.admin();
    const [alice, bob] = await createUsers(admin, 2);
    const conversation = ok(await alice!.api.post('/api/conversations', { name: 'backup', memberIds: [bob!.user.id] }), 201);
    for (let i = 0; i < 20; i++) await sendText(alice!.api, conversation.id, `before ${i}`);
    // A client that follows Alice's stream and knows the epoch.
    const socket = await connectSocket(server.url, { token: alice!.api.token });
    const first: any = await emitWithAck(socket, 'sync', { streams: { [`user:${alice!.user.id}`]: 0 } });
    expect(first.ok).toBe(true);
    const epochBefore = first.data.epoch as string;
    expect(epochBefore).toMatch(/\S/);

    // Alice's daily reports, copied to Bob, who annotates each: reports, receivers, versions, annotations, notifications.
    const reportDays = [0, 1, 2, 3, 4, 5].map((d) => dayFromToday(d));
    const writeReport = async (day: string) => {
      const draft = ok(await alice!.api.post('/api/reports', { kind: 'daily', date: day }), 201);
      const saved = ok(await alice!.api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody(`done ${day}`), plan: textBody(`plan ${day}`), help: textBody('none') }, ccUserIds: [bob!.user.id] }));
      ok(await alice!.api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));
      ok(await bob!.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody(`noted ${day}`) }), 201);
    };
    await writeReport(reportDays.shift()!);

    // Writers keep going during the backup: it must neither block them nor lose its consistency.
    let writing = true;
    let sentDuring = 0;
    let reportsDuring = 0;
    const writer = (async () => {
      while (writing) {
        await sendText(bob!.api, conversation.id, `during ${sentDuring}`);
        sentDuring++;
        if (reportDays.length) {
          await writeReport(reportDays.shift()!);
          reportsDuring++;
        }
      }
    })();
    const dataDir = path.join(work, 'live');
    await fs.mkdir(path.join(dataDir, 'files', 'ab'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'files', 'ab', 'contract.pdf'), randomBytes(70_000));
    const backup = await takeBackup({ databaseUrl: server.databaseUrl, dataDir, outDir: path.join(work, 'out'), key });
    writing = false;
    await writer;
    expect(sentDuring).toBeGreaterThan(0);
    expect(reportsDuring).toBeGreaterThan(0);
    expect(path.basename(backup.path)).toMatch(/^huitong-\d{8}T\d{6}Z\.tar\.enc$/);
    const rowsInArchive = (name: string) => backup.manifest.tables.find((t) => t.schema === 'public' && t.name === name)!.rows;
    const messagesInArchive = rowsInArchive('messages');
    expect(messagesInArchive).toBeGreaterThanOrEqual(20);
    const reportsInArchive = rowsInArchive('reports');
    expect(reportsInArchive).toBeGreaterThanOrEqual(1);
    expect(rowsInArchive('annotations')).toBeGreaterThanOrEqual(1);
    expect(backup.manifest.tables.some((t) => t.schema === 'pgboss' && t.name === 'job')).toBe(true);
    expect(backup.manifest.migrations).toEqual(migrationsList.map((m) => m.name));

    const target = await emptyDatabase();
    const restoredDir = path.join(work, 'restored');
    const result = await restoreArchive({ archive: backup.path, databaseUrl: target, dataDir: restoredDir, key });
    expect(result.migrationsApplied).toEqual([]);
    expect(await fs.readFile(path.join(restoredDir, 'files', 'ab', 'contract.pdf'))).toEqual(await fs.readFile(path.join(dataDir, 'files', 'ab', 'contract.pdf')));

    const restored = await startTestServer({}, { databaseUrl: target });
    try {
      const aliceAgain = new ApiClient(restored.url);
      await aliceAgain.login(alice!.user.email, PASSWORD);
      let history: { body: string }[] = [];
      let before: string | undefined;
      for (;;) {
        const page = ok(await aliceAgain.get(`/api/conversations/${conversation.id}/messages?limit=100${before ? `&before=${before}` : ''}`));
        history = [...page.items, ...history];
        if (!page.nextCursor) break;
        before = page.nextCursor;
      }
      expect(history.length).toBe(messagesInArchive);
      // Her reports as the snapshot had them (one caught between opening and submitting is still a draft), each
      // submitted one with the receiver it had then, and Bob's annotations on them.
      const mine = ok(await aliceAgain.get('/api/reports/mine?limit=50')).items as { id: string; status: string }[];
      expect(mine).toHaveLength(reportsInArchive);
      const submitted = mine.filter((r) => r.status === 'submitted');
      expect(submitted.length).toBeGreaterThanOrEqual(1);
      let annotationsSeen = 0;
      for (const report of submitted) {
        expect(ok(await aliceAgain.get(`/api/reports/${report.id}`)).receivers.map((r: any) => r.user.id)).toContain(bob!.user.id);
        annotationsSeen += (ok(await aliceAgain.get(`/api/reports/${report.id}/annotations`)) as unknown[]).length;
      }
      expect(annotationsSeen).toBe(rowsInArchive('annotations'));
      // Sequences were set: new rows get fresh ids instead of colliding with restored ones.
      const sent = await sendText(aliceAgain, conversation.id, 'after the restore');
      expect(BigInt(sent.id)).toBeGreaterThan(BigInt(history.at(-1) ? (history.at(-1) as any).id : 0));
      ok(await (await restored.admin()).post('/api/departments', { name: 'After restore', parentId: null, managerIds: [] }), 201);

      // The client connected before the restore holds positions of the old history: told to reset, then follows afresh.
      socket.close();
      const again = await connectSocket(restored.url, { token: (aliceAgain as any).token });
      const stream = `user:${alice!.user.id}`;
      const stale: any = await emitWithAck(again, 'sync', { streams: { [stream]: 1_000_000 }, epoch: epochBefore });
      expect(stale.ok).toBe(true);
      expect(stale.data.reset).toBe(true);
      expect(stale.data.epoch).not.toBe(epochBefore);
      expect(stale.data.events).toEqual([]);
      const fresh: any = await emitWithAck(again, 'sync', { streams: { [stream]: 0 }, epoch: stale.data.epoch });
      expect(fresh.data.reset).toBeUndefined();
      const seqs = (fresh.data.events as { seq: number }[]).map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // every event once, none missing
      // And what happens next arrives live with the next sequence number.
      const bobAgain = new ApiClient(restored.url);
      await bobAgain.login(bob!.user.email, PASSWORD);
      const dm = ok(await bobAgain.post('/api/conversations', { name: 'after', memberIds: [alice!.user.id] }), 201);
      await sendText(bobAgain, dm.id, 'hello after restore');
      const deadline = Date.now() + 10_000;
      while (!again.received.some((e) => e.stream === stream) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const live = again.received.filter((e) => e.stream === stream);
      expect(live[0]?.seq).toBe((seqs.at(-1) ?? 0) + 1);
      again.close();

      // The web client's own connection, holding a position and the epoch from before the restore: it drops
      // its saved positions, keeps the new epoch and hands over to its page (which reloads its snapshots).
      const storage = memoryStorage();
      const cursorsKey = `huitong.streamCursors.${alice!.user.id}`;
      const epochKey = `huitong.restoreEpoch.${alice!.user.id}`;
      storage.setItem(epochKey, epochBefore);
      storage.setItem(cursorsKey, JSON.stringify({ [stream]: 1_000_000 }));
      let restoredCalls = 0;
      const webClient = new RealtimeClient({ userId: alice!.user.id, url: restored.url, token: (aliceAgain as any).token, storage, onRestored: () => restoredCalls++, socketOptions: { transports: ['websocket'] } });
      webClient.follow(`user:${alice!.user.id}`, () => {});
      webClient.connect();
      try {
        await eventually(() => restoredCalls === 1, { what: 'the web client to learn of the restore' });
        expect(storage.getItem(cursorsKey)).toBeNull();
        expect(storage.getItem(epochKey)).toBe(stale.data.epoch);
      } finally {
        webClient.close();
      }
    } finally {
      await restored.close();
    }
  }, 90_000);

  it('a quiet database restores row for row identical in every table, and a non-empty target is refused unless replaced (then backed up first)', async () => {
    const dataDir = path.join(work, 'quiet');
    await fs.mkdir(path.join(dataDir, 'files', 'x', 'y'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'files', 'x', 'y', 'photo.jpg'), randomBytes(5000));
    await fs.writeFile(path.join(dataDir, 'files', 'note.txt'), '汇通');
    const backup = await takeBackup({ databaseUrl: server.databaseUrl, dataDir, outDir: path.join(work, 'out') });
    const source = await tableDigests(server.databaseUrl);
    const target = await emptyDatabase();
    const restoredDir = path.join(work, 'quiet-restored');
    await restoreArchive({ archive: backup.path, databaseUrl: target, dataDir: restoredDir });
    const restored = await tableDigests(target);
    const { ['public.restore_state']: epochSource, ...sourceRest } = source;
    const { ['public.restore_state']: epochRestored, ...restoredRest } = restored;
    // Only the restore epoch differs: that is its point.
    expect(restoredRest).toEqual(sourceRest);
    expect(epochRestored).not.toEqual(epochSource);
    expect(Object.keys(restored).length).toBeGreaterThan(50);
    for (const file of ['x/y/photo.jpg', 'note.txt']) expect(await fs.readFile(path.join(restoredDir, 'files', file))).toEqual(await fs.readFile(path.join(dataDir, 'files', file)));

    // The target now has data: refused without --replace, changing nothing.
    const before = await tableDigests(target);
    await expect(restoreArchive({ archive: backup.path, databaseUrl: target })).rejects.toThrow(/not empty.*--replace/);
    expect(await tableDigests(target)).toEqual(before);
    let backedUp = '';
    await restoreArchive({ archive: backup.path, databaseUrl: target, replace: true, backupFirst: async () => (backedUp = (await takeBackup({ databaseUrl: target, outDir: path.join(work, 'out'), prefix: 'before-restore' })).path) });
    expect(path.basename(backedUp)).toMatch(/^before-restore-/);
    expect((await verifyArchive(backedUp, undefined)).tables.length).toBe(backup.manifest.tables.length);
  }, 60_000);

  it('a damaged, a truncated and a wrongly keyed archive are refused before anything changes', async () => {
    const plain = await takeBackup({ databaseUrl: server.databaseUrl, outDir: path.join(work, 'bad') });
    const sealed = await takeBackup({ databaseUrl: server.databaseUrl, outDir: path.join(work, 'bad'), key, prefix: 'sealed' });
    const target = await emptyDatabase();
    const bytes = await fs.readFile(plain.path);
    const damage = async (name: string, content: Buffer) => {
      const file = path.join(work, 'bad', name);
      await fs.writeFile(file, content);
      return file;
    };
    // Bytes changed in the middle of a table's data.
    const messages = bytes.indexOf(Buffer.from('tables/public.messages.copy.gz'));
    const flipped = Buffer.from(bytes);
    for (let i = messages + 512 + 10; i < messages + 512 + 20; i++) flipped[i] = flipped[i]! ^ 0xff;
    const sealedBytes = await fs.readFile(sealed.path);
    const sealedFlipped = Buffer.from(sealedBytes);
    sealedFlipped[Math.floor(sealedBytes.length / 2)] ^= 0x01;
    const cases: [string, string, Buffer | undefined, RegExp][] = [
      ['damaged', await damage('damaged.tar', flipped), undefined, /damaged/],
      ['truncated', await damage('truncated.tar', bytes.subarray(0, Math.floor(bytes.length * 0.6))), undefined, /truncated|damaged/],
      ['cut at an entry', await damage('cut.tar', bytes.subarray(0, bytes.indexOf(Buffer.from('manifest.json')))), undefined, /truncated|no manifest|damaged/],
      ['damaged encrypted', await damage('damaged.tar.enc', sealedFlipped), key, /damaged|wrong BACKUP_KEY/],
      ['truncated encrypted', await damage('truncated.tar.enc', sealedBytes.subarray(0, sealedBytes.length - 20)), key, /truncated|damaged/],
      ['wrong key', sealed.path, randomBytes(32), /wrong BACKUP_KEY/],
      ['no key', sealed.path, undefined, /encrypted: set BACKUP_KEY/],
    ];
    for (const [what, file, withKey, message] of cases) {
      const refusal = await restoreArchive({ archive: file, databaseUrl: target, key: withKey }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refusal, what).toBeInstanceOf(ArchiveProblem);
      expect((refusal as Error).message, what).toMatch(message);
    }
    // Nothing was touched: the target has no table at all.
    expect(await query(target, `SELECT 1 FROM pg_tables WHERE schemaname IN ('public', 'pgboss', 'huitong_restore')`)).toEqual([]);
  }, 60_000);

  it('a database of the first release (migrations up to the fan-out one) restores into this release and serves', async () => {
    const old = await emptyDatabase();
    const firstRelease = 'Migration20261206084123_fanout';
    const orm = await openOrm(old);
    await orm.migrator.up({ to: firstRelease });
    await orm.close();
    await query(old, `INSERT INTO departments (name, created_at) VALUES ('老总部', now())`);
    const [dept] = await query<{ id: string }>(old, `SELECT id::text AS id FROM departments LIMIT 1`);
    const columns = (await query<{ column_name: string }>(old, `SELECT column_name FROM information_schema.columns WHERE table_name = 'users'`)).map((c) => c.column_name);
    expect(columns).toContain('password_hash');
    await query(old, `INSERT INTO users (email, display_name, password_hash, department_id, role, created_at, updated_at) VALUES ('old@huitong.test', '老用户', $1, $2, 'admin', now(), now())`, [await hashPassword(PASSWORD), dept!.id]);
    const backup = await takeBackup({ databaseUrl: old, outDir: path.join(work, 'old') });
    expect(backup.manifest.migrations.at(-1)).toBe(firstRelease);
    const target = await emptyDatabase();
    const result = await restoreArchive({ archive: backup.path, databaseUrl: target });
    expect(result.migrationsApplied).toEqual(migrationsList.map((m) => m.name).slice(migrationsList.findIndex((m) => m.name === firstRelease) + 1));
    const current = await startTestServer({}, { databaseUrl: target });
    try {
      const api = new ApiClient(current.url);
      await api.login('old@huitong.test', PASSWORD);
      expect(api.me.displayName).toBe('老用户');
      ok(await api.post('/api/departments', { name: 'new', parentId: dept!.id, managerIds: [] }), 201);
    } finally {
      await current.close();
    }
  }, 60_000);

  it('start-up backs up before pending migrations, and refuses a newer release’s database and a half-restored one', async () => {
    const old = await emptyDatabase();
    const orm = await openOrm(old);
    await orm.migrator.up({ to: 'Migration20261206101732_reports' });
    await orm.close();
    const backupDir = path.join(work, 'upgrade');
    const upgraded = await startTestServer({ BACKUP_DIR: backupDir }, { databaseUrl: old });
    try {
      expect(upgraded.upgradeBackup).toMatch(/huitong-before-upgrade-.*\.tar$/);
      const manifest = await verifyArchive(upgraded.upgradeBackup!, undefined);
      expect(manifest.migrations.at(-1)).toBe('Migration20261206101732_reports');
      // Listed with the others, marked as taken before the upgrade, and downloadable (that database had no list yet).
      const admin = await upgraded.admin();
      const listed = ok(await admin.get('/api/admin/backups')).items;
      expect(listed).toEqual([expect.objectContaining({ kind: 'upgrade', status: 'succeeded', fileName: path.basename(upgraded.upgradeBackup!), storage: 'local', bytes: (await fs.stat(upgraded.upgradeBackup!)).size, can: { download: true } })]);
      const download = await fetch(`${upgraded.url}/api/admin/backups/${listed[0].id}/download`, { headers: { authorization: `Bearer ${admin.token}` } });
      expect(Buffer.from(await download.arrayBuffer()).equals(await fs.readFile(upgraded.upgradeBackup!))).toBe(true);
    } finally {
      await upgraded.close();
    }
    await query(old, `INSERT INTO mikro_orm_migrations (name, executed_at) VALUES ('Migration29991231000000_future', now())`);
    await expect(startTestServer({ BACKUP_DIR: backupDir }, { databaseUrl: old })).rejects.toThrow(/newer release of Huitong.*Migration29991231000000_future/);
    await query(old, `DELETE FROM mikro_orm_migrations WHERE name = 'Migration29991231000000_future'`);
    await query(old, `CREATE SCHEMA huitong_restore`);
    await expect(startTestServer({ BACKUP_DIR: backupDir }, { databaseUrl: old })).rejects.toThrow(/restore into this database did not finish/);
  }, 60_000);
});
