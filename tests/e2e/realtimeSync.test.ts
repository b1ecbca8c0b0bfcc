/**
 * The client's realtime module (client/src/realtime) against a real server, run in Node:
 * backlog replay, exactly-once delivery across a dropped connection, and gap detection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEventEnvelope, SyncRequest, SyncResponse } from '../../shared/realtime.js';
import { RealtimeClient, type ConnectionState } from '../../client/src/realtime/connection.js';
import { StreamSync } from '../../client/src/realtime/streamSync.js';
import { memoryStorage, StreamCursors } from '../../client/src/realtime/cursors.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ApiClient, ok } from '../support/api.js';
import { sendText } from '../support/chat.js';
import { createUser, rootDepartment } from '../support/factories.js';
import { connectSocket, emitWithAck, waitForEvent } from '../support/sockets.js';

let server: TestServer;
let admin: ApiClient;
beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
});
afterAll(() => server?.close());

/** Resolves once `check` passes, re-checking on a short interval (the client works asynchronously). */
async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  await expect.poll(check, { timeout: timeoutMs, interval: 20, message: what }).toBe(true);
}

async function newUser() {
  const { user, api } = await createUser(admin, (await rootDepartment(admin)).id);
  const notify = async (title: string) => ok(await admin.post('/api/notifications/system', { recipientIds: [user.id], title }), 201);
  return { user, token: api.token!, notify, stream: `user:${user.id}` as const };
}

describe('RealtimeClient against the server', () => {
  it('replays the backlog on connect, then live events, each exactly once and in order, also across a dropped connection', async () => {
    const { user, token, notify, stream } = await newUser();
    for (const title of ['a', 'b', 'c']) await notify(title);
    const client = new RealtimeClient({ userId: user.id, url: server.url, token, storage: memoryStorage(), socketOptions: { transports: ['websocket'] } });
    const states: ConnectionState[] = [];
    client.onStateChange((s) => states.push(s));
    const seen: StreamEventEnvelope[] = [];
    client.follow(stream, (e) => seen.push(e));
    client.connect();
    try {
      await until(() => seen.length === 3, 'backlog of 3 replayed');
      expect(seen.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(client.getState()).toBe('online');

      await notify('d');
      await until(() => seen.length === 4, 'live event');

      // Drop the transport; a notification sent meanwhile arrives live or by the resync, but once.
      (client as unknown as { socket: { io: { engine: { close: () => void } } } }).socket.io.engine.close();
      await notify('e');
      await until(() => states.includes('reconnecting') && client.getState() === 'online' && seen.length === 5, 'reconnected and caught up');
      await notify('f');
      await until(() => seen.length === 6, 'live after reconnect');
      expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(seen.map((e) => (e.data as { notification: { title: string } }).notification.title)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    } finally {
      client.close();
    }
    expect(client.getState()).toBe('offline');
  });

  it('reports the session as ended when the server signs the user out', async () => {
    const { user, token } = await newUser();
    const ended: string[] = [];
    const client = new RealtimeClient({ userId: user.id, url: server.url, token, storage: memoryStorage(), onSessionEnded: (r) => ended.push(r), socketOptions: { transports: ['websocket'] } });
    client.connect();
    await until(() => client.getState() === 'online', 'online');
    ok(await admin.post(`/api/users/${user.id}/password`, { password: 'another-password-1' }), 204);
    await until(() => ended.length === 1, 'session ended');
    expect(ended).toEqual(['password_changed']);
    expect(client.getState()).toBe('offline');
  });

  it('reports a stream whose access ended as refused, at once', async () => {
    const owner = await newUser();
    const member = await newUser();
    const ownerApi = new ApiClient(server.url);
    ownerApi.token = owner.token;
    const group = ok(await ownerApi.post('/api/conversations', { name: 'revoked', memberIds: [member.user.id] }), 201);
    const refused: string[] = [];
    const client = new RealtimeClient({ userId: member.user.id, url: server.url, token: member.token, storage: memoryStorage(), onStreamRefused: (s) => refused.push(s), socketOptions: { transports: ['websocket'] } });
    const seen: StreamEventEnvelope[] = [];
    client.follow(`conversation:${group.id}`, (e) => seen.push(e), { fromSeq: group.seq });
    client.connect();
    try {
      await sendText(ownerApi, group.id, 'before');
      await until(() => seen.some((e) => e.type === 'message.created'), 'a live message');
      expect((await ownerApi.delete(`/api/conversations/${group.id}/members/${member.user.id}`)).status).toBe(204);
      await until(() => refused.length === 1, 'the stream reported refused');
      expect(refused).toEqual([`conversation:${group.id}`]);
    } finally {
      client.close();
    }
  });
});

describe('StreamSync', () => {
  it('fills a gap in live events with a sync for that stream and drops duplicates', async () => {
    const { token, notify, stream } = await newUser();
    const socket = await connectSocket(server.url, { token });
    const requests: SyncRequest[] = [];
    const sync = new StreamSync(new StreamCursors(), {
      connected: () => socket.connected,
      sync: async (request) => {
        requests.push(request);
        const ack = await emitWithAck<SyncResponse>(socket, 'sync', request);
        if (!ack.ok) throw new Error(ack.error.message);
        return ack.data;
      },
    });
    const applied: number[] = [];
    try {
      sync.follow(stream, (e) => applied.push(e.seq));
      await until(() => requests.length === 1, 'initial sync');
      await notify('one');
      await notify('two');
      const first = await waitForEvent(socket, (e) => e.seq === 1);
      const second = await waitForEvent(socket, (e) => e.seq === 2);

      // Seq 1 was "lost": seq 2 alone reveals the gap and a sync from cursor 0 fetches both.
      sync.receive(second);
      await until(() => applied.length === 2, 'gap filled');
      expect(requests.at(-1)).toEqual({ streams: { [stream]: 0 } });
      expect(applied).toEqual([1, 2]);

      // Late copies (a live event that the sync already delivered) are ignored.
      sync.receive(first);
      sync.receive(second);
      await notify('three');
      sync.receive(await waitForEvent(socket, (e) => e.seq === 3));
      expect(applied).toEqual([1, 2, 3]);
      expect(sync.cursors.get(stream)).toBe(3);
      expect(requests).toHaveLength(2);
    } finally {
      socket.close();
    }
  });

  it('keeps asking while the server reports more, and retries a failed sync', async () => {
    const envelope = (seq: number): StreamEventEnvelope => ({ stream: 'user:9', seq, type: 'notification.read', data: {}, at: new Date().toISOString() }) as unknown as StreamEventEnvelope;
    let calls = 0;
    const answers: (() => SyncResponse)[] = [
      () => {
        throw new Error('socket timeout');
      },
      () => ({ events: [envelope(1), envelope(2)], more: ['user:9'], refused: [] }),
      () => ({ events: [envelope(2), envelope(3)], more: [], refused: [] }),
    ];
    const seen: number[] = [];
    const sync = new StreamSync(new StreamCursors(), { connected: () => true, sync: async () => answers[calls++]() }, { retryDelayMs: 10 });
    sync.follow('user:9', (e) => seen.push(e.seq));
    await until(() => seen.length === 3, 'all pages applied after a retry');
    expect(seen).toEqual([1, 2, 3]);
    expect(calls).toBe(3);
  });

  it('remembers cursors in storage so a reloaded page asks only for what is new', () => {
    const storage = memoryStorage();
    const before = new StreamCursors(storage, 'k');
    before.set('user:1', 41);
    before.set('conversation:2', 7);
    const after = new StreamCursors(storage, 'k');
    expect(after.get('user:1')).toBe(41);
    expect(after.get('conversation:2')).toBe(7);
    expect(after.get('customer:3')).toBe(0);
    storage.setItem('k', 'not json');
    expect(new StreamCursors(storage, 'k').get('user:1')).toBe(0);
  });
});
