/**
 * `npm run bench:reminders`: 10,000 reminders due within one minute, each delivered by e-mail
 * to a local SMTP sink and by SMS to the Twilio stand-in, by a Huitong server running as its own
 * process (server/main.ts) on a PostgreSQL started here. Baseline in the same run: pg-boss
 * working the same number of no-op jobs with the same due times.
 * BENCH_REMINDERS=<n> changes the count, BENCH_SPREAD=instant makes them all due at one second,
 * BENCH_PROFILE=<dir> writes a CPU profile of the server process there.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { SMTPServer } from 'smtp-server';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { applyMigrations, openOrm } from '../../server/db/orm.js';
import { OCCURRENCE_QUEUE } from '../../server/jobs/queue.js';
import { startServerProcess } from '../support/process.js';
import { freePort } from '../support/globalSetup.js';
import { TWILIO, TwilioStandIn } from '../support/twilioStandIn.js';

const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 10_000);
const USERS = 100;
const WINDOW_MS = 60_000;
// `minute`: due times spread over one minute (167 a second); `instant`: all due at the same second.
const SPREAD = process.env.BENCH_SPREAD === 'instant' ? 'instant' : 'minute';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const localShanghai = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
const dueOf = (start: number, i: number) => (SPREAD === 'instant' ? start : start + Math.floor((i * WINDOW_MS) / REMINDERS / 1000) * 1000);

async function waitUntil(probe: () => boolean, deadline: number, what: string) {
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-bench-pg-'));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'huitong_bench' });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const orm = await openOrm(databaseUrl);
  await applyMigrations(orm);
  await orm.close();

  // The SMTP sink only reads the subject of each message: the bench measures Huitong, not a parser.
  const mails = new Map<string, number[]>();
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
        const title = /^Subject: \[Huitong\] (\S+)/m.exec(head)?.[1] ?? '?';
        (mails.get(title) ?? mails.set(title, []).get(title)!).push(Date.now());
        callback();
      });
    },
  });
  const smtpPort = await freePort();
  await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', () => resolve()));
  const twilio = await new TwilioStandIn().start();

  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_POOL_SIZE: '10',
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_FROM: TWILIO.from,
    TWILIO_API_BASE_URL: twilio.url,
    DELIVERY_BATCH_SIZE: '50',
    JOB_POLL_MS: '500',
    ADMIN_PASSWORD: 'bench-password',
  }, { nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [] });

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const boss = new PgBoss({ connectionString: databaseUrl, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
  await boss.start();

  // 100 staff with e-mail and mobile, 100 one-time reminders each, e-mail and SMS.
  const { rows: [root] } = await db.query(`SELECT id FROM departments WHERE parent_id IS NULL ORDER BY id LIMIT 1`);
  const { rows: users } = await db.query(
    `INSERT INTO users (email, display_name, password_hash, locale, time_zone, mobile, department_id, role, active, created_at, updated_at)
     SELECT 'bench' || i || '@huitong.test', 'Bench ' || i, 'x', 'en', 'Asia/Shanghai', '+86139' || lpad(i::text, 8, '0'), $1, 'member', true, now(), now()
     FROM generate_series(1, $2) i RETURNING id`,
    [root.id, USERS],
  );
  const windowStart = Math.ceil((Date.now() + 8000) / 1000) * 1000;
  const titles: string[] = [];
  const dueByTitle = new Map<string, number>();
  const createdAt = Date.now();
  for (let chunk = 0; chunk < REMINDERS; chunk += 1000) {
    const ids = [], title = [], dtstart = [], due = [];
    for (let i = chunk; i < Math.min(REMINDERS, chunk + 1000); i++) {
      const at = dueOf(windowStart, i);
      ids.push(users[i % USERS].id);
      title.push(`bench-${i}`);
      dtstart.push(localShanghai(at));
      due.push(new Date(at).toISOString());
      titles.push(`bench-${i}`);
      dueByTitle.set(`bench-${i}`, at);
    }
    const { rows: occurrences } = await db.query(
      `WITH r AS (
         INSERT INTO reminders (owner_id, title, note_text, recipients, channels, rrule, dtstart, time_zone, exdates, urgent, status, next_due_at, created_at, updated_at)
         SELECT o, t, '', '{"self":true,"userIds":[],"departmentIds":[]}', '["email","sms"]', NULL, d, 'Asia/Shanghai', '[]', false, 'active', due, now(), now()
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::timestamptz[]) AS x(o, t, d, due)
         RETURNING id, next_due_at)
       INSERT INTO reminder_occurrences (reminder_id, due_at, created_at) SELECT id, next_due_at, now() FROM r RETURNING id::text AS id, due_at`,
      [ids, title, dtstart, due],
    );
    await boss.insert(occurrences.map((o) => ({ name: OCCURRENCE_QUEUE, data: { occurrenceId: o.id }, startAfter: new Date(o.due_at).toISOString() })));
  }
  console.log(`${REMINDERS} reminders for ${USERS} users scheduled in ${Date.now() - createdAt} ms; due ${SPREAD === 'minute' ? 'spread over the 60 s' : 'all at the same second'} from ${new Date(windowStart).toISOString()}`);

  const deadline = windowStart + WINDOW_MS + 120_000;
  await waitUntil(() => mails.size >= REMINDERS && twilio.requests.filter((r) => r.status === 201).length >= REMINDERS, deadline, 'every e-mail and SMS');
  const lateness: number[] = [];
  // Lateness by 10-second slice of the due times, to tell a slow start from a stall in the middle.
  const slices = new Map<number, number[]>();
  const record = (due: number, at: number) => {
    lateness.push(at - due);
    last = Math.max(last, at);
    const slice = Math.floor((due - windowStart) / 10_000);
    (slices.get(slice) ?? slices.set(slice, []).get(slice)!).push(at - due);
  };
  let last = 0;
  let duplicates = 0;
  for (const t of titles) {
    const due = dueByTitle.get(t)!;
    const received = mails.get(t) ?? [];
    duplicates += Math.max(0, received.length - 1);
    for (const at of received.slice(0, 1)) record(due, at);
  }
  const smsByTitle = new Map<string, number>();
  for (const r of twilio.requests) {
    if (r.status !== 201) continue;
    const t = /\] (bench-\d+)/.exec(r.body)![1];
    if (smsByTitle.has(t)) duplicates++;
    else smsByTitle.set(t, r.at);
  }
  for (const [t, at] of smsByTitle) record(dueByTitle.get(t)!, at);
  const deliveries = lateness.length;
  const firstDue = Math.min(...dueByTitle.values());
  const lastDue = Math.max(...dueByTitle.values());
  const timeToLast = last - windowStart;
  const { rows: [logged] } = await db.query(`SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*)::int AS total FROM deliveries`);
  await server.stop('SIGTERM');

  // Baseline: the same due times, pg-boss no-op jobs, the same batch size and polling.
  await boss.createQueue('bench-noop');
  const done: number[] = [];
  const baseStart = Math.ceil((Date.now() + 3000) / 1000) * 1000;
  const jobs = Array.from({ length: REMINDERS }, (_, i) => ({ name: 'bench-noop', data: { due: dueOf(baseStart, i) }, startAfter: new Date(dueOf(baseStart, i)).toISOString() }));
  for (let i = 0; i < jobs.length; i += 1000) await boss.insert(jobs.slice(i, i + 1000));
  const baseLateness: number[] = [];
  for (let w = 0; w < 2; w++) {
    await boss.work<{ due: number }>('bench-noop', { batchSize: 100, pollingIntervalSeconds: 0.5 }, async (batch) => {
      const now = Date.now();
      for (const job of batch) (done.push(now), baseLateness.push(now - job.data.due));
    });
  }
  await waitUntil(() => done.length >= REMINDERS, baseStart + WINDOW_MS + 120_000, 'the baseline jobs');
  const baseTimeToLast = Math.max(...done) - baseStart;
  await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  await db.end();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await twilio.stop();
  await embedded?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });

  const perSecond = deliveries / (Math.max(timeToLast, 1) / 1000);
  const p99 = percentile(lateness, 99);
  const ratio = timeToLast / Math.max(baseTimeToLast, 1);
  console.log(`reminders: ${REMINDERS} due ${new Date(firstDue).toISOString()} .. ${new Date(lastDue).toISOString()}; deliveries received ${deliveries} (e-mail ${mails.size}, SMS ${smsByTitle.size}), duplicates ${duplicates}; delivery log: ${logged.sent}/${logged.total} sent`);
  console.log(`time to last delivery: ${(timeToLast / 1000).toFixed(2)} s after the first due time (${((last - lastDue) / 1000).toFixed(2)} s after the last)`);
  console.log(`deliveries/s: ${perSecond.toFixed(1)}; lateness p50 ${percentile(lateness, 50)} ms, p99 ${p99} ms, max ${Math.max(...lateness)} ms`);
  console.log(`p99 lateness by 10 s of due time: ${[...slices.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k * 10}s:${percentile(v, 99)}ms`).join(' ')}`);
  console.log(`baseline pg-boss no-op: ${REMINDERS} jobs, time to last ${(baseTimeToLast / 1000).toFixed(2)} s, lateness p50 ${percentile(baseLateness, 50)} ms, p99 ${percentile(baseLateness, 99)} ms`);
  console.log(`target: all within 30 s of the due minute: ${last - lastDue <= 30_000 ? 'met' : 'MISSED'}; p99 lateness < 5 s: ${p99 < 5000 ? 'met' : 'MISSED'}; duplicates: ${duplicates === 0 ? 'none' : duplicates}`);
  console.log(`RESULT deliveries_per_s=${perSecond.toFixed(1)} p99_lateness_ms=${p99} ratio_to_bare_queue=${ratio.toFixed(3)}`);
  process.exit(duplicates === 0 && deliveries === 2 * REMINDERS ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
