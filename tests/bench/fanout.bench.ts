/**
 * `npm run bench:fanout`: one system message to all 5,000 people of an organisation of 300
 * departments (the notification in the app, and e-mail / SMS planned per each one's preferences
 * and quiet hours), until committed — beside a hand-written INSERT … SELECT writing the same
 * notification and delivery rows on a plain connection, in the same run; the statements the
 * fan-out issued, as PostgreSQL counts them (pg_stat_statements); and the reconnect catch-up
 * (`sync`) of a user following 200 streams with 10 missed events each, over a real socket, beside
 * one hand-written query reading the same events and a bare Socket.IO server sending the same answer.
 * BENCH_ROUNDS=<n> changes the number of measured rounds (median reported).
 */
import pg from 'pg';
import pino from 'pino';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import type { SyncResponse } from '../../shared/realtime.js';
import { defaultPreferences } from '../../shared/notifications.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { loadConfig } from '../../server/config/env.js';
import { CommandRunner } from '../../server/commands/context.js';
import { notify } from '../../server/commands/notifications/notify.js';
import { recipients } from '../../server/commands/notifications/recipients.js';
import { openOrm } from '../../server/db/orm.js';
import { RealtimeEmitter } from '../../server/realtime/emitter.js';
import { startServer } from '../../server/start.js';
import { seedCrowd } from '../support/crowd.js';
import { startCountingCluster } from '../support/statementCounter.js';
import { ApiClient, ok } from '../support/api.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const USERS = 5000;
const DEPARTMENTS = 300;
const STREAMS = 200;
const MISSED = 10;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

/** The same rows as notify() writes (notifications and deliveries, not the stream events), as one would write them by hand. */
const HAND_WRITTEN = `
  WITH n AS (
    INSERT INTO notifications (recipient_id, kind, title, body, link, data, urgent, created_at)
    SELECT u.id, 'system', $1, 'to everyone', '/notifications', NULL, false, $2
    FROM users u WHERE u.active AND u.department_id IN (SELECT id FROM departments WHERE name LIKE 'crowd %') ORDER BY u.id
    RETURNING id, recipient_id
  )
  INSERT INTO deliveries (notification_id, occurrence_id, recipient_id, channel, provider, address, status, last_error, not_before, queued_at, failed_at, updated_at)
  SELECT n.id, NULL, n.recipient_id, c.channel, 'pending', coalesce(c.address, ''),
         CASE WHEN c.address IS NULL THEN 'failed' ELSE 'queued' END, CASE WHEN c.address IS NULL THEN 'The recipient has no mobile number' END,
         CASE WHEN s.quiet_hours IS NULL THEN $2 ELSE quiet_hours_end($2, u.time_zone, s.quiet_hours) END, $2, CASE WHEN c.address IS NULL THEN $2::timestamptz END, $2
  FROM n JOIN users u ON u.id = n.recipient_id LEFT JOIN notification_settings s ON s.user_id = u.id
  CROSS JOIN LATERAL (VALUES ('email', u.email), ('sms', u.mobile)) AS c(channel, address)
  WHERE coalesce((coalesce(s.preferences -> 'system', $3::jsonb) ->> c.channel)::boolean, false)`;

async function main() {
  const cluster = await startCountingCluster();
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  const { rootId } = await seedCrowd(db, { users: USERS, departments: DEPARTMENTS });
  const orm = await openOrm(cluster.databaseUrl, { poolMax: 2 });
  // No job queue: the whole fan-out is written in the caller's transaction, as below FANOUT_CHUNK_SIZE.
  const runner = new CommandRunner({
    emitter: new RealtimeEmitter(),
    boss: () => {
      throw new Error('the bench notifies inline');
    },
    settings: { fanOutChunkSize: USERS },
  });
  const everyone = recipients.departmentSubtrees([rootId]);
  const ours = (title: string) => runner.run(orm.em.fork(), null, (cx) => notify(cx, everyone, { kind: 'system', title, body: 'to everyone', link: '/notifications' }));
  const handWritten = async (title: string) => {
    await db.query('BEGIN');
    await db.query(HAND_WRITTEN, [title, new Date(), JSON.stringify(defaultPreferences.system)]);
    await db.query('COMMIT');
  };
  const rowsOf = async (title: string) =>
    (
      await db.query<{ notifications: string; deliveries: string }>(
        `SELECT (SELECT count(*) FROM notifications WHERE title = $1) AS notifications,
                (SELECT count(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.title = $1) AS deliveries`,
        [title],
      )
    ).rows[0];

  // Warm both (plans, caches), then alternate which goes first.
  await ours('warm-ours');
  await handWritten('warm-sql');
  const fanoutMs: number[] = [];
  const sqlMs: number[] = [];
  let statements = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const runOurs = async () => {
      const { statements: issued, result } = await cluster.count(async () => {
        const started = process.hrtime.bigint();
        const done = await ours(`ours-${round}`);
        fanoutMs.push(ms(started));
        return done;
      });
      statements = issued;
      if (result.recipients !== USERS) throw new Error(`the fan-out reached ${result.recipients} of ${USERS}`);
    };
    const runSql = async () => {
      const started = process.hrtime.bigint();
      await handWritten(`sql-${round}`);
      sqlMs.push(ms(started));
    };
    if (round % 2 === 0) (await runOurs(), await runSql());
    else (await runSql(), await runOurs());
    const [a, b] = [await rowsOf(`ours-${round}`), await rowsOf(`sql-${round}`)];
    if (a.notifications !== b.notifications || a.deliveries !== b.deliveries) throw new Error(`the fan-out wrote other rows than the hand-written SQL: ${JSON.stringify({ ours: a, sql: b })}`);
  }
  const { rows: counted } = await db.query<{ n: string; d: string }>(`SELECT (SELECT count(*) FROM notifications WHERE title = 'ours-0') AS n, (SELECT count(*) FROM deliveries d JOIN notifications x ON x.id = d.notification_id WHERE x.title = 'ours-0') AS d`);
  await orm.close();

  // Catch-up: a server on the same database, a member of 100 conversations who sees 100 customers.
  const config = loadConfig({ NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '3000', LOG_LEVEL: 'silent', ADMIN_EMAIL: 'bench@huitong.test', ADMIN_PASSWORD: 'bench-password', CLIENT_DIST: path.resolve('client/dist') });
  config.port = 0;
  const server = await startServer(config, cluster.databaseUrl, { logger: pino({ level: 'silent' }) });
  const reader = new ApiClient(server.url);
  const admin = new ApiClient(server.url);
  // The crowd already fills the database, so the first administrator is made here.
  await db.query(
    `INSERT INTO users (email, display_name, password_hash, locale, time_zone, department_id, role, active, created_at, updated_at)
     VALUES ('bench@huitong.test', 'Bench', $1, 'en', 'Asia/Shanghai', $2, 'admin', true, now(), now())`,
    [await hashPassword('bench-password'), rootId],
  );
  await admin.login('bench@huitong.test', 'bench-password');
  const member = ok(await admin.post('/api/users', { email: 'reader@huitong.test', displayName: 'Reader', password: 'reader-password', departmentId: rootId }), 201);
  await reader.login('reader@huitong.test', 'reader-password');
  const { rows: conversations } = await db.query<{ id: string }>(
    `INSERT INTO conversations (kind, name, created_by_id, created_at, last_message_at, member_count) SELECT 'group', 'bench ' || i, $1, now(), now(), 1 FROM generate_series(1, $2) i RETURNING id::text AS id`,
    [member.id, STREAMS / 2],
  );
  await db.query(`INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) SELECT unnest($1::bigint[]), $2, 'owner', now()`, [conversations.map((c) => c.id), member.id]);
  const { rows: customers } = await db.query<{ id: string }>(
    `INSERT INTO customers (name, type, tier, tier_rank, address, notes, created_by_id, created_at, updated_at) SELECT 'bench customer ' || i, 'end_customer', 'gold', 2, '', '', $1, now(), now() FROM generate_series(1, $2) i RETURNING id::text AS id`,
    [member.id, STREAMS / 2],
  );
  const streams = [...conversations.map((c) => `conversation:${c.id}`), ...customers.map((c) => `customer:${c.id}`)];
  // Ten missed events per stream, of the size the product writes (a short message, a feed item).
  await db.query(
    `INSERT INTO stream_events (stream, seq, type, payload, created_at)
     SELECT s, n, CASE WHEN s LIKE 'conversation:%' THEN 'message.created' ELSE 'feed.item' END,
            jsonb_build_object(CASE WHEN s LIKE 'conversation:%' THEN 'message' ELSE 'item' END, jsonb_build_object(
              'id', (1000000 + n)::text, 'text', repeat('消息内容 ', 12), 'author', jsonb_build_object('id', $2::text, 'displayName', 'Reader', 'email', 'reader@huitong.test'),
              'body', jsonb_build_object('root', jsonb_build_object('type', 'root', 'children', jsonb_build_array(jsonb_build_object('type', 'paragraph', 'children', jsonb_build_array(jsonb_build_object('type', 'text', 'text', repeat('消息内容 ', 12))))))),
              'createdAt', now())), now()
     FROM unnest($1::text[]) s, generate_series(1, $3) n`,
    [streams, member.id, MISSED],
  );
  await db.query(`INSERT INTO stream_heads (stream, last_seq) SELECT unnest($1::text[]), $2`, [streams, MISSED]);

  const socket = io(server.url, { transports: ['websocket'], auth: { token: reader.token }, forceNew: true });
  await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
  const catchUp = async () => {
    const positions: Record<string, number> = Object.fromEntries(streams.map((s) => [s, 0]));
    let received = 0;
    for (let asked = streams; asked.length; ) {
      const ack = (await socket.timeout(10_000).emitWithAck('sync', { streams: Object.fromEntries(asked.map((s) => [s, positions[s]])) })) as { ok: boolean; data: SyncResponse };
      if (!ack.ok || ack.data.refused.length) throw new Error(`sync refused: ${JSON.stringify(ack)}`);
      for (const event of ack.data.events) positions[event.stream] = event.seq;
      received += ack.data.events.length;
      asked = ack.data.more;
    }
    return received;
  };
  const syncMs: number[] = [];
  const answer = await socket.timeout(10_000).emitWithAck('sync', { streams: Object.fromEntries(streams.map((s) => [s, 0])) });
  const answerBytes = JSON.stringify(answer).length;
  for (let round = 0; round < ROUNDS + 2; round++) {
    const started = process.hrtime.bigint();
    const received = await catchUp();
    syncMs.push(ms(started));
    if (received !== STREAMS * MISSED) throw new Error(`the catch-up got ${received} events of ${STREAMS * MISSED}`);
  }
  const sqlSyncMs: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    const started = process.hrtime.bigint();
    const { rows } = await db.query(`SELECT stream, seq, type, payload, created_at FROM stream_events WHERE stream = ANY($1::text[]) AND seq > 0 ORDER BY stream, seq`, [streams]);
    sqlSyncMs.push(ms(started));
    if (rows.length !== STREAMS * MISSED) throw new Error('the hand-written query read other events');
  }
  socket.close();

  // The transport alone: a bare Socket.IO server answering the same sync with the answer held in memory.
  const bare = new Server(http.createServer());
  bare.on('connection', (client) => client.on('sync', (_request: unknown, ack: (answer: unknown) => void) => ack(answer)));
  const bareHttp = bare.httpServer;
  await new Promise<void>((resolve) => bareHttp.listen(0, '127.0.0.1', () => resolve()));
  const bareSocket = io(`http://127.0.0.1:${(bareHttp.address() as AddressInfo).port}`, { transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve) => bareSocket.once('connect', () => resolve()));
  const bareMs: number[] = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    const started = process.hrtime.bigint();
    await bareSocket.timeout(10_000).emitWithAck('sync', { streams: {} });
    bareMs.push(ms(started));
  }
  bareSocket.close();
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  await server.close();
  await db.end();
  await cluster.stop();

  const fanout = median(fanoutMs);
  const sql = median(sqlMs);
  const ratio = fanout / sql;
  const sync = median(syncMs);
  console.log(`fan-out to ${USERS} people in ${DEPARTMENTS} departments: ${counted[0].n} notifications, ${counted[0].d} e-mail / SMS deliveries planned, ${USERS} stream events`);
  console.log(`fanout_ms: ${fanout.toFixed(1)} (median of ${ROUNDS}: ${fanoutMs.map((v) => v.toFixed(0)).join(' ')}); hand-written INSERT … SELECT of the same notifications and deliveries, sql_ms: ${sql.toFixed(1)} (${sqlMs.map((v) => v.toFixed(0)).join(' ')}); ratio ${ratio.toFixed(2)}`);
  console.log(`statements the fan-out issued (pg_stat_statements, BEGIN and COMMIT included): ${statements}`);
  console.log(`sync_ms: ${sync.toFixed(1)} for ${STREAMS} streams × ${MISSED} missed events (${(answerBytes / 1024).toFixed(0)} KiB of JSON) over a socket (median of ${syncMs.length}: ${syncMs.map((v) => v.toFixed(0)).join(' ')}); one hand-written query for the same events: ${median(sqlSyncMs).toFixed(1)} ms; the same answer from a bare Socket.IO server's memory: ${median(bareMs).toFixed(1)} ms`);
  console.log(`targets: ratio ≤ 3 ${ratio <= 3 ? 'met' : 'MISSED'}; ≤ 20 statements ${statements <= 20 ? 'met' : 'MISSED'}; sync < 50 ms ${sync < 50 ? 'met' : 'MISSED'}`);
  console.log(`RESULT fanout_ms=${fanout.toFixed(1)} fanout_ratio_to_sql=${ratio.toFixed(2)} statements=${statements} sync_ms=${sync.toFixed(1)}`);
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
