/**
 * Several server processes on one database (REALTIME_ADAPTER=postgres): two servers, each with its
 * own pool and Socket.IO node, form one cluster through PostgreSQL. What one does to sockets —
 * pushing an event, closing a deactivated user's devices, asking who is online — reaches the
 * sockets connected to the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { connectSocket, emitWithAck, nextServerEvent, waitForDisconnect, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { createUsers, sendText } from '../../support/chat.js';
import { createTestDatabase } from '../../support/database.js';
import { waitFor } from '../../support/wait.js';

let one: TestServer;
let two: TestServer;
let u: { user: any; api: ApiClient }[];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  one = await startTestServer({ REALTIME_ADAPTER: 'postgres' }, { databaseUrl });
  two = await startTestServer({ REALTIME_ADAPTER: 'postgres' }, { databaseUrl });
  // The nodes find each other through heartbeats over NOTIFY.
  await waitFor(async () => (await one.io.of('/').adapter.serverCount()) === 2 && (await two.io.of('/').adapter.serverCount()) === 2, { what: 'the two nodes to see each other' });
  u = await createUsers(await one.admin(), 4);
}, 60_000);
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await Promise.all([one?.close(), two?.close()]);
});

async function connectTo(server: TestServer, token: string) {
  const socket = await connectSocket(server.url, { token });
  sockets.push(socket);
  return socket;
}

describe('two server processes on one database', () => {
  it('a message sent through one process reaches members connected to the other, live', async () => {
    const group = ok(await u[0].api.post('/api/conversations', { name: '跨进程', memberIds: [u[1].user.id] }), 201);
    const member = await connectTo(two, u[1].api.token!);
    expect((await emitWithAck(member, 'sync', { streams: { [`conversation:${group.id}`]: group.seq } })).ok).toBe(true);
    const sent = await sendText(u[0].api, group.id, '从一号进程发出');
    const event = await waitForEvent(member, (e) => e.type === 'message.created' && (e.data as any).message.id === sent.id);
    expect(event.stream).toBe(`conversation:${group.id}`);
  });

  it('deactivating a user in one process closes their devices connected to the other', async () => {
    const device = await connectTo(two, u[2].api.token!);
    const ended = nextServerEvent(device, 'session:ended');
    const disconnected = waitForDisconnect(device, 5000);
    ok(await (await one.admin()).patch(`/api/users/${u[2].user.id}`, { active: false }));
    expect(await disconnected).toBe('io server disconnect');
    expect(await ended).toEqual({ reason: 'deactivated' });
  });

  it('someone connected to the other process counts as online: a direct message makes no offline notice', async () => {
    await connectTo(two, u[3].api.token!);
    const direct = ok(await u[0].api.post('/api/conversations/direct', { userId: u[3].user.id }));
    await sendText(u[0].api, direct.id, '你在线');
    const notices = (ok(await u[3].api.get('/api/notifications')).items as any[]).filter((n) => n.kind === 'direct_message');
    expect(notices).toEqual([]);
  });
});
