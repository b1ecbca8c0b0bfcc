/**
 * Mentions as Chinese-speaking staff write them: people found by name, pinyin and pinyin initials,
 * best matches first, with their department; a conversation's picker offering only its members;
 * the current name of a renamed user; and @所有人, which a group's owners and admins may send to
 * notify every member once, and nobody else may.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createDepartment, createUser, rootDepartment } from '../../support/factories.js';
import { mentionBody, textBody } from '../../support/chat.js';
import { seedCrowd } from '../../support/crowd.js';
import { connectSocket, emitWithAck } from '../../support/sockets.js';

type Person = { user: { id: string; displayName: string; email: string }; api: ApiClient };

let server: TestServer;
let db: pg.Client;
let admin: ApiClient;
let east: string;
let north: string;
const people: Record<string, Person> = {};

const everyoneBody = (text: string) => {
  const doc = textBody(text) as any;
  doc.root.children[0].children.push({ type: 'mention', version: 1, userId: 'all', name: 'whatever the client says' });
  return doc as Record<string, unknown>;
};
const send = (api: ApiClient, conversationId: string, body: Record<string, unknown>) => api.post(`/api/conversations/${conversationId}/messages`, { clientId: randomUUID(), body });
const candidates = async (api: ApiClient, query: Record<string, string>) =>
  ok<{ id: string; displayName: string; departmentName: string }[]>(await api.get(`/api/users/mention-candidates?${new URLSearchParams(query)}`));
/** Notifications of one message, per recipient. */
async function notifiedBy(messageId: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ recipient_id: string; n: number }>(
    `SELECT recipient_id::text AS recipient_id, count(*)::int AS n FROM notifications WHERE kind = 'mention' AND data->>'messageId' = $1 GROUP BY recipient_id`,
    [messageId],
  );
  return new Map(rows.map((r) => [r.recipient_id, r.n]));
}

beforeAll(async () => {
  server = await startTestServer();
  db = new pg.Client({ connectionString: server.databaseUrl });
  await db.connect();
  admin = await server.admin();
  const root = await rootDepartment(admin);
  east = (await createDepartment(admin, '华东销售部', root.id)).id;
  north = (await createDepartment(admin, '华北销售部', root.id)).id;
  const staff: [string, string, string][] = [
    ['chen', '陈总', east],
    ['wangfang', '王芳', east],
    ['wangfangNorth', '王芳', north],
    ['wangfeng', '王峰', north],
    ['wangfangfang', '汪芳芳', north],
    ['liwangfang', '李王芳', east],
    ['zhangwei', '张伟', north],
    ['shan', '单田芳', north],
    ['left', '王芳离职', east],
  ];
  await Promise.all(staff.map(async ([key, displayName, departmentId]) => (people[key] = await createUser(admin, departmentId, { displayName }))));
  ok(await admin.patch(`/api/users/${people.left.user.id}`, { active: false }));
}, 60_000);
afterAll(async () => {
  await db?.end();
  await server?.close();
});

describe('finding people to mention', () => {
  it('matches name characters, full pinyin and initials, prefix matches first, the viewer’s department first among them', async () => {
    const chen = people.chen.api;
    const ids = (list: { id: string }[]) => list.map((c) => c.id);
    const [wf, wangfangEast, wangfangNorth, wangfeng, wangfangfang, liwangfang, zhangwei] = [
      await candidates(chen, { q: 'wf' }),
      people.wangfang.user.id,
      people.wangfangNorth.user.id,
      people.wangfeng.user.id,
      people.wangfangfang.user.id,
      people.liwangfang.user.id,
      people.zhangwei.user.id,
    ];
    // Initials "wf" start 王芳 (twice), 汪芳芳 (wff) and 王峰; 李王芳 (lwf) only contains them, so comes last
    // although "liwangfang" sorts before them all. The deactivated 王芳离职 is never offered.
    expect(ids(wf)).toEqual([wangfangEast, wangfangNorth, wangfangfang, wangfeng, liwangfang]);
    // The department tells the namesakes apart.
    expect(wf.slice(0, 2).map((c) => [c.displayName, c.departmentName])).toEqual([['王芳', '华东销售部'], ['王芳', '华北销售部']]);

    expect(ids(await candidates(chen, { q: 'wangfang' }))).toEqual([wangfangEast, wangfangNorth, wangfangfang, liwangfang]);
    expect(ids(await candidates(chen, { q: 'Wang Fang' }))).toEqual([wangfangEast, wangfangNorth, wangfangfang, liwangfang]);
    expect(ids(await candidates(chen, { q: '王' }))).toEqual([wangfangEast, wangfangNorth, wangfeng, liwangfang]);
    for (const q of ['zhangwei', 'zw', 'zhang', '张', '张伟']) expect(ids(await candidates(chen, { q }))).toEqual([zhangwei]);
    // A surname read as a surname: 单 is shan, not dan.
    expect(ids(await candidates(chen, { q: 'stf' }))).toEqual([people.shan.user.id]);
    expect(ids(await candidates(chen, { q: 'shantian' }))).toEqual([people.shan.user.id]);
    expect(await candidates(chen, { q: 'dantianfang' })).toEqual([]);
    // Nobody is offered themselves; the limit holds; a bad query is a 400.
    expect(ids(await candidates(chen, { q: 'chen' }))).not.toContain(people.chen.user.id);
    expect(await candidates(chen, { q: '', limit: '3' })).toHaveLength(3);
    expect((await chen.get('/api/users/mention-candidates?limit=0')).status).toBe(400);

    // The directory finds people by pinyin too, and answers for given ids.
    const directory = ok(await chen.get('/api/users?q=wf'));
    expect(directory.items.map((u: any) => u.id).sort()).toEqual([wangfangEast, wangfangNorth, wangfangfang, wangfeng].sort());
    const named = ok(await chen.get(`/api/users?ids=${zhangwei},${wangfeng}`));
    expect(named.items.map((u: any) => u.displayName).sort()).toEqual(['张伟', '王峰'].sort());
    expect((await chen.get('/api/users?ids=1,x')).status).toBe(400);
  });

  it('in a conversation offers only its members, and to its members only', async () => {
    const group = ok(await people.chen.api.post('/api/conversations', { name: '华东项目组', memberIds: [people.wangfang.user.id, people.wangfeng.user.id] }), 201);
    const found = await candidates(people.chen.api, { q: 'wf', conversationId: group.id });
    expect(found.map((c) => c.id)).toEqual([people.wangfang.user.id, people.wangfeng.user.id]);
    const outsider = await people.zhangwei.api.get(`/api/users/mention-candidates?q=wf&conversationId=${group.id}`);
    expect(outsider.status).toBe(404);
    expect(outsider.body.error.code).toBe('not_found');
  });

  it('a renamed user is found by the new name’s pinyin, and the directory gives the new name for an old mention', async () => {
    const pair = ok(await people.chen.api.post('/api/conversations/direct', { userId: people.zhangwei.user.id }));
    const sent = ok(await send(people.chen.api, pair.id, mentionBody('请看', people.zhangwei.user)), 201);
    expect(sent.body.root.children[0].children[1]).toMatchObject({ type: 'mention', userId: people.zhangwei.user.id, name: '张伟' });
    ok(await admin.patch(`/api/users/${people.zhangwei.user.id}`, { displayName: '刘伟' }));
    expect((await candidates(people.chen.api, { q: 'liuwei' })).map((c) => c.id)).toEqual([people.zhangwei.user.id]);
    expect(await candidates(people.chen.api, { q: 'zw' })).toEqual([]);
    const named = ok(await people.chen.api.get(`/api/users?ids=${people.zhangwei.user.id}`));
    expect(named.items.map((u: any) => u.displayName)).toEqual(['刘伟']);
    ok(await admin.patch(`/api/users/${people.zhangwei.user.id}`, { displayName: '张伟' }));
  });
});

describe('@所有人', () => {
  it('from an owner or an admin notifies every other member exactly once; from a member it is refused and notifies nobody', async () => {
    // 40 more members written straight into the database, to show the notification reaches a crowd.
    const { members: crowd } = await seedCrowd(db, { users: 40, departments: 3, prefix: 'mention-crowd' });
    const [owner, admin2, member] = [people.chen, people.wangfang, people.wangfeng];
    const group = ok(
      await owner.api.post('/api/conversations', { name: '全员群', memberIds: [admin2.user.id, member.user.id, people.shan.user.id, ...crowd.map((c) => c.id)] }),
      201,
    );
    ok(await owner.api.patch(`/api/conversations/${group.id}/members/${admin2.user.id}`, { role: 'admin' }));
    const others = [admin2, member, people.shan].map((p) => p.user.id).concat(crowd.map((c) => c.id));
    expect(ok(await member.api.get(`/api/conversations/${group.id}`)).can.mentionEveryone).toBe(false);
    expect(ok(await owner.api.get(`/api/conversations/${group.id}`)).can.mentionEveryone).toBe(true);

    // The owner: everyone but the owner, once, even the member also mentioned by name.
    const body = everyoneBody('明早九点开会 ');
    (body as any).root.children[0].children.push({ type: 'mention', version: 1, userId: member.user.id, name: member.user.displayName });
    const fromOwner = ok(await send(owner.api, group.id, body), 201);
    expect(fromOwner.body.root.children[0].children[1]).toEqual({ type: 'mention', version: 1, userId: 'all', name: '所有人' });
    expect(fromOwner.text).toBe(`明早九点开会 @所有人@${member.user.displayName}`);
    const notified = await notifiedBy(fromOwner.id);
    expect([...notified.keys()].sort()).toEqual([...others].sort());
    expect([...notified.values()].every((n) => n === 1)).toBe(true);
    const [note] = ok(await member.api.get('/api/notifications')).items;
    expect(note).toMatchObject({ kind: 'mention', title: `陈总 @所有人 · 全员群`, data: { messageId: fromOwner.id, everyone: true } });

    // A group admin may too.
    const fromAdmin = ok(await send(admin2.api, group.id, everyoneBody('请大家看公告 ')), 201);
    expect([...(await notifiedBy(fromAdmin.id)).keys()].sort()).toEqual([owner.user.id, ...others.filter((id) => id !== admin2.user.id)].sort());

    // A member, over HTTP and over the socket: refused, nothing stored, nobody notified.
    const before = ok(await member.api.get(`/api/conversations/${group.id}/messages?limit=100`)).items.length;
    const notificationsBefore = Number((await db.query(`SELECT count(*) FROM notifications`)).rows[0].count);
    const refused = await send(member.api, group.id, everyoneBody('我也想通知大家 '));
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const socket = await connectSocket(server.url, { token: member.api.token });
    const ack = await emitWithAck(socket, 'message:send', { conversationId: group.id, clientId: randomUUID(), body: everyoneBody('再试一次 ') });
    socket.close();
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(ok(await member.api.get(`/api/conversations/${group.id}/messages?limit=100`)).items.length).toBe(before);
    expect(Number((await db.query(`SELECT count(*) FROM notifications`)).rows[0].count)).toBe(notificationsBefore);

    // Nor may a member edit one in; the owner may edit theirs, which notifies nobody again.
    const plain = ok(await send(member.api, group.id, textBody('普通消息')), 201);
    expect((await member.api.patch(`/api/conversations/${group.id}/messages/${plain.id}`, { body: everyoneBody('改成 ') })).status).toBe(403);
    const edited = await owner.api.patch(`/api/conversations/${group.id}/messages/${fromOwner.id}`, { body: everyoneBody('改到十点开会 ') });
    expect(edited.status).toBe(200);
    expect((await notifiedBy(fromOwner.id)).size).toBe(others.length);
    expect(Number((await db.query(`SELECT count(*) FROM notifications`)).rows[0].count)).toBe(notificationsBefore);

    // A direct conversation has no "everyone".
    const pair = ok(await owner.api.post('/api/conversations/direct', { userId: member.user.id }));
    expect((await send(owner.api, pair.id, everyoneBody('你好 '))).status).toBe(403);
  });
});
