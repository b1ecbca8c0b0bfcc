/**
 * PostgreSQL stopped and started again under two running server processes (one Socket.IO cluster
 * through REALTIME_ADAPTER=postgres), which are not restarted: while it is down /readyz says 503
 * and requests and sends fail with the retryable `unavailable`; within seconds of its return
 * everything works again — HTTP, sockets, pushes across the cluster and the reminder jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createUsers, textBody } from '../../support/chat.js';
import { emitWithAck } from '../../support/sockets.js';
import { ChatDevice } from '../../support/chatClient.js';
import { freePort } from '../../support/globalSetup.js';
import { fastJobsEnv, localIn } from '../../support/timing.js';
import { waitFor } from '../../support/wait.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../../server/db/embedded.js';

let dataDir: string;
let pgPort: number;
let db: EmbeddedDatabase;
let one: TestServer;
let two: TestServer;
let users: { user: any; api: ApiClient }[];
const devices: ChatDevice[] = [];

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-outage-'));
  pgPort = await freePort();
  db = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'outage' });
  const env = { ...fastJobsEnv, REALTIME_ADAPTER: 'postgres', SOCKET_EVENTS_PER_SECOND: '1000' };
  one = await startTestServer(env, { databaseUrl: db.url });
  two = await startTestServer(env, { databaseUrl: db.url });
  await waitFor(async () => (await one.io.of('/').adapter.serverCount()) === 2, { what: 'the two nodes to see each other' });
  users = await createUsers(await one.admin(), 2);
}, 120_000);
afterAll(async () => {
  devices.forEach((d) => d.close());
  await Promise.all([one?.close(), two?.close()]);
  await db?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const readyz = async (server: TestServer) => (await fetch(`${server.url}/readyz`)).status;

describe('PostgreSQL goes away and comes back', () => {
  it('the servers answer 503 unavailable meanwhile and recover by themselves, with nothing restarted', { timeout: 120_000 }, async () => {
    const [a, b] = users;
    const group = ok(await a.api.post('/api/conversations', { name: 'outage', memberIds: [b.user.id] }), 201);
    // Both behave as the web client: they reconnect by themselves and sync on every connect.
    const sender = new ChatDevice(one.url, a.api.token!, a.user.id, [{ id: group.id, seq: group.seq }]);
    const receiver = new ChatDevice(two.url, b.api.token!, b.user.id, [{ id: group.id, seq: group.seq }]);
    devices.push(sender, receiver);
    await Promise.all([sender.connect(), receiver.connect()]);
    const send = async (clientId: string, text: string) => {
      await waitFor(() => sender.socket.connected, { timeoutMs: 15_000, what: 'the sender to be connected' });
      return emitWithAck(sender.socket as never, 'message:send', { conversationId: group.id, clientId, body: textBody(text) }, 15_000);
    };
    expect((await send('before-the-outage', 'before')).ok).toBe(true);
    await waitFor(() => receiver.texts(group.id).includes('before'), { what: 'the message sent before the outage to arrive live' });

    await db.stop();
    await waitFor(async () => (await readyz(one)) === 503 && (await readyz(two)) === 503, { timeoutMs: 15_000, what: '/readyz to say 503' });
    const down = await a.api.get('/api/me');
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('unavailable');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await send('during-the-outage', 'during')).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    db = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'outage' });
    const back = Date.now();
    // Sent as soon as the database takes it, before the processes hear each other again: the
    // receiver's process misses the push and must still get the message.
    await waitFor(async () => (await send('during-the-outage', 'during')).ok, { timeoutMs: 15_000, intervalMs: 100, what: 'the retried send to be stored' });
    await waitFor(async () => (await readyz(one)) === 200 && (await readyz(two)) === 200, { timeoutMs: 15_000, intervalMs: 100, what: '/readyz to say 200 again' });
    expect(Date.now() - back).toBeLessThan(15_000);
    await waitFor(() => receiver.texts(group.id).includes('during'), { timeoutMs: 15_000, what: 'the receiver to get the message sent while its process was reconnecting' });

    // Everything works again: HTTP, a push across the cluster, and the reminder jobs.
    ok(await a.api.get('/api/me'));
    expect((await send('after-the-outage', 'after')).ok).toBe(true);
    await waitFor(() => receiver.texts(group.id).includes('after'), { what: 'a message sent after the outage to arrive live' });
    expect(receiver.texts(group.id)).toEqual(['before', 'during', 'after']);
    const reminder = ok(await a.api.post('/api/reminders', { title: 'after the outage', dtstart: localIn('Asia/Shanghai', 2000), timeZone: 'Asia/Shanghai', channels: ['email'] }), 201);
    await waitFor(
      async () => {
        const [row] = await one.orm.em.fork().execute<{ n: string }[]>(`SELECT count(*) AS n FROM deliveries WHERE recipient_id = ? AND status = 'logged'`, [a.user.id]);
        return Number(row.n) > 0;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: `the reminder ${reminder.id} to be fired and its e-mail logged` },
    );
  });
});
