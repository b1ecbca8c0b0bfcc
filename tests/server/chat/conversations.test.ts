import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { connectSocket, emitWithAck, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { createUsers, sendText, textBody } from '../../support/chat.js';

let server: TestServer;
let u: { user: any; api: ApiClient }[];
const sockets: TestSocket[] = [];
const connect = async (i: number) => {
  const s = await connectSocket(server.url, { token: u[i].api.token });
  sockets.push(s);
  return s;
};

beforeAll(async () => {
  server = await startTestServer();
  u = await createUsers(await server.admin(), 6);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
});

describe('direct conversations', () => {
  it('asking again, from either side, returns the same conversation', async () => {
    const first = await u[0].api.post('/api/conversations/direct', { userId: u[1].user.id });
    const again = await u[0].api.post('/api/conversations/direct', { userId: u[1].user.id });
    const otherSide = await u[1].api.post('/api/conversations/direct', { userId: u[0].user.id });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(otherSide.body.data.id).toBe(first.body.data.id);
    expect(first.body.data).toMatchObject({ kind: 'direct', memberCount: 2, peer: { id: u[1].user.id } });
    expect((await u[0].api.post('/api/conversations/direct', { userId: u[0].user.id })).status).toBe(400);
    expect((await u[0].api.post('/api/conversations/direct', { userId: '999999' })).status).toBe(400);
  });
});

describe('groups', () => {
  it('creating a group pushes it to every member’s devices and lists it newest first', async () => {
    const memberSocket = await connect(1);
    await emitWithAck(memberSocket, 'sync', { streams: { [`user:${u[1].user.id}`]: 0 } });
    const group = ok(await u[0].api.post('/api/conversations', { name: '项目组', memberIds: [u[1].user.id, u[2].user.id] }), 201);
    expect(group).toMatchObject({ kind: 'group', name: '项目组', memberCount: 3, myRole: 'owner' });
    const joined = await waitForEvent(memberSocket, (e) => e.type === 'conversation.joined' && (e.data as any).conversation.id === group.id);
    expect((joined.data as any).conversation.myRole).toBe('member');
    const older = ok(await u[1].api.post('/api/conversations', { name: 'older', memberIds: [] }), 201);
    await sendText(u[0].api, group.id, 'newest activity');
    const list = ok<any[]>(await u[1].api.get('/api/conversations'));
    expect(list.findIndex((c) => c.id === group.id)).toBeLessThan(list.findIndex((c) => c.id === older.id));
    expect(list.find((c) => c.id === group.id).lastMessage.text).toBe('newest activity');
  });

  it('owners and admins add and remove members; changes become system messages pushed live; removed members lose access', async () => {
    const group = ok(await u[0].api.post('/api/conversations', { name: 'ops', memberIds: [u[1].user.id] }), 201);
    const watcher = await connect(1);
    await emitWithAck(watcher, 'sync', { streams: { [`conversation:${group.id}`]: group.seq } });
    ok(await u[0].api.post(`/api/conversations/${group.id}/members`, { userIds: [u[2].user.id, u[3].user.id] }));
    const added = await waitForEvent(watcher, (e) => e.type === 'message.created' && (e.data as any).message.system?.action === 'added');
    expect((added.data as any).message.system.userIds.sort()).toEqual([u[2].user.id, u[3].user.id].sort());
    await waitForEvent(watcher, (e) => e.type === 'member.added');
    // A plain member cannot manage; promoted to admin they can.
    expect((await u[1].api.post(`/api/conversations/${group.id}/members`, { userIds: [u[4].user.id] })).status).toBe(403);
    expect((await u[1].api.delete(`/api/conversations/${group.id}/members/${u[2].user.id}`)).status).toBe(403);
    expect((await u[1].api.patch(`/api/conversations/${group.id}`, { name: 'mine now' })).status).toBe(403);
    ok(await u[0].api.patch(`/api/conversations/${group.id}/members/${u[1].user.id}`, { role: 'admin' }));
    expect((await u[1].api.patch(`/api/conversations/${group.id}/members/${u[2].user.id}`, { role: 'admin' })).status).toBe(403);
    const removedSocket = await connect(3);
    await emitWithAck(removedSocket, 'sync', { streams: { [`conversation:${group.id}`]: 0, [`user:${u[3].user.id}`]: 0 } });
    expect((await u[1].api.delete(`/api/conversations/${group.id}/members/${u[3].user.id}`)).status).toBe(204);
    expect((await u[1].api.delete(`/api/conversations/${group.id}/members/${u[0].user.id}`)).status).toBe(403);
    await waitForEvent(removedSocket, (e) => e.type === 'conversation.left');
    // The removed member no longer receives the conversation's events, reads or sends.
    const after = await sendText(u[0].api, group.id, 'after removal');
    await waitForEvent(watcher, (e) => e.type === 'message.created' && (e.data as any).message.id === after.id);
    expect(removedSocket.received.some((e) => e.type === 'message.created' && (e.data as any).message.id === after.id)).toBe(false);
    expect((await u[3].api.get(`/api/conversations/${group.id}/messages`)).status).toBe(404);
    expect((await u[3].api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: textBody('x') })).status).toBe(404);
    const sync = await emitWithAck(removedSocket, 'sync', { streams: { [`conversation:${group.id}`]: 0 } });
    expect(sync).toMatchObject({ ok: true, data: { events: [], refused: [`conversation:${group.id}`] } });
    ok(await u[1].api.patch(`/api/conversations/${group.id}`, { name: 'ops 2' }));
    const members = ok<any[]>(await u[0].api.get(`/api/conversations/${group.id}/members`));
    expect(members.map((m) => m.id).sort()).toEqual([u[0].user.id, u[1].user.id, u[2].user.id].sort());
  });

  it('the last owner leaving hands ownership to an admin first, else the longest member', async () => {
    const group = ok(await u[0].api.post('/api/conversations', { name: 'handover', memberIds: [u[1].user.id, u[2].user.id] }), 201);
    ok(await u[0].api.patch(`/api/conversations/${group.id}/members/${u[2].user.id}`, { role: 'admin' }));
    expect((await u[0].api.post(`/api/conversations/${group.id}/leave`)).status).toBe(204);
    let members = ok<any[]>(await u[1].api.get(`/api/conversations/${group.id}/members`));
    expect(members.find((m) => m.id === u[2].user.id).role).toBe('owner');
    expect(members.some((m) => m.id === u[0].user.id)).toBe(false);
    expect((await u[2].api.post(`/api/conversations/${group.id}/leave`)).status).toBe(204);
    members = ok<any[]>(await u[1].api.get(`/api/conversations/${group.id}/members`));
    expect(members).toEqual([expect.objectContaining({ id: u[1].user.id, role: 'owner' })]);
    const history = ok(await u[1].api.get(`/api/conversations/${group.id}/messages`));
    expect(history.items.filter((m: any) => m.kind === 'system').map((m: any) => m.system.action)).toEqual(['created', 'left', 'ownerChanged', 'left', 'ownerChanged']);
  });

  it('a direct conversation cannot be left or managed', async () => {
    const direct = ok(await u[4].api.post('/api/conversations/direct', { userId: u[5].user.id }));
    expect((await u[4].api.post(`/api/conversations/${direct.id}/leave`)).status).toBe(403);
    expect((await u[4].api.post(`/api/conversations/${direct.id}/members`, { userIds: [u[0].user.id] })).status).toBe(403);
  });
});

describe('refusals from the side of a non-member', () => {
  it('cannot read, send, see members, follow events, or learn that the conversation exists', async () => {
    const group = ok(await u[0].api.post('/api/conversations', { name: 'secret', memberIds: [u[1].user.id] }), 201);
    const message = await sendText(u[0].api, group.id, 'secret text');
    const outsider = u[5].api;
    const missing = '987654321';
    for (const id of [group.id, missing]) {
      for (const res of [
        await outsider.get(`/api/conversations/${id}`),
        await outsider.get(`/api/conversations/${id}/messages`),
        await outsider.get(`/api/conversations/${id}/members`),
        await outsider.post(`/api/conversations/${id}/messages`, { clientId: randomUUID(), body: textBody('hi') }),
        await outsider.patch(`/api/conversations/${id}`, { name: 'x' }),
        await outsider.post(`/api/conversations/${id}/members`, { userIds: [u[5].user.id] }),
        await outsider.post(`/api/conversations/${id}/read`, { messageId: message.id }),
        await outsider.post(`/api/conversations/${id}/leave`),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.error).toEqual({ code: 'not_found', message: 'The conversation was not found' });
      }
    }
    expect((await outsider.patch(`/api/conversations/${group.id}/messages/${message.id}`, { body: textBody('x') })).status).toBe(404);
    expect((await outsider.get('/api/conversations/not-a-number/messages')).status).toBe(404);
    expect(ok<any[]>(await outsider.get('/api/conversations')).some((c) => c.id === group.id)).toBe(false);

    const socket = await connect(5);
    for (const [event, payload] of [
      ['message:send', { conversationId: group.id, clientId: randomUUID(), body: textBody('x') }],
      ['message:edit', { messageId: message.id, body: textBody('x') }],
      ['message:delete', { messageId: message.id }],
      ['conversation:read', { conversationId: group.id, messageId: message.id }],
      ['conversation:typing', { conversationId: group.id, typing: true }],
    ] as const) {
      expect(await emitWithAck(socket, event, payload)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    const sync = await emitWithAck(socket, 'sync', { streams: { [`conversation:${group.id}`]: 0 } });
    expect(sync).toMatchObject({ ok: true, data: { events: [], refused: [`conversation:${group.id}`] } });
    await sendText(u[0].api, group.id, 'still secret');
    const history = ok(await u[0].api.get(`/api/conversations/${group.id}/messages`));
    expect(history.items.map((m: any) => m.text)).not.toContain('x');
    expect(socket.received.filter((e) => e.stream === `conversation:${group.id}`)).toEqual([]);
  });

  it('refuses malformed, oversized and empty messages and changes nothing', async () => {
    const group = ok(await u[0].api.post('/api/conversations', { name: 'strict', memberIds: [] }), 201);
    const bad = [
      { clientId: 'short', body: textBody('x') },
      { clientId: randomUUID(), body: { root: { type: 'root', children: [{ type: 'script', children: [] }] } } },
      { clientId: randomUUID(), body: textBody('   ') },
      { clientId: randomUUID(), body: 'plain string' },
      { clientId: randomUUID(), body: textBody('x'), replyToId: 'abc' },
    ];
    for (const payload of bad) {
      const res = await u[0].api.post(`/api/conversations/${group.id}/messages`, payload);
      expect(res.status).toBe(400);
      expect(['validation_failed', 'bad_request']).toContain(res.body.error.code);
    }
    const huge = await u[0].api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: textBody('长'.repeat(200_000)) });
    expect(huge.status).toBe(413);
    const history = ok(await u[0].api.get(`/api/conversations/${group.id}/messages`));
    expect(history.items.filter((m: any) => m.kind === 'text')).toEqual([]);
  });
});

describe('unread counts', () => {
  it('system messages about one’s own action are not unread for the actor, but are for the others', async () => {
    const group = ok(await u[0].api.post('/api/conversations', { name: 'counts', memberIds: [u[1].user.id] }), 201);
    ok(await u[0].api.patch(`/api/conversations/${group.id}`, { name: 'counts 2' }));
    ok(await u[0].api.post(`/api/conversations/${group.id}/members`, { userIds: [u[2].user.id] }));
    const mine = ok<any[]>(await u[0].api.get('/api/conversations')).find((c) => c.id === group.id);
    const theirs = ok<any[]>(await u[1].api.get('/api/conversations')).find((c) => c.id === group.id);
    expect(mine.unreadCount).toBe(0);
    expect(theirs.unreadCount).toBe(2);
  });
});
