import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { connectSocket, emitWithAck, waitForDisconnect, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { createUsers, mentionBody, sendText, textBody } from '../../support/chat.js';
import { waitFor } from '../../support/wait.js';

let server: TestServer;
let users: { user: any; api: ApiClient }[];
let group: any;
const sockets: TestSocket[] = [];

async function device(i: number) {
  const socket = await connectSocket(server.url, { token: users[i].api.token });
  sockets.push(socket);
  const ack = await emitWithAck(socket, 'sync', { streams: { [`conversation:${group.id}`]: group.seq, [`user:${users[i].user.id}`]: 0 } });
  expect(ack.ok).toBe(true);
  return socket;
}

beforeAll(async () => {
  server = await startTestServer();
  users = await createUsers(await server.admin(), 4);
  group = ok(await users[0].api.post('/api/conversations', { name: '华东销售群', memberIds: [users[1].user.id, users[2].user.id] }), 201);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
});

describe('sending', () => {
  it('stores the message before acknowledging and pushes it to every device of every member, the sender’s other device too', async () => {
    const [senderPhone, senderLaptop, member, otherMember] = [await device(0), await device(0), await device(1), await device(2)];
    const clientId = randomUUID();
    const ack = await emitWithAck(senderPhone, 'message:send', { conversationId: group.id, clientId, body: textBody('今天下午三点开会') });
    expect(ack.ok).toBe(true);
    const message = (ack as any).data.message;
    expect(message).toMatchObject({ clientId, text: '今天下午三点开会', author: { id: users[0].user.id } });
    const history = ok(await users[1].api.get(`/api/conversations/${group.id}/messages`));
    expect(history.items.map((m: any) => m.id)).toContain(message.id);
    for (const socket of [senderPhone, senderLaptop, member, otherMember]) {
      const event = await waitForEvent(socket, (e) => e.type === 'message.created' && (e.data as any).message.id === message.id);
      expect(event.stream).toBe(`conversation:${group.id}`);
    }
  });

  it('a retried send with the same client id returns the original and creates nothing new', async () => {
    const clientId = randomUUID();
    const first = await users[0].api.post(`/api/conversations/${group.id}/messages`, { clientId, body: textBody('once') });
    const again = await users[0].api.post(`/api/conversations/${group.id}/messages`, { clientId, body: textBody('once') });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(first.body.data.id);
    // Concurrent retries of one send still store it once.
    const raceId = randomUUID();
    const racing = await Promise.all(Array.from({ length: 6 }, () => users[0].api.post(`/api/conversations/${group.id}/messages`, { clientId: raceId, body: textBody('race') })));
    expect(new Set(racing.map((r) => r.body.data.id)).size).toBe(1);
    const history = ok(await users[0].api.get(`/api/conversations/${group.id}/messages?limit=100`));
    expect(history.items.filter((m: any) => m.clientId === raceId)).toHaveLength(1);
    expect(history.items.filter((m: any) => m.clientId === clientId)).toHaveLength(1);
  });

  it('sends arriving together are each answered, stored once and pushed in one gapless order, beside a refused outsider and retries', async () => {
    const [alice, bob, carol, outsider] = [await device(0), await device(1), await device(2), await connectSocket(server.url, { token: users[3].api.token })];
    sockets.push(outsider);
    const watcher = await device(1);
    const startSeq = ok(await users[1].api.get(`/api/conversations/${group.id}`)).seq;
    const retried = randomUUID();
    const sends = [
      ...Array.from({ length: 30 }, (_, i) => ({ socket: [alice, bob, carol][i % 3], clientId: i === 7 ? retried : randomUUID(), text: `together ${i}` })),
      // The same send again while the first may still be waiting for its batch.
      { socket: [alice, bob, carol][7 % 3], clientId: retried, text: 'together 7' },
    ];
    // And at the same time into another conversation: one batch may hold sends of several.
    const other = ok(await users[0].api.post('/api/conversations', { name: '另一个群', memberIds: [users[1].user.id] }), 201);
    const [acks, refusal, otherAcks] = await Promise.all([
      Promise.all(sends.map((s) => emitWithAck(s.socket, 'message:send', { conversationId: group.id, clientId: s.clientId, body: textBody(s.text) }))),
      emitWithAck(outsider, 'message:send', { conversationId: group.id, clientId: randomUUID(), body: textBody('not a member') }),
      Promise.all(Array.from({ length: 10 }, (_, i) => emitWithAck([alice, bob][i % 2], 'message:send', { conversationId: other.id, clientId: randomUUID(), body: textBody(`elsewhere ${i}`) }))),
    ]);
    expect(otherAcks.every((a) => a.ok)).toBe(true);
    const otherSync = await emitWithAck(bob, 'sync', { streams: { [`conversation:${other.id}`]: other.seq } });
    const otherEvents = (otherSync as any).data.events as { seq: number; type: string; data: any }[];
    expect(otherEvents.map((e) => e.seq)).toEqual(otherEvents.map((_, i) => other.seq + 1 + i));
    expect(otherEvents.filter((e) => e.type === 'message.created').map((e) => e.data.message.id).sort()).toEqual(otherAcks.map((a) => (a as any).data.message.id).sort());
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(refusal).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const ids = acks.map((a) => (a as any).data.message.id);
    expect(ids[30]).toBe(ids[7]);
    expect(new Set(ids).size).toBe(30);
    const history = ok(await users[1].api.get(`/api/conversations/${group.id}/messages?limit=100`));
    const stored = history.items.filter((m: any) => m.text.startsWith('together'));
    expect(stored.map((m: any) => m.id).sort()).toEqual([...new Set(ids)].sort());
    expect(history.items.some((m: any) => m.text === 'not a member')).toBe(false);
    await waitFor(() => watcher.received.filter((e) => e.type === 'message.created' && (e.data as any).message.text.startsWith('together')).length >= 30, { what: 'all 30 pushed' });
    const pushed = watcher.received.filter((e) => e.stream === `conversation:${group.id}` && e.seq > startSeq);
    expect(pushed.map((e) => e.seq)).toEqual(pushed.map((_, i) => startSeq + 1 + i));
    const pushedIds = pushed.filter((e) => e.type === 'message.created').map((e) => (e.data as any).message.id);
    // The stream's order is the order of the ids, which is the order history pages in.
    expect(pushedIds).toEqual([...pushedIds].sort((a, b) => Number(a) - Number(b)));
    expect(new Set(pushedIds).size).toBe(pushedIds.length);
  });

  it('keeps the order of a burst from one sender', async () => {
    const watcher = await device(1);
    const texts = Array.from({ length: 20 }, (_, i) => `burst ${i}`);
    for (const text of texts) await sendText(users[0].api, group.id, text);
    await waitForEvent(watcher, (e) => e.type === 'message.created' && (e.data as any).message.text === 'burst 19');
    const received = watcher.received.filter((e) => e.type === 'message.created' && (e.data as any).message.text.startsWith('burst')).map((e) => (e.data as any).message.text);
    expect(received).toEqual(texts);
    const seqs = watcher.received.filter((e) => e.stream === `conversation:${group.id}`).map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('replies quote a message of the same conversation; another conversation’s message is refused', async () => {
    const original = await sendText(users[1].api, group.id, 'original');
    const reply = ok(await users[2].api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: textBody('reply'), replyToId: original.id }));
    expect(reply.replyTo).toMatchObject({ id: original.id, text: 'original' });
    const other = ok(await users[0].api.post('/api/conversations/direct', { userId: users[3].user.id }));
    const elsewhere = await sendText(users[0].api, other.id, 'elsewhere');
    const refused = await users[0].api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: textBody('x'), replyToId: elsewhere.id });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('bad_request');
    // A non-member learns nothing from replying: 404 whether the quoted message is in the group or not.
    for (const replyToId of [original.id, elsewhere.id]) {
      const probe = await users[3].api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: textBody('probe'), replyToId });
      expect(probe.status).toBe(404);
      expect(probe.body.error.code).toBe('not_found');
    }
  });

  it('a mention notifies the mentioned member through the notification model', async () => {
    const watcher = await device(2);
    const message = ok(await users[0].api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: mentionBody('请看一下 ', users[2].user) }));
    expect(message.mentions).toEqual([users[2].user.id]);
    const event = await waitForEvent(watcher, (e) => e.type === 'notification.created');
    expect((event.data as any).notification).toMatchObject({ kind: 'mention', data: { conversationId: group.id, messageId: message.id } });
  });

  it('a mention shows the name of the user it points at, from the server, not the name the sender typed', async () => {
    const watcher = await device(1);
    const target = users[2].user;
    const forged = (name: string, userId = target.id) => {
      const doc = textBody('批准了 ') as any;
      doc.root.children[0].children.push({ type: 'mention', version: 1, userId, name });
      return doc;
    };
    const nameIn = (body: any) => body.root.children[0].children.find((n: any) => n.type === 'mention')?.name;
    // Over HTTP: the stored message, the push to the others and the history all name the real user.
    const sent = ok(await users[0].api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: forged('CEO 王总') }));
    expect(nameIn(sent.body)).toBe(target.displayName);
    expect(sent.text).toBe(`批准了 @${target.displayName}`);
    const pushed = await waitForEvent(watcher, (e) => e.type === 'message.created' && (e.data as any).message.id === sent.id);
    expect(nameIn((pushed.data as any).message.body)).toBe(target.displayName);
    const history = ok(await users[1].api.get(`/api/conversations/${group.id}/messages?after=${Number(sent.id) - 1}`));
    expect(nameIn(history.items.find((m: any) => m.id === sent.id).body)).toBe(target.displayName);
    // Over the socket, and in an edit.
    const socket = await device(0);
    const ack = await emitWithAck(socket, 'message:send', { conversationId: group.id, clientId: randomUUID(), body: forged('系统管理员') });
    expect(nameIn((ack as any).data.message.body)).toBe(target.displayName);
    const edited = await emitWithAck(socket, 'message:edit', { messageId: (ack as any).data.message.id, body: forged('财务总监') });
    expect(nameIn((edited as any).data.message.body)).toBe(target.displayName);
    // A mention of no user at all is only the text it showed.
    const nobody = ok(await users[0].api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: forged('老板', '999999999') }));
    expect(nameIn(nobody.body)).toBeUndefined();
    expect(nobody.text).toBe('批准了 @老板');
    expect(nobody.mentions).toEqual([]);
  });
});

describe('the sender as the send finds them', () => {
  it('a message carries the author’s name as it is now, also from a socket opened before a rename', async () => {
    const [latecomer] = await createUsers(await server.admin(), 1);
    ok(await users[0].api.post(`/api/conversations/${group.id}/members`, { userIds: [latecomer.user.id] }));
    const socket = await connectSocket(server.url, { token: latecomer.api.token });
    sockets.push(socket);
    const before = await emitWithAck(socket, 'message:send', { conversationId: group.id, clientId: randomUUID(), body: textBody('改名之前') });
    expect((before as any).data.message.author.displayName).toBe(latecomer.user.displayName);
    ok(await (await server.admin()).patch(`/api/users/${latecomer.user.id}`, { displayName: '王经理' }));
    const after = await emitWithAck(socket, 'message:send', { conversationId: group.id, clientId: randomUUID(), body: textBody('改名之后') });
    expect((after as any).data.message.author).toMatchObject({ id: latecomer.user.id, displayName: '王经理' });
    const history = ok(await users[1].api.get(`/api/conversations/${group.id}/messages?limit=5`));
    expect(history.items.at(-1).author.displayName).toBe('王经理');
  });

  it('a sender deactivated without this process hearing of it is refused by the send itself: 401, socket closed, nothing stored', async () => {
    const [leaver] = await createUsers(await server.admin(), 1);
    ok(await users[0].api.post(`/api/conversations/${group.id}/members`, { userIds: [leaver.user.id] }));
    const socket = await connectSocket(server.url, { token: leaver.api.token });
    sockets.push(socket);
    // Warms the process's record of the user as active, then deactivates them in the database only,
    // as if the sign-out had been lost on its way from another server process.
    expect((await emitWithAck(socket, 'message:send', { conversationId: group.id, clientId: randomUUID(), body: textBody('还在') })).ok).toBe(true);
    await server.orm.em.fork().execute(`UPDATE users SET active = false WHERE id = ?`, [leaver.user.id]);
    const closed = waitForDisconnect(socket, 5000);
    const clientId = randomUUID();
    const refused = await emitWithAck(socket, 'message:send', { conversationId: group.id, clientId, body: textBody('不该发出') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await closed).toBe('io server disconnect');
    const history = ok(await users[1].api.get(`/api/conversations/${group.id}/messages?limit=10`));
    expect(history.items.some((m: any) => m.clientId === clientId)).toBe(false);
  });
});

describe('edit and delete', () => {
  it('the author edits and deletes; every change is pushed; a marker stays', async () => {
    const watcher = await device(1);
    const message = await sendText(users[0].api, group.id, 'typo');
    const edited = ok(await users[0].api.patch(`/api/conversations/${group.id}/messages/${message.id}`, { body: textBody('fixed') }));
    expect(edited).toMatchObject({ text: 'fixed' });
    expect(edited.editedAt).not.toBeNull();
    await waitForEvent(watcher, (e) => e.type === 'message.updated' && (e.data as any).message.id === message.id);
    const deleted = ok(await users[0].api.delete(`/api/conversations/${group.id}/messages/${message.id}`));
    expect(deleted).toMatchObject({ body: null, text: '' });
    await waitForEvent(watcher, (e) => e.type === 'message.deleted' && (e.data as any).message.id === message.id);
    const history = ok(await users[1].api.get(`/api/conversations/${group.id}/messages?limit=100`));
    expect(history.items.find((m: any) => m.id === message.id)).toMatchObject({ deletedAt: expect.any(String), text: '' });
  });

  it('another member cannot edit or delete, and nothing changes', async () => {
    const message = await sendText(users[0].api, group.id, 'mine');
    expect((await users[1].api.patch(`/api/conversations/${group.id}/messages/${message.id}`, { body: textBody('hijack') })).status).toBe(403);
    expect((await users[1].api.delete(`/api/conversations/${group.id}/messages/${message.id}`)).status).toBe(403);
    const socket = await device(1);
    const ack = await emitWithAck(socket, 'message:edit', { messageId: message.id, body: textBody('hijack') });
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const history = ok(await users[0].api.get(`/api/conversations/${group.id}/messages?limit=100`));
    expect(history.items.find((m: any) => m.id === message.id)).toMatchObject({ text: 'mine', editedAt: null, deletedAt: null });
  });
});

describe('read positions', () => {
  it('unread counts and read position sync across two devices of one user; receipts reach the group', async () => {
    const [phone, laptop, sender] = [await device(1), await device(1), await device(0)];
    const before = ok<any[]>(await users[1].api.get('/api/conversations')).find((c) => c.id === group.id);
    const m1 = await sendText(users[0].api, group.id, 'unread 1');
    const m2 = await sendText(users[0].api, group.id, 'unread 2');
    const listed = ok<any[]>(await users[1].api.get('/api/conversations')).find((c) => c.id === group.id);
    expect(listed.unreadCount).toBe(before.unreadCount + 2);
    expect(listed.lastMessage.id).toBe(m2.id);
    const ack = await emitWithAck(phone, 'conversation:read', { conversationId: group.id, messageId: m2.id });
    expect(ack).toMatchObject({ ok: true, data: { lastReadMessageId: m2.id, unreadCount: 0 } });
    const onLaptop = await waitForEvent(laptop, (e) => e.type === 'conversation.read');
    expect(onLaptop.data).toMatchObject({ conversationId: group.id, lastReadMessageId: m2.id, unreadCount: 0 });
    const receipt = await waitForEvent(sender, (e) => e.type === 'read.updated' && (e.data as any).userId === users[1].user.id);
    expect((receipt.data as any).lastReadMessageId).toBe(m2.id);
    // Never backwards.
    ok(await users[1].api.post(`/api/conversations/${group.id}/read`, { messageId: m1.id }));
    const members = ok<any[]>(await users[0].api.get(`/api/conversations/${group.id}/members`));
    expect(members.find((m) => m.id === users[1].user.id).lastReadMessageId).toBe(m2.id);
    expect(ok<any[]>(await users[1].api.get('/api/conversations')).find((c) => c.id === group.id).unreadCount).toBe(0);
  });

  it('typing is relayed to the other members and not to outsiders', async () => {
    const [typist, member] = [await device(0), await device(1)];
    const outsider = await connectSocket(server.url, { token: users[3].api.token });
    sockets.push(outsider);
    const seen = new Promise((resolve) => member.once('typing', resolve));
    let outsiderSaw = false;
    outsider.on('typing', () => (outsiderSaw = true));
    expect((await emitWithAck(typist, 'conversation:typing', { conversationId: group.id, typing: true })).ok).toBe(true);
    expect(await seen).toEqual({ conversationId: group.id, userId: users[0].user.id, typing: true });
    expect((await emitWithAck(outsider, 'conversation:typing', { conversationId: group.id, typing: true })).ok).toBe(false);
    expect(outsiderSaw).toBe(false);
  });
});

describe('history', () => {
  it('pages older and newer than a message, chronologically', async () => {
    const direct = ok(await users[2].api.post('/api/conversations/direct', { userId: users[3].user.id }));
    const sent = [];
    for (let i = 0; i < 12; i++) sent.push(await sendText(users[2].api, direct.id, `h${i}`));
    const newest = ok(await users[3].api.get(`/api/conversations/${direct.id}/messages?limit=5`));
    expect(newest.items.map((m: any) => m.text)).toEqual(['h7', 'h8', 'h9', 'h10', 'h11']);
    expect(newest.nextCursor).toBe(newest.items[0].id);
    const older = ok(await users[3].api.get(`/api/conversations/${direct.id}/messages?limit=5&before=${newest.items[0].id}`));
    expect(older.items.map((m: any) => m.text)).toEqual(['h2', 'h3', 'h4', 'h5', 'h6']);
    const oldest = ok(await users[3].api.get(`/api/conversations/${direct.id}/messages?limit=5&before=${older.items[0].id}`));
    expect(oldest.items.map((m: any) => m.text)).toEqual(['h0', 'h1']);
    expect(oldest.nextCursor).toBeNull();
    const newer = ok(await users[3].api.get(`/api/conversations/${direct.id}/messages?limit=3&after=${sent[4].id}`));
    expect(newer.items.map((m: any) => m.text)).toEqual(['h5', 'h6', 'h7']);
    expect(newer.nextCursor).toBe(newer.items.at(-1).id);
  });
});
