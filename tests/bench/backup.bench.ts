/**
 * `npm run bench:backup`: the backup and restore of a database holding BENCH_MESSAGES (default
 * 1,000,000) chat messages and the schedule benchmark's entries (BENCH_ENTRIES, default 1,000,000,
 * and BENCH_CUSTOMERS, default 50,000, with their feed), on its own embedded PostgreSQL:
 *  - backup_ratio_to_copy: `npm run backup`'s work (takeBackup, in a child process) beside a bare
 *    `COPY <table> TO STDOUT` of the same tables into one file, in the same run (the better of two each);
 *  - restore_s: restoring that archive into a fresh database (checks and all), beside backup_s;
 *  - rss_mb: the backup process's peak resident memory;
 *  - p99_ratio: the p99 of sending a chat message (HTTP, at BENCH_SEND_RATE a second) while a
 *    backup runs, beside the same load without one.
 * Ends with `RESULT backup_ratio_to_copy=… backup_s=… restore_s=… rss_mb=… p99_ratio=…`.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { once } from 'node:events';
import pg from 'pg';
import pino from 'pino';
import { to as copyTo } from 'pg-copy-streams';
import { randomUUID } from 'node:crypto';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { loadConfig } from '../../server/config/env.js';
import { startServer } from '../../server/start.js';
import { listTables, qualified } from '../../server/operations/archiveFormat.js';
import { restoreArchive } from '../../server/operations/restore.js';
import { documentFromPlainText } from '../../shared/richText/index.js';
import { bulkInsertHistory, createGroup, insertUsers, loginAll } from './seed.js';
import { freePort } from '../support/globalSetup.js';
import { repoRoot } from './ipc.js';

const envInt = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const MESSAGES = envInt('BENCH_MESSAGES', 1_000_000);
const ENTRIES = envInt('BENCH_ENTRIES', 1_000_000);
const CUSTOMERS = envInt('BENCH_CUSTOMERS', 50_000);
const SEND_RATE = envInt('BENCH_SEND_RATE', 40);
const SEND_SECONDS = envInt('BENCH_SEND_SECONDS', 8);

const log = (line = '') => console.log(line);
const fmt = (n: number, digits = 2) => n.toFixed(digits);

async function seed(db: pg.Client, userIds: string[], conversationId: string) {
  const started = performance.now();
  await bulkInsertHistory(db, conversationId, userIds, MESSAGES);
  await db.query(
    `INSERT INTO customers (name, type, tier, prospect_class, tier_rank, address, notes, created_by_id, created_at, updated_at)
     SELECT '客户 ' || c, (ARRAY['end_customer','channel','supplier','competitor','media','partner'])[1 + c % 6], (ARRAY['platinum','gold','silver','regular','poor'])[1 + c % 5], NULL, 1 + c % 5, '', '', $2, now(), now()
     FROM generate_series(1, $1) c`,
    [CUSTOMERS, userIds[0]],
  );
  const { rows: [range] } = await db.query(`SELECT min(id)::bigint AS lo, max(id)::bigint AS hi FROM customers`);
  await db.query(
    `INSERT INTO schedule_entries (owner_id, kind, title, description_text, starts_at, ends_at, all_day, long, customer_id, contact_ids, status, result_text, rrule, time_zone, exdates, reminder_offsets, created_at, updated_at)
     SELECT ($2::bigint[])[1 + i % cardinality($2::bigint[])], (ARRAY['visit','call','meeting','task','other'])[1 + i % 5], '日程 ' || i, '',
            s, s + interval '1 hour', false, false, CASE WHEN i % 5 < 2 THEN $3::bigint + (i::bigint * 7919) % ($4::bigint - $3::bigint + 1) END, '[]', 'done', '', NULL, 'Asia/Shanghai', '[]', '[]', now(), now()
     FROM generate_series(1, $1) i, LATERAL (SELECT timestamptz '2025-01-01 00:00+08' + (i::float8 / $1) * interval '730 days' AS s) t`,
    [ENTRIES, userIds, range.lo, range.hi],
  );
  await db.query(
    `INSERT INTO feed_items (customer_id, kind, actor_id, entry_id, text, data, tier_rank, customer_type, created_at)
     SELECT e.customer_id, 'result', e.owner_id, e.id, '', jsonb_build_object('title', e.title), c.tier_rank, c.type, e.ends_at
     FROM schedule_entries e JOIN customers c ON c.id = e.customer_id`,
  );
  await db.query('VACUUM (ANALYZE)');
  await db.query('CHECKPOINT');
  return { seconds: (performance.now() - started) / 1000 };
}

/** The bare baseline: every table's COPY into one file, nothing else. */
async function bareCopy(url: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const out = fs.createWriteStream(file);
    for (const table of await listTables(client)) {
      // A partitioned table (pg-boss's jobs) is copied through a query, as the backup does.
      for await (const chunk of client.query(copyTo(`COPY (SELECT * FROM ${qualified(table.schema, table.name)}) TO STDOUT`))) {
        if (!out.write(chunk)) await once(out, 'drain');
      }
    }
    out.end();
    await new Promise<void>((resolve) => out.once('close', () => resolve()));
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return (performance.now() - started) / 1000;
}

async function backupInChild(url: string, outDir: string): Promise<{ path: string; bytes: number; seconds: number; maxRssMb: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', './server/compat/node20.mjs', 'tests/bench/backupChild.ts', url, outDir], { cwd: repoRoot, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** Sends messages at a fixed rate for a while; returns each send's latency (ms). */
async function sendLoad(baseUrl: string, token: string, conversationId: string): Promise<number[]> {
  const body = JSON.stringify({ clientId: '', body: documentFromPlainText('压测消息 during the backup benchmark') });
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const total = SEND_RATE * SEND_SECONDS;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / SEND_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      (async () => {
        const t0 = performance.now();
        const res = await fetch(`${baseUrl}/api/conversations/${conversationId}/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body.replace('"clientId":""', `"clientId":"${randomUUID()}"`) });
        await res.arrayBuffer();
        if (res.status >= 300) throw new Error(`send failed: ${res.status}`);
        latencies.push(performance.now() - t0);
      })(),
    );
  }
  await Promise.all(inFlight);
  return latencies;
}

const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
};

async function main() {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'huitong-bench-backup-'));
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
  const admin = new pg.Client({ connectionString: embedded.url });
  await admin.connect();
  const withDb = (name: string) => {
    const u = new URL(embedded.url);
    u.pathname = `/${name}`;
    return u.toString();
  };
  await admin.query('CREATE DATABASE bench_source');
  await admin.query('CREATE DATABASE bench_restored');
  const sourceUrl = withDb('bench_source');
  const config = loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ADMIN_EMAIL: 'admin@huitong.bench', ADMIN_PASSWORD: 'bench-admin-password-1', DATA_DIR: dataDir, BACKUP_TIME: 'off', CLIENT_DIST: path.join(repoRoot, 'client/dist') });
  config.port = 0;
  const server = await startServer(config, sourceUrl, { logger: pino({ level: 'silent' }) });
  const db = new pg.Client({ connectionString: sourceUrl });
  await db.connect();
  try {
    log(`Seeding ${MESSAGES.toLocaleString('en')} messages, ${ENTRIES.toLocaleString('en')} schedule entries, ${CUSTOMERS.toLocaleString('en')} customers and their feed ...`);
    const users = await insertUsers(db, 50);
    const [sender] = await loginAll(server.url, users.slice(0, 1));
    const conversation = await createGroup(server.url, sender!, 'bench', users.slice(1, 20).map((u) => u.id));
    const seeded = await seed(db, users.map((u) => u.id), conversation.id);
    const { rows: [size] } = await db.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS size`);
    log(`  seeded in ${fmt(seeded.seconds, 1)} s; database ${size.size}`);

    const out = path.join(dataDir, 'out');
    await fsp.mkdir(out);
    const bare: number[] = [];
    const ours: Awaited<ReturnType<typeof backupInChild>>[] = [];
    // Taking turns, twice, so both see the machine's other load alike; the better of each counts.
    for (let round = 0; round < 2; round++) {
      bare.push(await bareCopy(sourceUrl, path.join(out, `bare-${round}.copy`)));
      ours.push(await backupInChild(sourceUrl, out));
      await fsp.rm(path.join(out, `bare-${round}.copy`));
    }
    const bareS = Math.min(...bare);
    const best = ours.reduce((a, b) => (a.seconds <= b.seconds ? a : b));
    const rssMb = Math.max(...ours.map((o) => o.maxRssMb));
    log(`bare COPY of every table to one file: ${bare.map((s) => fmt(s)).join(' s, ')} s (baseline)`);
    log(`backup (snapshot, ordered COPY, sha256, gzip, tar): ${ours.map((o) => fmt(o.seconds)).join(' s, ')} s; archive ${(best.bytes / 1e6).toFixed(1)} MB; peak RSS ${fmt(rssMb, 0)} MB`);

    const restoreStarted = performance.now();
    await restoreArchive({ archive: best.path, databaseUrl: withDb('bench_restored') });
    const restoreS = (performance.now() - restoreStarted) / 1000;
    log(`restore into a fresh database (verify, load, check every checksum): ${fmt(restoreS)} s`);

    const quiet = await sendLoad(server.url, sender!.token, conversation.id);
    const during = await Promise.all([sendLoad(server.url, sender!.token, conversation.id), backupInChild(sourceUrl, out)]);
    const p99Quiet = p99(quiet);
    const p99During = p99(during[0]);
    log(`chat send p99 at ${SEND_RATE}/s: ${fmt(p99Quiet, 1)} ms without a backup (baseline), ${fmt(p99During, 1)} ms while one runs (${fmt(during[1].seconds)} s)`);
    log(`RESULT backup_ratio_to_copy=${fmt(best.seconds / bareS)} backup_s=${fmt(best.seconds)} restore_s=${fmt(restoreS)} rss_mb=${fmt(rssMb, 0)} p99_ratio=${fmt(p99During / p99Quiet)}`);
  } finally {
    await db.end();
    await server.close();
    await admin.end();
    await embedded.stop();
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
