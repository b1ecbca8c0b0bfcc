import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok, unique } from '../../support/api.js';
import { createDepartment, createUser, rootDepartment } from '../../support/factories.js';
import { sendText, textBody } from '../../support/chat.js';
import { eventually, fastJobsEnv, localIn } from '../../support/timing.js';

let server: TestServer;
let admin: ApiClient;
let rootId: string;

beforeAll(async () => {
  server = await startTestServer(fastJobsEnv);
  admin = await server.admin();
  rootId = (await rootDepartment(admin)).id;
});
afterAll(() => server?.close());

type Item = { id: string };

/**
 * Every list pages the same way ({ items, nextCursor }, the cursor passed back as `cursorParam`):
 * a page that holds exactly the rows left has no cursor; one row fewer has a cursor leading to a
 * last page of that one row, without a cursor; and walking the list a row at a time meets every
 * row once.
 */
async function expectPaging(api: ApiClient, path: string, cursorParam: string, expected: string[]) {
  const n = expected.length;
  expect(n).toBeGreaterThan(1);
  const get = async (limit: number, cursor?: string) => {
    const url = new URL(path, 'http://list');
    url.searchParams.set('limit', String(limit));
    if (cursor) url.searchParams.set(cursorParam, cursor);
    return ok<{ items: Item[]; nextCursor: string | null }>(await api.get(url.pathname + url.search));
  };

  const whole = await get(n);
  expect(whole.items.map((i) => i.id).sort(), path).toEqual([...expected].sort());
  expect(whole.nextCursor, `${path}: exactly the rows left, no next page`).toBeNull();

  const first = await get(n - 1);
  expect(first.items).toHaveLength(n - 1);
  expect(first.nextCursor, `${path}: one row more than the page`).toEqual(expect.any(String));
  const last = await get(n - 1, first.nextCursor!);
  expect(last.items).toHaveLength(1);
  expect(last.nextCursor, `${path}: the last page`).toBeNull();

  const seen: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages <= n; pages++) {
    const one = await get(1, cursor);
    seen.push(...one.items.map((i) => i.id));
    if (!one.nextCursor) break;
    cursor = one.nextCursor;
  }
  expect(seen.sort(), `${path}: a row at a time`).toEqual([...expected].sort());
}

describe('every list pages with { items, nextCursor }, and exactly `limit` rows left means no next cursor', () => {
  it('notifications', async () => {
    const { user, api } = await createUser(admin, rootId);
    for (const title of ['a', 'b', 'c']) ok(await admin.post('/api/notifications/system', { recipientIds: [user.id], title }), 201);
    const ids = ok<{ items: Item[] }>(await api.get('/api/notifications')).items.map((n) => n.id);
    await expectPaging(api, '/api/notifications', 'before', ids);
  });

  it('reminders, a reminder’s deliveries and the outbox', async () => {
    const department = await createDepartment(admin, unique('Team'), rootId);
    const manager = await createUser(admin, department.id);
    await Promise.all([createUser(admin, department.id), createUser(admin, department.id)]);
    ok(await admin.patch(`/api/departments/${department.id}`, { managerIds: [manager.user.id] }));
    const reminders: string[] = [];
    for (const title of ['one', 'two']) reminders.push(ok(await manager.api.post('/api/reminders', { title, dtstart: localIn('Asia/Shanghai', 86_400_000), timeZone: 'Asia/Shanghai' }), 201).id);
    // Due at once, to the manager's department (three people): three e-mails for one occurrence.
    const due = ok(await manager.api.post('/api/reminders', { title: 'team', dtstart: localIn('Asia/Shanghai', 1200), timeZone: 'Asia/Shanghai', recipients: { self: false, userIds: [], departmentIds: [department.id] } }), 201);
    reminders.push(due.id);
    await expectPaging(manager.api, '/api/reminders', 'before', reminders);
    const deliveries = await eventually(async () => {
      const items = ok<{ items: Item[] }>(await manager.api.get(`/api/reminders/${due.id}/deliveries`)).items;
      return items.length === 3 ? items : null;
    }, { what: 'three deliveries' });
    await expectPaging(manager.api, `/api/reminders/${due.id}/deliveries`, 'before', deliveries.map((d) => d.id));
    const outbox = ok<{ items: Item[] }>(await admin.get('/api/admin/outbox?limit=200')).items;
    await expectPaging(admin, '/api/admin/outbox', 'before', outbox.map((d) => d.id));
  });

  it('customers, neglected customers, a customer’s feed and the team feed', async () => {
    const { api } = await createUser(admin, rootId);
    const prefix = unique('Paged');
    const ids: string[] = [];
    // Two share a tier and a name: the cursor still tells them apart.
    for (const [name, tier] of [[`${prefix} A`, 'gold'], [`${prefix} B`, 'platinum'], [`${prefix} B`, 'platinum'], [`${prefix} C`, 'silver']] as const) {
      ids.push(ok(await api.post('/api/customers', { name, type: 'media', tier }), 201).id);
    }
    await expectPaging(api, `/api/customers?q=${encodeURIComponent(prefix)}`, 'cursor', ids);
    const list = ok<{ items: Item[]; total: number }>(await api.get(`/api/customers?q=${encodeURIComponent(prefix)}&limit=1`));
    expect(list.total).toBe(4);
    // Neglected: platinum and gold nobody contacted, of everyone's; one was contacted once.
    ok(await api.post(`/api/customers/${ids[0]}/contact-records`, { channel: 'call', body: textBody('long ago') }), 201);
    await server.orm.em.fork().execute(`UPDATE customers SET last_contact_at = now() - interval '90 days' WHERE id = ?`, [ids[0]]);
    const neglected = ok<{ items: Item[] }>(await api.get('/api/customers/neglected?limit=200')).items.map((c) => c.id);
    expect(neglected).toEqual(expect.arrayContaining([ids[0], ids[1], ids[2]]));
    await expectPaging(api, '/api/customers/neglected', 'cursor', neglected);

    for (const text of ['one', 'two']) ok(await api.post(`/api/customers/${ids[1]}/comments`, { body: textBody(text) }), 201);
    const feed = ok<{ items: Item[] }>(await api.get(`/api/customers/${ids[1]}/feed`)).items.map((i) => i.id);
    expect(feed).toHaveLength(2);
    await expectPaging(api, `/api/customers/${ids[1]}/feed`, 'before', feed);
    const team = ok<{ items: Item[] }>(await api.get('/api/customers/team-feed?types=media&limit=100')).items.map((i) => i.id);
    await expectPaging(api, '/api/customers/team-feed?types=media', 'before', team);
    await expectPaging(api, '/api/customers/team-feed?types=media&valuableFirst=true', 'cursor', team);
  });

  it('message history, older and newer', async () => {
    const [a, b] = await Promise.all([createUser(admin, rootId), createUser(admin, rootId)]);
    const direct = ok(await a.api.post('/api/conversations/direct', { userId: b.user.id }));
    const sent = [];
    for (const text of ['m1', 'm2', 'm3']) sent.push(await sendText(a.api, direct.id, text));
    await expectPaging(b.api, `/api/conversations/${direct.id}/messages`, 'before', sent.map((m: Item) => m.id));
    await expectPaging(b.api, `/api/conversations/${direct.id}/messages?after=${sent[0].id}`, 'after', sent.slice(1).map((m: Item) => m.id));
  });

  it('the staff directory', async () => {
    const department = await createDepartment(admin, unique('Directory'), rootId);
    const users = await Promise.all([0, 1, 2].map(() => createUser(admin, department.id)));
    await expectPaging(admin, `/api/users?departmentId=${department.id}`, 'cursor', users.map((u) => u.user.id));
  });

  it('refuses a cursor it did not give out', async () => {
    for (const path of ['/api/users?cursor=nonsense', '/api/customers?cursor=bm9uc2Vuc2U', '/api/customers/neglected?cursor=WzEsMiwzXQ']) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.details, path).toEqual([expect.objectContaining({ path: 'cursor', code: 'invalid_cursor' })]);
    }
  });
});
