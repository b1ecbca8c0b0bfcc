import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { ChatDevice } from '../../support/chatClient.js';
import { createUsers, textBody } from '../../support/chat.js';
import { createTestDatabase } from '../../support/database.js';
import { startServerProcess } from '../../support/process.js';
import { waitFor } from '../../support/wait.js';
import { freePort } from '../../support/globalSetup.js';
import { ADMIN } from '../../support/server.js';
import { startEmbeddedPostgres } from '../../../server/db/embedded.js';

/** Every device holds every message exactly once, and all devices agree on one order that keeps each sender's order. */
function expectExactlyOnceInOrder(devices: ChatDevice[], conversationId: string, expected: Map<string, string[]>) {
  const total = [...expected.values()].reduce((n, list) => n + list.length, 0);
  const reference = devices[0].texts(conversationId).filter((t) => t.startsWith('m:'));
  expect(reference).toHaveLength(total);
  expect(new Set(reference).size).toBe(total);
  for (const device of devices) expect(device.texts(conversationId).filter((t) => t.startsWith('m:'))).toEqual(reference);
  for (const [sender, texts] of expected) expect(reference.filter((t) => t.startsWith(`m:${sender}:`))).toEqual(texts);
}

async function trafficWithChaos(devices: ChatDevice[], conversationId: string, perSender: number, chaos: (round: number) => Promise<void> | void) {
  const expected = new Map<string, string[]>();
  const senders = devices.map(async (device, d) => {
    const texts: string[] = [];
    expected.set(String(d), texts);
    for (let i = 0; i < perSender; i++) {
      const text = `m:${d}:${i}`;
      await device.send(conversationId, text);
      texts.push(text);
      await chaos(d * perSender + i);
    }
  });
  await Promise.all(senders);
  return expected;
}

async function waitUntilAllDelivered(devices: ChatDevice[], conversationId: string, total: number) {
  await waitFor(
    async () => {
      await Promise.all(devices.map((d) => d.sync()));
      return devices.every((d) => d.texts(conversationId).filter((t) => t.startsWith('m:')).length >= total);
    },
    { timeoutMs: 30_000, intervalMs: 100, what: 'every device to hold every message' },
  );
}

describe('catch-up after disconnects', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SOCKET_EVENTS_PER_SECOND: '1000' });
  });
  afterAll(() => server?.close());

  it('clients dropped and reconnected at random get every message exactly once, in order', { timeout: 60_000 }, async () => {
    const users = await createUsers(await server.admin(), 6);
    const group = ok(await users[0].api.post('/api/conversations', { name: 'chaos', memberIds: users.slice(1).map((x) => x.user.id) }), 201);
    const devices = users.map((x) => new ChatDevice(server.url, x.api.token!, x.user.id, [{ id: group.id, seq: group.seq }]));
    const listeners = users.slice(0, 3).map((x) => new ChatDevice(server.url, x.api.token!, x.user.id, [{ id: group.id, seq: group.seq }]));
    const all = [...devices, ...listeners];
    await Promise.all(all.map((d) => d.connect()));
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const expected = await trafficWithChaos(devices, group.id, 15, () => {
      // Drop the transport as a network failure would; socket.io-client reconnects by itself. Only an
      // open one: a transport closed while still opening leaves the client waiting for its 20 s
      // connect timeout, which is not the failure under test.
      if (random() < 0.15) {
        const victim = all[Math.floor(random() * all.length)];
        if (victim.socket.connected) victim.socket.io.engine?.close();
      }
    });
    await waitUntilAllDelivered(all, group.id, 90);
    expectExactlyOnceInOrder(all, group.id, expected);
    all.forEach((d) => d.close());
  });
});

describe('catch-up across a killed server process', () => {
  it('SIGKILL mid-traffic and a restart lose and duplicate nothing', async () => {
    const databaseUrl = await createTestDatabase();
    const port = String(await freePort());
    const env = { DATABASE_URL: databaseUrl, PORT: port, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SOCKET_EVENTS_PER_SECOND: '1000', CLIENT_DIST: '/nonexistent' };
    let proc = await startServerProcess(env);
    const url = `http://127.0.0.1:${port}`;
    const admin = new ApiClient(url);
    await admin.login(ADMIN.email, ADMIN.password);
    const users = await createUsers(admin, 4);
    const group = ok(await users[0].api.post('/api/conversations', { name: 'kill', memberIds: users.slice(1).map((x) => x.user.id) }), 201);
    const devices = users.map((x) => new ChatDevice(url, x.api.token!, x.user.id, [{ id: group.id, seq: group.seq }]));
    await Promise.all(devices.map((d) => d.connect()));
    let killed = false;
    const expected = await trafficWithChaos(devices, group.id, 12, async (round) => {
      if (round === 10 && !killed) {
        killed = true;
        await proc.stop('SIGKILL');
        proc = await startServerProcess(env);
      }
    });
    expect(killed).toBe(true);
    await waitUntilAllDelivered(devices, group.id, 48);
    expectExactlyOnceInOrder(devices, group.id, expected);
    devices.forEach((d) => d.close());
    const code = await proc.stop('SIGTERM');
    expect(code, proc.output()).toBe(0);
  }, 120_000);
});

describe('catch-up across a PostgreSQL outage', () => {
  it('sends fail with a retryable code while the database is down, nothing crashes, everything arrives once', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-outage-'));
    const pgPort = await freePort();
    let db = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'outage' });
    const server = await startTestServer({ SOCKET_EVENTS_PER_SECOND: '1000' }, { databaseUrl: db.url });
    try {
      const users = await createUsers(await server.admin(), 3);
      const group = ok(await users[0].api.post('/api/conversations', { name: 'outage', memberIds: users.slice(1).map((x) => x.user.id) }), 201);
      const devices = users.map((x) => new ChatDevice(server.url, x.api.token!, x.user.id, [{ id: group.id, seq: group.seq }]));
      await Promise.all(devices.map((d) => d.connect()));
      const codes: string[] = [];
      const probe = async () => {
        const ack = (await devices[0].socket.timeout(5000).emitWithAck('message:send', { conversationId: group.id, clientId: 'probe-outage-1', body: textBody('while the database is down') })) as any;
        if (!ack.ok) codes.push(ack.error.code);
      };
      let stopped = false;
      const expected = await trafficWithChaos(devices, group.id, 10, async (round) => {
        if (round === 5 && !stopped) {
          stopped = true;
          await db.stop();
          await probe();
          // Down for a few seconds while the senders keep retrying.
          setTimeout(async () => {
            db = await startEmbeddedPostgres({ dataDir, port: pgPort, database: 'outage' });
          }, 2500);
        }
      });
      expect(codes).toEqual(['unavailable']);
      await waitUntilAllDelivered(devices, group.id, 30);
      expectExactlyOnceInOrder(devices, group.id, expected);
      devices.forEach((d) => d.close());
    } finally {
      await server.close();
      await db.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
