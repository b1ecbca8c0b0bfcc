import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { createUser, PASSWORD, rootDepartment } from '../../support/factories.js';
import { connectError, connectSocket, emitWithAck, nextServerEvent, waitForDisconnect, type TestSocket } from '../../support/sockets.js';
import { waitFor } from '../../support/wait.js';

let server: TestServer;
let admin: ApiClient;
let rootId: string;
const opened: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: 'error', LOGIN_ATTEMPTS_PER_ADDRESS: '10000' });
  admin = await server.admin();
  rootId = (await rootDepartment(admin)).id;
});
afterAll(async () => {
  for (const socket of opened) socket.close();
  await server?.close();
});

/** Connects and remembers the socket so that it is closed after the file. */
async function open(token: string | undefined, options: Parameters<typeof connectSocket>[1] = {}) {
  const socket = await connectSocket(server.url, { token, ...options });
  opened.push(socket);
  return socket;
}

/** A fresh member signed in twice: two sessions, as on two devices. */
async function memberWithTwoSessions() {
  const { user, api } = await createUser(admin, rootId);
  const second = new ApiClient(server.url);
  await second.login(user.email, PASSWORD);
  return { user, first: api, second };
}

const ping = (socket: TestSocket) => emitWithAck(socket, 'ping', {});

describe('handshake', () => {
  it('refuses a socket without a token with code unauthenticated', async () => {
    const error = await connectError(server.url);
    expect(error.data?.code).toBe('unauthenticated');
    expect(error.message).toMatch(/sign in/i);
  });

  it('refuses an unknown token, a revoked one and a deactivated user’s', async () => {
    expect((await connectError(server.url, { token: 'not-a-real-token' })).data?.code).toBe('unauthenticated');
    expect((await connectError(server.url, { token: 'x'.repeat(5000) })).data?.code).toBe('unauthenticated');
    const { user, api } = await createUser(admin, rootId);
    const token = api.token!;
    ok(await api.post('/api/auth/logout'));
    expect((await connectError(server.url, { token })).data?.code).toBe('unauthenticated');
    const other = new ApiClient(server.url);
    await other.login(user.email, PASSWORD);
    ok(await admin.patch(`/api/users/${user.id}`, { active: false }));
    expect((await connectError(server.url, { token: other.token })).data?.code).toBe('unauthenticated');
  });

  it('accepts the bearer token in auth', async () => {
    const { api } = await createUser(admin, rootId);
    const socket = await open(api.token);
    expect(socket.connected).toBe(true);
    expect(await ping(socket)).toMatchObject({ ok: true, data: { at: expect.any(String) } });
  });

  it('accepts the session cookie', async () => {
    const { user } = await createUser(admin, rootId);
    const login = await server.client().post('/api/auth/login', { email: user.email, password: PASSWORD });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const socket = await open(undefined, { headers: { cookie } });
    expect(await ping(socket)).toMatchObject({ ok: true });
    expect((await connectError(server.url, { headers: { cookie: 'huitong_session=forged' } })).data?.code).toBe('unauthenticated');
  });

  it('refuses a disallowed Origin, even with a valid session cookie, on websocket and polling', async () => {
    const { user } = await createUser(admin, rootId);
    const login = await server.client().post('/api/auth/login', { email: user.email, password: PASSWORD });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    for (const transports of [['websocket'], ['polling']] as const) {
      const error = await connectError(server.url, { headers: { cookie, origin: 'http://evil.example' }, transports: [...transports] });
      expect(error, transports[0]).toBeInstanceOf(Error);
    }
    // The polling handshake states the refusal in HTTP terms.
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example', cookie } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('accepts an allowed Origin on websocket and polling', async () => {
    const { api } = await createUser(admin, rootId);
    for (const transports of [['websocket'], ['polling']] as const) {
      const socket = await open(api.token, { headers: { origin: server.url }, transports: [...transports] });
      expect(await ping(socket)).toMatchObject({ ok: true });
    }
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: server.url } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(server.url);
  });
});

describe('client events', () => {
  let socket: TestSocket;
  beforeAll(async () => {
    const { api } = await createUser(admin, rootId);
    socket = await open(api.token);
  });

  it.each([
    ['ping', { unexpected: true }],
    ['ping', 'a string'],
    ['ping', 42],
    ['ping', [1, 2]],
    ['sync', {}],
    ['sync', { streams: 'user:1' }],
    ['sync', { streams: { 'user:1': -1 } }],
    ['sync', { streams: { 'user:1': 1.5 } }],
    ['sync', { streams: { 'user:1': '3' } }],
    ['sync', { streams: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`user:${i + 1}`, 0])) }],
    ['sync', { streams: { ['x'.repeat(81)]: 0 } }],
    ['sync', 'everything'],
    ['notifications:markRead', {}],
    ['notifications:markRead', { ids: [] }],
    ['notifications:markRead', { ids: ['abc'] }],
    ['notifications:markRead', { ids: [1] }],
    ['notifications:markRead', { ids: '1' }],
    ['notifications:markRead', { ids: ['9999999999999999999'] }],
    ['notifications:markRead', { ids: Array.from({ length: 201 }, (_, i) => String(i + 1)) }],
    ['notifications:markAllRead', { all: true }],
    ['notifications:markAllRead', 'yes'],
  ])('%s with a malformed payload %# acks validation_failed', async (event, payload) => {
    const ack = await emitWithAck(socket, event, payload);
    expect(ack.ok).toBe(false);
    if (!ack.ok) {
      expect(ack.error.code).toBe('validation_failed');
      expect(ack.error.message).toEqual(expect.any(String));
    }
    expect(socket.connected).toBe(true);
  });

  it.each([
    ['ping', {}],
    ['sync', { streams: {} }],
    ['notifications:markRead', { ids: ['1'] }],
    ['notifications:markAllRead', {}],
  ])('%s with a good payload %j acks ok', async (event, payload) => {
    const ack = await emitWithAck(socket, event, payload);
    expect(ack).toMatchObject({ ok: true });
  });

  it('validates with the same schemas as HTTP: the same malformed input gets the same error from both', async () => {
    const { api } = await createUser(admin, rootId);
    const own = await open(api.token);
    for (const [event, path, payload] of [
      ['notifications:markRead', '/api/notifications/read', { ids: ['abc', '1'] }],
      ['notifications:markRead', '/api/notifications/read', { ids: [] }],
    ] as const) {
      const ack = await emitWithAck(own, event, payload);
      const http = await api.post(path, payload);
      expect(http.status).toBe(400);
      expect(ack).toEqual({ ok: false, error: http.body.error });
      expect(http.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'ids' + (payload.ids.length ? '.0' : '') }] });
    }
    own.close();
  });

  it('an event sent without a payload is treated as an empty one', async () => {
    // The untyped socket lets the payload be left out, as a careless client would.
    const untyped = socket as unknown as Socket;
    const ack = await untyped.timeout(5000).emitWithAck('ping');
    expect(ack).toMatchObject({ ok: true, data: { at: expect.any(String) } });
    const markAll = await untyped.timeout(5000).emitWithAck('notifications:markAllRead');
    expect(markAll).toMatchObject({ ok: true, data: { unreadCount: 0 } });
  });
});

describe('rate limit', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ LOG_LEVEL: 'error', SOCKET_EVENTS_PER_SECOND: '5' });
  });
  afterAll(() => limited?.close());

  it('refuses events beyond the per-socket budget with rate_limited, and allows them again later', async () => {
    const limitedAdmin = await limited.admin();
    const first = await connectSocket(limited.url, { token: limitedAdmin.token });
    const second = await connectSocket(limited.url, { token: limitedAdmin.token });
    try {
      const acks = await Promise.all(Array.from({ length: 12 }, () => emitWithAck(first, 'ping', {})));
      const refused = acks.filter((a) => !a.ok);
      expect(acks.filter((a) => a.ok).length).toBeLessThanOrEqual(5);
      expect(refused.length).toBeGreaterThanOrEqual(7);
      for (const ack of refused) {
        if (ack.ok) continue;
        expect(ack.error.code).toBe('rate_limited');
        expect((ack.error.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }
      // Malformed events count against the budget too (they are refused before validation).
      const flood = await Promise.all(Array.from({ length: 3 }, () => emitWithAck(first, 'ping', 'bad')));
      expect(flood.every((a) => !a.ok && a.error.code === 'rate_limited')).toBe(true);
      // Another socket of the same user has its own budget.
      expect(await emitWithAck(second, 'ping', {})).toMatchObject({ ok: true });
      // The budget refills.
      await waitFor(async () => (await emitWithAck(first, 'ping', {})).ok, { timeoutMs: 3000, intervalMs: 250, what: 'the budget to refill' });
    } finally {
      first.close();
      second.close();
    }
  });
});

describe('ending sessions closes their sockets', () => {
  it('deactivating a user disconnects every device at once and tells them why', async () => {
    const { user, first, second } = await memberWithTwoSessions();
    const phone = await open(first.token);
    const laptop = await open(second.token);
    const ended = [nextServerEvent(phone, 'session:ended'), nextServerEvent(laptop, 'session:ended')];
    const disconnected = [waitForDisconnect(phone, 2000), waitForDisconnect(laptop, 2000)];
    ok(await admin.patch(`/api/users/${user.id}`, { active: false }));
    expect(await Promise.all(disconnected)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(await Promise.all(ended)).toEqual([{ reason: 'deactivated' }, { reason: 'deactivated' }]);
    expect((await connectError(server.url, { token: first.token })).data?.code).toBe('unauthenticated');
  });

  it('logout disconnects that session’s sockets only', async () => {
    const { first, second } = await memberWithTwoSessions();
    const tabA = await open(first.token);
    const tabB = await open(first.token);
    const otherDevice = await open(second.token);
    const ended = nextServerEvent(tabA, 'session:ended');
    const disconnected = [waitForDisconnect(tabA, 2000), waitForDisconnect(tabB, 2000)];
    expect((await first.post('/api/auth/logout')).status).toBe(204);
    await Promise.all(disconnected);
    expect(await ended).toEqual({ reason: 'logout' });
    expect(otherDevice.connected).toBe(true);
    expect(await ping(otherDevice)).toMatchObject({ ok: true });
    expect((await connectError(server.url, { token: first.token })).data?.code).toBe('unauthenticated');
  });

  it('a password change closes the other sessions’ sockets but keeps this session’s', async () => {
    const { first, second } = await memberWithTwoSessions();
    const here = await open(first.token);
    const elsewhere = await open(second.token);
    const ended = nextServerEvent(elsewhere, 'session:ended');
    const disconnected = waitForDisconnect(elsewhere, 2000);
    ok(await first.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a-brand-new-one' }));
    await disconnected;
    expect(await ended).toEqual({ reason: 'password_changed' });
    expect(here.connected).toBe(true);
    expect(await ping(here)).toMatchObject({ ok: true });
  });

  it('an administrator’s password reset closes every socket of the user', async () => {
    const { user, first, second } = await memberWithTwoSessions();
    const sockets = [await open(first.token), await open(second.token)];
    const disconnected = sockets.map((s) => waitForDisconnect(s, 2000));
    expect((await admin.post(`/api/users/${user.id}/password`, { password: 'reset-by-admin' })).status).toBe(204);
    await Promise.all(disconnected);
  });

  it('other users’ sockets stay connected', async () => {
    const { user } = await memberWithTwoSessions();
    const { api: bystander } = await createUser(admin, rootId);
    const bystanderSocket = await open(bystander.token);
    ok(await admin.patch(`/api/users/${user.id}`, { active: false }));
    expect(bystanderSocket.connected).toBe(true);
    expect(await ping(bystanderSocket)).toMatchObject({ ok: true });
  });
});
