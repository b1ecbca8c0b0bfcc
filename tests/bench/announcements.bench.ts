/**
 * `npm run bench:announcements`: a Huitong server in its own process (server/main.ts) on a
 * PostgreSQL started here, an organisation of 5,000 people in 300 departments, 500 of them
 * connected by Socket.IO, and a local SMTP server. It measures, each beside what bounds it:
 * - publish_ms: POST /api/announcements of a must-acknowledge directive (with an escalation ladder)
 *   to all 5,000, until it answers with every recipient's ledger row written (the notifications go to
 *   background jobs in parts of FANOUT_CHUNK_SIZE), beside sql_ms: a hand-written INSERT … SELECT of
 *   the same announcement, version and ledger rows on a plain connection, in the same run;
 * - push_p99_ms: from sending that request to its notification arriving at each of the 500 sockets;
 * - ledger_ms: the ledger's summary (per state, department and channel) and the first page of those
 *   who have not acknowledged, over HTTP, for the 5,000 (after the escalation below, with reads and
 *   acknowledgements);
 * - escalation_per_s: e-mails the SMTP server accepts per second when a ladder step falls due for the
 *   5,000 (from the moment it is due to the last e-mail accepted).
 * BENCH_ROUNDS=<n> changes the number of publications measured (median and p99 over all).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { SMTPServer } from 'smtp-server';
import { io, type Socket } from 'socket.io-client';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { applyMigrations, openOrm } from '../../server/db/orm.js';
import { ANNOUNCEMENT_QUEUE } from '../../server/jobs/queue.js';
import { documentFromPlainText } from '../../shared/richText/index.js';
import { startServerProcess } from '../support/process.js';
import { freePort } from '../support/globalSetup.js';
import { seedCrowd } from '../support/crowd.js';
import { ApiClient } from '../support/api.js';
import { insertSessions } from './seed.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const USERS = 5000;
const DEPARTMENTS = 300;
const CONNECTED = 500;
const LEDGER_RUNS = 20;
const ADMIN = { email: 'bench-admin@huitong.test', password: 'Bench-harbour-2026-lantern' };

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function waitUntil(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The same rows as the publication writes in its request (announcement, first version, every recipient's ledger row), by hand. */
async function handWritten(db: pg.Client, adminId: string, title: string) {
  await db.query('BEGIN');
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO announcements (publisher_id, title, body, body_text, category, priority, requires_ack, scope, status, published_at, pinned, version, ack_version, escalation, recipient_count, created_at, updated_at)
     VALUES ($1, $2, '{}', 'text', 'directive', 'important', true, '{"everyone":true,"departmentIds":[],"userIds":[]}', 'published', now(), false, 1, 1, NULL, $3, now(), now()) RETURNING id`,
    [adminId, title, USERS],
  );
  await db.query(`INSERT INTO announcement_versions (announcement_id, version, title, body, body_text, requires_reacknowledge, author_id, created_at) VALUES ($1, 1, $2, '{}', 'text', false, $3, now())`, [rows[0].id, title, adminId]);
  await db.query(
    `INSERT INTO announcement_recipients (announcement_id, user_id, via, received_at)
     SELECT $1, u.id, 'publish', now() FROM users u WHERE u.active AND u.id <> $2`,
    [rows[0].id, adminId],
  );
  await db.query('COMMIT');
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-bench-pg-'));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'huitong_bench' });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const orm = await openOrm(databaseUrl);
  await applyMigrations(orm);
  await orm.close();

  // The SMTP server counts what it accepts (the subject is enough: the bench measures Huitong, not a parser).
  const accepted: { at: number; subject: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 4096) head += c.toString('latin1');
      });
      stream.on('end', () => {
        accepted.push({ at: Date.now(), subject: /^Subject: (.*)$/m.exec(head)?.[1] ?? '' });
        callback();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', () => resolve()));

  const server = await startServerProcess({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_POOL_SIZE: '10',
    DELIVERY_BATCH_SIZE: '50',
    JOB_POLL_MS: '500',
    SOCKET_EVENTS_PER_SECOND: '1000000',
    LOGIN_ATTEMPTS_PER_ADDRESS: '1000000',
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
  await boss.start();

  try {
    const { members } = await seedCrowd(db, { users: USERS, departments: DEPARTMENTS });
    // Nobody wants e-mail about announcements and nobody is in quiet hours: the ladder's e-mail step is what sends.
    await db.query(`UPDATE notification_settings SET preferences = preferences || '{"announcement": {"email": false, "sms": false}}', quiet_hours = NULL`);
    await db.query(`INSERT INTO notification_settings (user_id, preferences, quiet_hours, updated_at) SELECT id, '{"announcement": {"email": false, "sms": false}}', NULL, now() FROM users ON CONFLICT (user_id) DO NOTHING`);
    await db.query('ANALYZE');
    const admin = new ApiClient(server.url);
    await admin.login(ADMIN.email, ADMIN.password);
    const adminId = String(admin.me.id);

    // 500 of them online, each on a socket of its own, spread over the organisation (every tenth).
    const online = members.filter((_, i) => i % (USERS / CONNECTED) === 0).slice(0, CONNECTED);
    const sessions = await insertSessions(db, online.map((m) => m.id), 1);
    // When each announcement reached each socket: its publication event, and its notification on the user's stream.
    const arrivals = new Map<string, number[]>();
    const notified = new Map<string, number[]>();
    const sockets: Socket[] = [];
    for (let i = 0; i < sessions.length; i += 50) {
      sockets.push(
        ...(await Promise.all(
          sessions.slice(i, i + 50).map(
            (s) =>
              new Promise<Socket>((resolve, reject) => {
                const socket = io(server.url, { transports: ['websocket'], auth: { token: s.token }, forceNew: true, reconnection: false });
                socket.on('announcement:published', ({ announcement }: { announcement: { id: string } }) => {
                  (arrivals.get(announcement.id) ?? arrivals.set(announcement.id, []).get(announcement.id)!).push(Date.now());
                });
                socket.on('event', (envelope: { type: string; data: { notification?: { data?: { announcementId?: string } } } }) => {
                  const id = envelope.type === 'notification.created' ? envelope.data.notification?.data?.announcementId : undefined;
                  if (id) (notified.get(id) ?? notified.set(id, []).get(id)!).push(Date.now());
                });
                socket.once('connect', () => resolve(socket));
                socket.once('connect_error', reject);
              }),
          ),
        )),
      );
    }
    console.log(`${USERS} people in ${DEPARTMENTS} departments; ${sockets.length} connected by Socket.IO`);

    const body = documentFromPlainText('All staff: the fire exits stay clear at all times. Acknowledge that you have read this.');
    const directive = (title: string) => ({
      title, body, category: 'directive', priority: 'important', requiresAck: true, scope: { everyone: true, departmentIds: [], userIds: [] },
      escalation: { steps: [{ channel: 'email', afterMinutes: 60 }], repeat: null },
    });
    const fanOutDone = async (id: string) => Number((await db.query(`SELECT count(*) AS n FROM notifications WHERE data->>'announcementId' = $1`, [id])).rows[0].n) === USERS;

    // Warm both (plans, caches), then alternate which goes first.
    const warm = await admin.post('/api/announcements', directive('warm-up'));
    if (warm.status !== 201) throw new Error(`publishing failed: ${warm.status} ${JSON.stringify(warm.body)}`);
    await waitUntil(() => fanOutDone(warm.body.data.id), 120_000, 'the warm-up fan-out');
    await handWritten(db, adminId, 'warm-sql');

    const publishMs: number[] = [];
    const sqlMs: number[] = [];
    const pushMs: number[] = [];
    const notifiedMs: number[] = [];
    let lastId = '';
    for (let round = 0; round < ROUNDS; round++) {
      const ours = async () => {
        const sent = Date.now();
        const started = process.hrtime.bigint();
        const res = await admin.post('/api/announcements', directive(`directive ${round}`));
        publishMs.push(ms(started));
        if (res.status !== 201 || res.body.data.recipientCount !== USERS) throw new Error(`publishing reached ${res.body?.data?.recipientCount}: ${res.status}`);
        const id = res.body.data.id as string;
        lastId = id;
        await waitUntil(() => (arrivals.get(id)?.length ?? 0) >= CONNECTED, 60_000, 'the announcement at every connected client');
        pushMs.push(...arrivals.get(id)!.map((at) => at - sent));
        await waitUntil(() => (notified.get(id)?.length ?? 0) >= CONNECTED, 120_000, 'the notification at every connected client');
        notifiedMs.push(...notified.get(id)!.map((at) => at - sent));
        await waitUntil(() => fanOutDone(id), 120_000, 'the whole fan-out');
        const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM announcement_recipients WHERE announcement_id = $1`, [id])).rows;
        if (n !== USERS) throw new Error(`${n} ledger rows`);
      };
      const sql = async () => {
        const started = process.hrtime.bigint();
        await handWritten(db, adminId, `sql ${round}`);
        sqlMs.push(ms(started));
      };
      if (round % 2 === 0) (await ours(), await sql());
      else (await sql(), await ours());
    }

    // The ladder's step falls due for the 5,000, none of whom has acknowledged: as if its hour had come.
    const before = accepted.length;
    const due = Date.now();
    const { rows: steps } = await db.query<{ id: string }>(`UPDATE announcement_escalations SET due_at = now() WHERE announcement_id = $1 RETURNING id::text AS id`, [lastId]);
    await boss.insert(steps.map((s) => ({ name: ANNOUNCEMENT_QUEUE, data: { task: 'escalate', escalationId: s.id } })));
    const escalated = () => accepted.slice(before).filter((m) => m.subject.includes('Please acknowledge'));
    await waitUntil(() => escalated().length >= USERS, 300_000, 'every escalation e-mail at the SMTP server');
    const mails = escalated();
    const lastAccepted = Math.max(...mails.map((m) => m.at));
    const escalationSeconds = (lastAccepted - due) / 1000;
    const escalationPerS = USERS / escalationSeconds;
    const duplicates = mails.length - USERS;

    // A ledger as it looks a while later: a third acknowledged, a fifth read.
    await db.query(
      `UPDATE announcement_recipients r SET first_read_at = now(), acknowledged_at = CASE WHEN u.n % 3 = 0 THEN now() END, acknowledged_version = CASE WHEN u.n % 3 = 0 THEN 1 END
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users) u WHERE r.user_id = u.id AND r.announcement_id = $1 AND (u.n % 3 = 0 OR u.n % 5 = 0)`,
      [lastId],
    );
    // As autovacuum would have by then: the planner knows the 30,000 notifications the run wrote.
    await db.query('ANALYZE');
    const ledgerMs: number[] = [];
    const summaryMs: number[] = [];
    const rowsMs: number[] = [];
    let summary: any;
    for (let run = 0; run < LEDGER_RUNS + 3; run++) {
      const started = process.hrtime.bigint();
      const timed = async (path: string, into: number[]) => {
        const t = process.hrtime.bigint();
        const res = await admin.get(path);
        if (run >= 3) into.push(ms(t));
        return res;
      };
      const [s, page] = await Promise.all([timed(`/api/announcements/${lastId}/ledger`, summaryMs), timed(`/api/announcements/${lastId}/ledger/rows?state=unacknowledged&limit=50`, rowsMs)]);
      const took = ms(started);
      if (s.status !== 200 || page.status !== 200 || page.body.data.items.length !== 50) throw new Error(`ledger answered ${s.status} / ${page.status}`);
      summary = s.body.data;
      if (run >= 3) ledgerMs.push(took);
    }
    // The same rows' counts by hand on a plain connection: the floor of the summary.
    const sqlLedgerMs: number[] = [];
    for (let run = 0; run < LEDGER_RUNS; run++) {
      const started = process.hrtime.bigint();
      await db.query(
        `SELECT u.department_id, count(*), count(*) FILTER (WHERE r.acknowledged_version >= 1), count(*) FILTER (WHERE r.first_read_at IS NOT NULL)
         FROM announcement_recipients r JOIN users u ON u.id = r.user_id WHERE r.announcement_id = $1 GROUP BY u.department_id`,
        [lastId],
      );
      sqlLedgerMs.push(ms(started));
    }

    for (const socket of sockets) socket.close();
    const publish = median(publishMs);
    const sql = median(sqlMs);
    const ratio = publish / sql;
    const push = percentile(pushMs, 99);
    const ledger = median(ledgerMs);
    console.log(`publish_ms: ${publish.toFixed(1)} (median of ${ROUNDS}: ${publishMs.map((v) => v.toFixed(0)).join(' ')}); hand-written INSERT … SELECT of the same announcement, version and ${USERS} ledger rows, sql_ms: ${sql.toFixed(1)} (${sqlMs.map((v) => v.toFixed(0)).join(' ')}); ratio ${ratio.toFixed(2)}`);
    console.log(`push: ${pushMs.length} arrivals of the publication at ${CONNECTED} sockets (every tenth person), p50 ${percentile(pushMs, 50)} ms, p99 ${push} ms, max ${Math.max(...pushMs)} ms, from sending the request`);
    console.log(`  its notification on each one's stream (written by the fan-out's background jobs, parts of FANOUT_CHUNK_SIZE=500): p50 ${percentile(notifiedMs, 50)} ms, p99 ${percentile(notifiedMs, 99)} ms, max ${Math.max(...notifiedMs)} ms`);
    console.log(`ledger_ms: ${ledger.toFixed(1)} for the summary and the first 50 unacknowledged, in parallel over HTTP (median of ${LEDGER_RUNS}; p90 ${percentile(ledgerMs, 90).toFixed(1)}; the summary alone ${median(summaryMs).toFixed(1)}, the page alone ${median(rowsMs).toFixed(1)}); summary ${JSON.stringify({ total: summary.total, unread: summary.unread, read: summary.read, acknowledged: summary.acknowledged, departments: summary.departments.length, email: summary.channels.email })}; the per-department counts alone by hand: ${median(sqlLedgerMs).toFixed(1)} ms`);
    console.log(`escalation: ${mails.length} e-mails accepted by the SMTP server ${escalationSeconds.toFixed(2)} s after the step fell due (first after ${((Math.min(...mails.map((m) => m.at)) - due) / 1000).toFixed(2)} s), ${escalationPerS.toFixed(0)} e-mails/s; duplicates ${duplicates}`);
    console.log(`targets: ratio ≤ 3 ${ratio <= 3 ? 'met' : 'MISSED'}; push p99 < 500 ms ${push < 500 ? 'met' : 'MISSED'}; ledger < 50 ms ${ledger < 50 ? 'met' : 'MISSED'}; escalation ≥ 333/s ${escalationPerS >= 333 ? 'met' : 'MISSED'}`);
    console.log(`RESULT publish_ms=${publish.toFixed(1)} publish_ratio_to_sql=${ratio.toFixed(2)} push_p99_ms=${push} ledger_ms=${ledger.toFixed(1)} escalation_per_s=${escalationPerS.toFixed(0)}`);
  } finally {
    await server.stop('SIGTERM');
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await db.end();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await embedded?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
