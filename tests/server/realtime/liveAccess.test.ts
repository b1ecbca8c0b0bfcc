/**
 * Access that changes takes effect at once, everywhere, seen from the side of the user who loses
 * it: two server processes in one cluster (REALTIME_ADAPTER=postgres), the change made through the
 * first, the sockets that follow the stream connected to the second. After the change the revoked
 * socket receives nothing more of the stream: proved by a later event of another stream that it
 * does receive (pushed through the same process after the one it must not get, so in order), never
 * by waiting. Those who keep access keep receiving. Sessions end on open sockets too.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEventEnvelope } from '../../../shared/realtime.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { sendText, textBody } from '../../support/chat.js';
import { PASSWORD } from '../../support/factories.js';
import { connectError, connectSocket, emitWithAck, nextServerEvent, waitForDisconnect, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { createTestDatabase } from '../../support/database.js';
import { waitFor } from '../../support/wait.js';

let one: TestServer;
let two: TestServer;
let admin: ApiClient;
let org: Awaited<ReturnType<typeof buildOrg>>;
const sockets: TestSocket[] = [];
type Member = { user: any; api: ApiClient };

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  one = await startTestServer({ REALTIME_ADAPTER: 'postgres' }, { databaseUrl });
  two = await startTestServer({ REALTIME_ADAPTER: 'postgres' }, { databaseUrl });
  await waitFor(async () => (await one.io.of('/').adapter.serverCount()) === 2 && (await two.io.of('/').adapter.serverCount()) === 2, { what: 'the two nodes to see each other' });
  admin = await one.admin();
  // Sales (manager m) > East (manager e; a, b) and Support (manager s; c); every API client talks to `one`.
  org = await buildOrg(admin);
}, 60_000);
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await Promise.all([one?.close(), two?.close()]);
});

/** A socket of the member on the second process, following the streams (each allowed). */
async function follow(member: Member, streams: string[]) {
  const socket = await connectSocket(two.url, { token: member.api.token });
  sockets.push(socket);
  const sync = await emitWithAck(socket, 'sync', { streams: Object.fromEntries(streams.map((s) => [s, 0])) });
  expect(sync).toMatchObject({ ok: true, data: { refused: [] } });
  return socket;
}

const createCustomer = async (by: Member, name: string, ownerIds?: string[]) => ok(await by.api.post('/api/customers', { name, type: 'end_customer', tier: 'gold', ...(ownerIds ? { ownerIds } : {}) }), 201).id as string;
const comment = async (by: Member | ApiClient, customerId: string, text: string) => ok(await ('api' in by ? by.api : by).post(`/api/customers/${customerId}/comments`, { body: textBody(text) }), 201);
const isComment = (customerId: string, text: string) => (e: StreamEventEnvelope) => e.stream === `customer:${customerId}` && e.type === 'feed.item' && e.data.item.text === text;
const setVisibility = async (value: 'everyone' | 'owners') => ok(await admin.patch('/api/settings', { customerVisibility: value }));

/** `revoked` got the marker (so anything pushed before it has arrived) and nothing of the text on the customer. */
async function receivedNothingBefore(revoked: TestSocket, customerId: string, text: string, marker: (e: StreamEventEnvelope) => boolean) {
  await waitForEvent(revoked, marker);
  expect(revoked.received.filter(isComment(customerId, text))).toEqual([]);
}

describe('a socket stops receiving a stream its user may no longer follow', () => {
  it('when the customer visibility setting changes to owners only', async () => {
    await setVisibility('everyone');
    const { a, c, e } = org;
    const theirs = await createCustomer(a, '可见性 Ltd');
    const own = await createCustomer(c, '自有 Ltd');
    const outsider = await follow(c, [`customer:${theirs}`, `customer:${own}`]);
    const superior = await follow(e, [`customer:${theirs}`]);
    const before = await comment(a, theirs, 'seen by everyone');
    await waitForEvent(outsider, isComment(theirs, 'seen by everyone'));
    expect(before.text).toBe('seen by everyone');

    const revoked = nextServerEvent(outsider, 'stream:revoked');
    await setVisibility('owners');
    expect(await revoked).toEqual({ streams: [`customer:${theirs}`] });
    await comment(a, theirs, 'owners only: price list');
    await comment(c, own, 'marker: own customer');
    await receivedNothingBefore(outsider, theirs, 'owners only: price list', isComment(own, 'marker: own customer'));
    // The owner's superior keeps the feed; the outsider's sync is refused.
    await waitForEvent(superior, isComment(theirs, 'owners only: price list'));
    expect(await emitWithAck(outsider, 'sync', { streams: { [`customer:${theirs}`]: 0 } })).toMatchObject({ ok: true, data: { events: [], refused: [`customer:${theirs}`] } });
  });

  it('when the user is removed from the owners, customers being visible to owners only', async () => {
    await setVisibility('owners');
    const { a, b, e } = org;
    const shared = await createCustomer(a, '共有 Ltd', [a.user.id, b.user.id]);
    const own = await createCustomer(b, 'B 自有 Ltd');
    const former = await follow(b, [`customer:${shared}`, `customer:${own}`]);
    const owner = await follow(a, [`customer:${shared}`]);
    const superior = await follow(e, [`customer:${shared}`]);

    const revoked = nextServerEvent(former, 'stream:revoked');
    ok(await a.api.patch(`/api/customers/${shared}`, { ownerIds: [a.user.id] }));
    expect(await revoked).toEqual({ streams: [`customer:${shared}`] });
    await comment(a, shared, 'after the handover');
    await comment(b, own, 'marker: b');
    await receivedNothingBefore(former, shared, 'after the handover', isComment(own, 'marker: b'));
    for (const keeper of [owner, superior]) await waitForEvent(keeper, isComment(shared, 'after the handover'));
  });

  it('when an owner moves to another department, and when a manager is removed: their former superiors lose the customer', async () => {
    await setVisibility('owners');
    const { c, s, e, m, departments } = org;
    const customer = await createCustomer(c, '调动 Ltd');
    const sOwn = await createCustomer(s, 'S 自有 Ltd');
    const eOwn = await createCustomer(e, 'E 自有 Ltd');
    const formerSuperior = await follow(s, [`customer:${customer}`, `customer:${sOwn}`]);
    const owner = await follow(c, [`customer:${customer}`]);

    // c moves from Support (manager s) to East (manager e, under Sales of m).
    const revoked = nextServerEvent(formerSuperior, 'stream:revoked');
    ok(await admin.patch(`/api/users/${c.user.id}`, { departmentId: departments.east.id }));
    expect(await revoked).toEqual({ streams: [`customer:${customer}`] });
    await comment(c, customer, 'moved to East');
    await comment(s, sOwn, 'marker: s');
    await receivedNothingBefore(formerSuperior, customer, 'moved to East', isComment(sOwn, 'marker: s'));
    await waitForEvent(owner, isComment(customer, 'moved to East'));
    // The new superiors may follow it now.
    const newSuperior = await follow(e, [`customer:${customer}`, `customer:${eOwn}`]);
    const above = await follow(m, [`customer:${customer}`]);

    // East's manager is removed: e is no longer anyone's superior; m, above, still is.
    const dropped = nextServerEvent(newSuperior, 'stream:revoked');
    ok(await admin.patch(`/api/departments/${departments.east.id}`, { managerIds: [] }));
    expect(await dropped).toEqual({ streams: [`customer:${customer}`] });
    await comment(c, customer, 'after the reorganisation');
    await comment(e, eOwn, 'marker: e');
    await receivedNothingBefore(newSuperior, customer, 'after the reorganisation', isComment(eOwn, 'marker: e'));
    for (const keeper of [owner, above]) await waitForEvent(keeper, isComment(customer, 'after the reorganisation'));
  });

  it('when the user is deactivated: their sockets are told and closed in the other process', async () => {
    await setVisibility('owners');
    const { b, m } = org;
    const customer = await createCustomer(b, '停用 Ltd');
    const deactivated = await follow(b, [`customer:${customer}`]);
    const superior = await follow(m, [`customer:${customer}`]);
    const ended = nextServerEvent(deactivated, 'session:ended');
    const closed = waitForDisconnect(deactivated);
    ok(await admin.patch(`/api/users/${b.user.id}`, { active: false }));
    expect(await ended).toEqual({ reason: 'deactivated' });
    expect(await closed).toBe('io server disconnect');
    await comment(admin, customer, 'after the deactivation');
    await waitForEvent(superior, isComment(customer, 'after the deactivation'));
    expect(deactivated.received.filter(isComment(customer, 'after the deactivation'))).toEqual([]);
    expect((await connectError(two.url, { token: b.api.token })).data?.code).toBe('unauthenticated');
  });

  it('when a member is removed from a group', async () => {
    const { a, c, m } = org;
    const group = ok(await a.api.post('/api/conversations', { name: '项目组', memberIds: [c.user.id, m.user.id] }), 201);
    const other = ok(await a.api.post('/api/conversations', { name: '另一组', memberIds: [c.user.id] }), 201);
    const removed = await follow(c, [`conversation:${group.id}`, `conversation:${other.id}`]);
    const member = await follow(m, [`conversation:${group.id}`]);
    const revoked = nextServerEvent(removed, 'stream:revoked');
    expect((await a.api.delete(`/api/conversations/${group.id}/members/${c.user.id}`)).status).toBe(204);
    expect(await revoked).toEqual({ streams: [`conversation:${group.id}`] });
    const secret = await sendText(a.api, group.id, 'after the removal');
    const marker = await sendText(a.api, other.id, 'marker: other group');
    await waitForEvent(removed, (e) => e.type === 'message.created' && e.data.message.id === marker.id);
    expect(removed.received.filter((e) => e.stream === `conversation:${group.id}` && e.type === 'message.created' && e.data.message.id === secret.id)).toEqual([]);
    await waitForEvent(member, (e) => e.type === 'message.created' && e.data.message.id === secret.id);
  });
});

describe('sessions end on open sockets', () => {
  const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
  /** A new session of the member (a second sign-in), its token. */
  async function signIn(member: Member) {
    const api = new ApiClient(one.url);
    await api.login(member.user.email, PASSWORD);
    return api;
  }

  it('an expired session’s socket is told and closed when it expires, without the client doing anything', async () => {
    const api = await signIn(org.m);
    const [row] = await one.orm.em.fork().execute<{ expires_at: Date }[]>(`UPDATE sessions SET expires_at = now() + interval '1 second' WHERE token_hash = ? RETURNING expires_at`, [tokenHash(api.token!)]);
    const socket = await connectSocket(two.url, { token: api.token });
    sockets.push(socket);
    const ended = nextServerEvent(socket, 'session:ended', 5000);
    const closed = waitForDisconnect(socket, 5000);
    expect(await ended).toEqual({ reason: 'expired' });
    expect(Date.now()).toBeGreaterThanOrEqual(new Date(row.expires_at).getTime());
    expect(await closed).toBe('io server disconnect');
  });

  it('a client event on a socket whose session was revoked by the other process is refused, and the socket closed', async () => {
    // Revoked in the database by the other process, its push missed: the event's own check refuses it.
    // Two devices of one session: one pings (the common check), one sends messages (the hot path's own).
    const api = await signIn(org.m);
    const direct = ok(await api.post('/api/conversations/direct', { userId: org.a.user.id }));
    const pinging = await connectSocket(two.url, { token: api.token });
    const sending = await connectSocket(two.url, { token: api.token });
    sockets.push(pinging, sending);
    const send = () => emitWithAck(sending, 'message:send', { conversationId: direct.id, clientId: randomUUID(), body: textBody('still signed in?') }, 1000);
    expect(await emitWithAck(pinging, 'ping', {})).toMatchObject({ ok: true });
    expect(await send()).toMatchObject({ ok: true });
    await one.orm.em.fork().execute(`DELETE FROM sessions WHERE token_hash = ?`, [tokenHash(api.token!)]);
    const closed = [waitForDisconnect(pinging, 6000), waitForDisconnect(sending, 6000)];
    for (const emit of [send, () => emitWithAck(pinging, 'ping', {}, 1000)]) {
      const refusal = await waitFor(async () => ((ack) => (ack.ok ? undefined : ack))(await emit()), { timeoutMs: 5000, intervalMs: 200, what: 'an event to be refused' });
      expect(refusal.error.code).toBe('unauthenticated');
    }
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);

    // Signed out through the other process: told at once, closed, and refused at the next handshake.
    const other = await signIn(org.m);
    const device = await connectSocket(two.url, { token: other.token });
    sockets.push(device);
    const ended = nextServerEvent(device, 'session:ended');
    expect((await other.post('/api/auth/logout')).status).toBe(204);
    expect(await ended).toEqual({ reason: 'logout' });
    expect((await connectError(two.url, { token: other.token })).data?.code).toBe('unauthenticated');
  });
});
