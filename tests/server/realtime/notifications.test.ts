import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { createUser, PASSWORD, rootDepartment } from '../../support/factories.js';
import { connectSocket, emitWithAck, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { waitFor } from '../../support/wait.js';
import type { StreamEventEnvelope } from '../../../shared/realtime.js';

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

async function open(token: string | undefined) {
  const socket = await connectSocket(server.url, { token });
  opened.push(socket);
  return socket;
}

/** A fresh member (an empty personal stream) signed in on two devices, each with a socket. */
async function recipientOnTwoDevices() {
  const { user, api } = await createUser(admin, rootId);
  const laptopApi = new ApiClient(server.url);
  await laptopApi.login(user.email, PASSWORD);
  return { user, api, laptopApi, phone: await open(api.token), laptop: await open(laptopApi.token), stream: `user:${user.id}` };
}

const sendSystem = (recipientIds: string[], title: string, extra: Record<string, unknown> = {}) =>
  admin.post('/api/notifications/system', { recipientIds, title, ...extra });

const ofStream = (socket: TestSocket, stream: string) => socket.received.filter((e) => e.stream === stream);
const seqs = (events: StreamEventEnvelope[]) => events.map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function sync(socket: TestSocket, streams: Record<string, number>) {
  const ack = await emitWithAck(socket, 'sync', { streams });
  if (!ack.ok) throw new Error(`sync failed: ${JSON.stringify(ack.error)}`);
  return ack.data as { events: StreamEventEnvelope[]; more: string[]; refused: string[] };
}

describe('system messages', () => {
  it('create a notification pushed live to every device of the recipient as a stream event', async () => {
    const { user, api, phone, laptop, stream } = await recipientOnTwoDevices();
    const { phone: bystander } = await recipientOnTwoDevices();

    const res = await sendSystem([user.id], '系统维护通知', { body: '今晚 22:00 停机维护', urgent: true });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ sent: 1 });

    const isCreated = (e: StreamEventEnvelope) => e.type === 'notification.created';
    const [onPhone, onLaptop] = await Promise.all([waitForEvent(phone, isCreated), waitForEvent(laptop, isCreated)]);
    expect(onPhone).toEqual(onLaptop);
    expect(onPhone).toEqual({
      stream,
      seq: 1,
      type: 'notification.created',
      at: expect.any(String),
      data: {
        unreadCount: 1,
        notification: {
          id: expect.stringMatching(/^\d+$/),
          kind: 'system',
          title: '系统维护通知',
          body: '今晚 22:00 停机维护',
          link: null,
          data: null,
          urgent: true,
          readAt: null,
          createdAt: expect.any(String),
        },
      },
    });

    const listed = ok(await api.get('/api/notifications'));
    expect(listed.items).toEqual([(onPhone.data as any).notification]);
    expect(listed.nextCursor).toBeNull();
    expect(listed.unreadCount).toBe(1);
    expect(ok(await api.get('/api/notifications/unread-count'))).toEqual({ unreadCount: 1 });
    // Nobody else heard of it.
    expect(ofStream(bystander, stream)).toEqual([]);
    expect(bystander.received).toEqual([]);
  });

  it('go to several recipients at once, each on their own stream', async () => {
    const a = await recipientOnTwoDevices();
    const b = await recipientOnTwoDevices();
    expect(ok(await sendSystem([a.user.id, b.user.id, a.user.id], 'Both'), 201)).toEqual({ sent: 2 });
    const onA = await waitForEvent(a.phone, (e) => e.type === 'notification.created');
    const onB = await waitForEvent(b.phone, (e) => e.type === 'notification.created');
    expect([onA.stream, onB.stream]).toEqual([a.stream, b.stream]);
    expect(ok(await a.api.get('/api/notifications')).items.length).toBe(1);
  });

  it('are refused for unknown or deactivated recipients, and nobody gets anything', async () => {
    const ok1 = await recipientOnTwoDevices();
    const gone = await createUser(admin, rootId);
    ok(await admin.patch(`/api/users/${gone.user.id}`, { active: false }));
    for (const recipients of [[ok1.user.id, '987654321'], [ok1.user.id, gone.user.id]]) {
      const res = await sendSystem(recipients, 'Partial');
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toContain('recipientIds');
    }
    const invalid = await sendSystem([], 'Nobody');
    expect(invalid.status).toBe(400);
    expect((await sendSystem([ok1.user.id], '   ')).status).toBe(400);
    expect(ok(await ok1.api.get('/api/notifications')).items).toEqual([]);
    expect(ok1.phone.received).toEqual([]);
  });

  it('may be sent by administrators only', async () => {
    const target = await recipientOnTwoDevices();
    const { api: member } = await createUser(admin, rootId);
    const res = await member.post('/api/notifications/system', { recipientIds: [target.user.id], title: 'Fake' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await server.client().post('/api/notifications/system', { recipientIds: [target.user.id], title: 'Fake' })).status).toBe(401);
    expect(ok(await target.api.get('/api/notifications')).items).toEqual([]);
    expect(target.phone.received).toEqual([]);
  });
});

describe('GET /api/notifications', () => {
  it('pages newest first with a cursor: 25 as 10, 10 and 5, then no cursor', async () => {
    const { user, api } = await createUser(admin, rootId);
    for (let i = 1; i <= 25; i++) ok(await sendSystem([user.id], `n${i}`), 201);

    const first = ok(await api.get('/api/notifications?limit=10'));
    expect(first.items.map((n: any) => n.title)).toEqual(range(16, 25).reverse().map((i) => `n${i}`));
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.unreadCount).toBe(25);
    const second = ok(await api.get(`/api/notifications?limit=10&before=${first.nextCursor}`));
    expect(second.items.map((n: any) => n.title)).toEqual(range(6, 15).reverse().map((i) => `n${i}`));
    expect(second.nextCursor).toEqual(expect.any(String));
    const third = ok(await api.get(`/api/notifications?limit=10&before=${second.nextCursor}`));
    expect(third.items.map((n: any) => n.title)).toEqual(range(1, 5).reverse().map((i) => `n${i}`));
    expect(third.nextCursor).toBeNull();

    // A page that ends exactly at the last item has no cursor either.
    const twenty = ok(await api.get(`/api/notifications?limit=20&before=${first.items[4].id}`));
    expect(twenty.items.length).toBe(20);
    expect(twenty.nextCursor).toBeNull();
    // The default page is 20.
    expect(ok(await api.get('/api/notifications')).items.length).toBe(20);
  });

  it('filters unread ones and validates the query', async () => {
    const { user, api } = await createUser(admin, rootId);
    for (const title of ['a', 'b', 'c']) ok(await sendSystem([user.id], title), 201);
    const all = ok(await api.get('/api/notifications')).items;
    ok(await api.post('/api/notifications/read', { ids: [all[1].id] }));
    const unread = ok(await api.get('/api/notifications?unread=true'));
    expect(unread.items.map((n: any) => n.title)).toEqual(['c', 'a']);
    expect(unread.unreadCount).toBe(2);
    expect(ok(await api.get('/api/notifications')).items[1].readAt).toEqual(expect.any(String));
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'before=abc', 'before=0', 'unread=maybe']) {
      const res = await api.get(`/api/notifications?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await server.client().get('/api/notifications')).status).toBe(401);
  });

  it('shows a user only their own notifications', async () => {
    const a = await createUser(admin, rootId);
    const b = await createUser(admin, rootId);
    ok(await sendSystem([a.user.id], 'for a'), 201);
    expect(ok(await b.api.get('/api/notifications')).items).toEqual([]);
    expect(ok(await b.api.get('/api/notifications/unread-count')).unreadCount).toBe(0);
  });
});

describe('reading notifications', () => {
  it('marking read on one device pushes notification.read with the new unread count to the other', async () => {
    const { user, phone, laptop, stream } = await recipientOnTwoDevices();
    ok(await sendSystem([user.id], 'one'), 201);
    ok(await sendSystem([user.id], 'two'), 201);
    const created = await waitForEvent(laptop, (e) => e.type === 'notification.created' && e.seq === 2);
    const id = (created.data as any).notification.id as string;

    const ack = await emitWithAck(phone, 'notifications:markRead', { ids: [id] });
    expect(ack).toEqual({ ok: true, data: { unreadCount: 1 } });
    const read = await waitForEvent(laptop, (e) => e.type === 'notification.read');
    expect(read).toMatchObject({ stream, seq: 3, data: { ids: [id], unreadCount: 1, readAt: expect.any(String) } });

    // Marking it again changes nothing and pushes nothing.
    expect(await emitWithAck(phone, 'notifications:markRead', { ids: [id] })).toEqual({ ok: true, data: { unreadCount: 1 } });
    const head = (await sync(phone, { [stream]: 0 })).events.at(-1)!;
    expect(head.seq).toBe(3);
  });

  it('marking read over HTTP is pushed to every device too', async () => {
    const { user, api, phone, laptop } = await recipientOnTwoDevices();
    ok(await sendSystem([user.id], 'one'), 201);
    const [n] = ok(await api.get('/api/notifications')).items;
    expect(ok(await api.post('/api/notifications/read', { ids: [n.id] }))).toEqual({ unreadCount: 0 });
    for (const socket of [phone, laptop]) expect((await waitForEvent(socket, (e) => e.type === 'notification.read')).data).toMatchObject({ ids: [n.id], unreadCount: 0 });
  });

  it('mark-all-read reads everything and tells every device', async () => {
    const { user, api, phone, laptop } = await recipientOnTwoDevices();
    for (const title of ['a', 'b', 'c']) ok(await sendSystem([user.id], title), 201);
    await waitForEvent(laptop, (e) => e.seq === 3);
    const ack = await emitWithAck(phone, 'notifications:markAllRead', {});
    expect(ack).toEqual({ ok: true, data: { unreadCount: 0 } });
    const allRead = await waitForEvent(laptop, (e) => e.type === 'notification.allRead');
    expect(allRead).toMatchObject({ seq: 4, data: { unreadCount: 0, readAt: expect.any(String) } });
    expect(ok(await api.get('/api/notifications/unread-count')).unreadCount).toBe(0);
    expect(ok(await api.get('/api/notifications')).items.every((n: any) => n.readAt !== null)).toBe(true);
    // Over HTTP, with nothing left unread, nothing is pushed.
    expect(ok(await api.post('/api/notifications/read-all'))).toEqual({ unreadCount: 0 });
    expect((await sync(phone, { [`user:${user.id}`]: 4 })).events).toEqual([]);
  });

  it('marking someone else’s notification changes nothing', async () => {
    const victim = await recipientOnTwoDevices();
    const intruder = await recipientOnTwoDevices();
    ok(await sendSystem([victim.user.id], 'private'), 201);
    ok(await sendSystem([intruder.user.id], 'own'), 201);
    const [theirs] = ok(await victim.api.get('/api/notifications')).items;

    expect(await emitWithAck(intruder.phone, 'notifications:markRead', { ids: [theirs.id] })).toEqual({ ok: true, data: { unreadCount: 1 } });
    expect(ok(await intruder.api.post('/api/notifications/read', { ids: [theirs.id] }))).toEqual({ unreadCount: 1 });

    const after = ok(await victim.api.get('/api/notifications'));
    expect(after.items[0].readAt).toBeNull();
    expect(after.unreadCount).toBe(1);
    expect(ok(await intruder.api.get('/api/notifications')).unreadCount).toBe(1);
    // Neither stream got a read event.
    const victimStream = await sync(victim.phone, { [victim.stream]: 0 });
    expect(victimStream.events.map((e) => e.type)).toEqual(['notification.created']);
    const intruderStream = await sync(intruder.phone, { [intruder.stream]: 0 });
    expect(intruderStream.events.map((e) => e.type)).toEqual(['notification.created']);
  });
});

describe('catching up', () => {
  it('a reconnecting socket gets exactly the events it missed, in order', async () => {
    const { user, api, phone, stream } = await recipientOnTwoDevices();
    ok(await sendSystem([user.id], 'before 1'), 201);
    ok(await sendSystem([user.id], 'before 2'), 201);
    await waitForEvent(phone, (e) => e.seq === 2);
    const lastSeq = Math.max(...seqs(ofStream(phone, stream)));
    phone.disconnect();

    for (const title of ['missed 1', 'missed 2', 'missed 3']) ok(await sendSystem([user.id], title), 201);
    const [missedOne] = ok(await api.get('/api/notifications?limit=3')).items.slice(-1);
    ok(await api.post('/api/notifications/read', { ids: [missedOne.id] }));

    const again = await open(api.token);
    const caughtUp = await sync(again, { [stream]: lastSeq });
    expect(caughtUp.refused).toEqual([]);
    expect(caughtUp.more).toEqual([]);
    expect(seqs(caughtUp.events)).toEqual([3, 4, 5, 6]);
    expect(caughtUp.events.map((e) => e.type)).toEqual(['notification.created', 'notification.created', 'notification.created', 'notification.read']);
    expect(caughtUp.events.slice(0, 3).map((e) => (e.data as any).notification.title)).toEqual(['missed 1', 'missed 2', 'missed 3']);
    expect(caughtUp.events.every((e) => e.stream === stream)).toBe(true);

    // Live events continue after the sync, without repeating what sync returned.
    ok(await sendSystem([user.id], 'live'), 201);
    const live = await waitForEvent(again, (e) => e.type === 'notification.created');
    expect(live.seq).toBe(7);
    expect(seqs(ofStream(again, stream))).toEqual([7]);

    // Syncing from 0 is the whole stream, gap-free.
    expect(seqs((await sync(again, { [stream]: 0 })).events)).toEqual(range(1, 7));
    // Syncing from the head returns nothing.
    expect((await sync(again, { [stream]: 7 })).events).toEqual([]);
  });

  it('refuses another user’s stream: no events, and none of their live events afterwards', async () => {
    const snoop = await recipientOnTwoDevices();
    const other = await recipientOnTwoDevices();
    ok(await sendSystem([other.user.id], 'secret 1'), 201);
    ok(await sendSystem([snoop.user.id], 'mine'), 201);
    await waitForEvent(snoop.phone, (e) => e.stream === snoop.stream);

    const answer = await sync(snoop.phone, { [other.stream]: 0, [snoop.stream]: 0, 'user:abc': 0, 'nosuchkind:1': 0, 'user:9999999999999999999': 0 });
    expect(answer.refused.sort()).toEqual([other.stream, 'nosuchkind:1', 'user:9999999999999999999', 'user:abc'].sort());
    expect(answer.events.map((e) => e.stream)).toEqual([snoop.stream]);

    ok(await sendSystem([other.user.id], 'secret 2'), 201);
    // The owner got it live; by then the snoop would have too, had it joined the room.
    await waitForEvent(other.phone, (e) => e.seq === 2);
    ok(await sendSystem([snoop.user.id], 'marker'), 201);
    await waitForEvent(snoop.phone, (e) => e.stream === snoop.stream && e.seq === 2);
    expect(ofStream(snoop.phone, other.stream)).toEqual([]);
    expect(ofStream(snoop.laptop, other.stream)).toEqual([]);
  });
});

describe('catching up on many streams', () => {
  it('answers streams of every kind in one sync, pages past 2,000 events with `more`, and refuses what is not the user’s', async () => {
    const reader = await recipientOnTwoDevices();
    const other = await recipientOnTwoDevices();
    const mine = ok(await reader.api.post('/api/conversations', { name: 'many', memberIds: [] }), 201);
    const theirs = ok(await other.api.post('/api/conversations', { name: 'theirs', memberIds: [] }), 201);
    for (const title of ['one', 'two']) ok(await sendSystem([reader.user.id], title), 201);
    // A long backlog in the conversation (written straight into its stream: 2,100 events, after the group's own).
    const em = server.orm.em.fork();
    const [{ head }] = await em.execute<{ head: string }[]>(`SELECT last_seq AS head FROM stream_heads WHERE stream = ?`, [`conversation:${mine.id}`]);
    await em.execute(
      `INSERT INTO stream_events (stream, seq, type, payload, created_at)
       SELECT ?, ?::bigint + n, 'conversation.updated', jsonb_build_object('conversationId', ?::text, 'name', 'many ' || n, 'memberCount', 1), now() FROM generate_series(1, 2100) n`,
      [`conversation:${mine.id}`, head, mine.id],
    );
    await em.execute(`UPDATE stream_heads SET last_seq = last_seq + 2100 WHERE stream = ?`, [`conversation:${mine.id}`]);
    const total = Number(head) + 2100;

    const socket = reader.phone;
    const first = await sync(socket, { [`conversation:${mine.id}`]: 0, [reader.stream]: 0, [`conversation:${theirs.id}`]: 0 });
    expect(first.refused).toEqual([`conversation:${theirs.id}`]);
    // Streams in the order asked: the conversation fills the answer; it and the streams after it have more.
    expect(first.events.length).toBe(2000);
    expect(first.events.every((e) => e.stream === `conversation:${mine.id}`)).toBe(true);
    expect(seqs(first.events)).toEqual(range(1, 2000));
    expect(first.more).toEqual([`conversation:${mine.id}`, reader.stream]);
    const second = await sync(socket, { [`conversation:${mine.id}`]: 2000, [reader.stream]: 0 });
    expect(second.more).toEqual([]);
    expect(second.events.filter((e) => e.stream === `conversation:${mine.id}`).map((e) => e.seq)).toEqual(range(2001, total));
    // The user's own stream: the group joined, then the two notifications.
    expect(second.events.filter((e) => e.stream === reader.stream).map((e) => e.type)).toEqual(['conversation.joined', 'notification.created', 'notification.created']);
  });
});

describe('sequences under concurrency', () => {
  it('30 system messages sent at once get seqs 1..30, each exactly once, live and via sync', async () => {
    const { user, api, phone, laptop, stream } = await recipientOnTwoDevices();
    const results = await Promise.all(range(1, 30).map((i) => sendSystem([user.id], `parallel ${i}`)));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));

    for (const socket of [phone, laptop]) {
      await waitFor(() => ofStream(socket, stream).length >= 30, { what: '30 live events' });
      const live = ofStream(socket, stream);
      expect(live.length).toBe(30);
      expect(seqs(live).sort((a, b) => a - b)).toEqual(range(1, 30));
    }

    const synced = (await sync(phone, { [stream]: 0 })).events;
    expect(seqs(synced)).toEqual(range(1, 30));
    expect(new Set(synced.map((e) => (e.data as any).notification.id)).size).toBe(30);
    expect(new Set(synced.map((e) => (e.data as any).notification.title)).size).toBe(30);
    // In seq order, the unread count each event carries only grows, and the last one is right.
    const counts = synced.map((e) => (e.data as any).unreadCount as number);
    expect(counts).toEqual(range(1, 30));
    expect(ok(await api.get('/api/notifications/unread-count')).unreadCount).toBe(30);
    expect(ok(await api.get('/api/notifications?limit=100')).items.length).toBe(30);
  });

  it('concurrent reads and creations keep the unread count of the newest event right', async () => {
    const { user, api, phone, stream } = await recipientOnTwoDevices();
    for (let i = 1; i <= 10; i++) ok(await sendSystem([user.id], `old ${i}`), 201);
    const existing = ok(await api.get('/api/notifications')).items as any[];
    await Promise.all([
      ...existing.map((n) => api.post('/api/notifications/read', { ids: [n.id] })),
      ...range(1, 10).map((i) => sendSystem([user.id], `new ${i}`)),
    ]);
    const synced = (await sync(phone, { [stream]: 0 })).events;
    expect(seqs(synced)).toEqual(range(1, synced.length));
    expect(synced.length).toBe(30);
    expect((synced.at(-1)!.data as any).unreadCount).toBe(10);
    expect(ok(await api.get('/api/notifications/unread-count')).unreadCount).toBe(10);
  });
});
