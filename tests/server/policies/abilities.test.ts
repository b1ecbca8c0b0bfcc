import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { localIn } from '../../support/timing.js';

let server: TestServer;
let admin: ApiClient;
let org: Awaited<ReturnType<typeof buildOrg>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  org = await buildOrg(admin);
});
afterAll(() => server?.close());

/** What each object says its viewer may do (`can`) is what the server then allows: checked from both sides. */
describe('objects carry what the user may do with them', () => {
  it('me: administer, and address reminders to subordinates', async () => {
    expect(ok(await admin.get('/api/me')).can).toEqual({ administer: true, addressSubordinates: false, viewDashboard: true });
    expect(ok(await org.e.api.get('/api/me')).can).toEqual({ administer: false, addressSubordinates: true, viewDashboard: true });
    expect(ok(await org.a.api.get('/api/me')).can).toEqual({ administer: false, addressSubordinates: false, viewDashboard: false });
  });

  it('a conversation, as its owner, an admin, a member and in a direct conversation', async () => {
    const { a, b, c } = org;
    const group = ok(await a.api.post('/api/conversations', { name: 'abilities', memberIds: [b.user.id, c.user.id] }), 201);
    ok(await a.api.patch(`/api/conversations/${group.id}/members/${b.user.id}`, { role: 'admin' }));
    const as = async (api: ApiClient) => ok(await api.get(`/api/conversations/${group.id}`)).can;
    expect(await as(a.api)).toEqual({ rename: true, addMembers: true, removeMembers: true, removeOwners: true, changeRoles: true, leave: true, mentionEveryone: true });
    expect(await as(b.api)).toEqual({ rename: true, addMembers: true, removeMembers: true, removeOwners: false, changeRoles: false, leave: true, mentionEveryone: true });
    expect(await as(c.api)).toEqual({ rename: false, addMembers: false, removeMembers: false, removeOwners: false, changeRoles: false, leave: true, mentionEveryone: false });
    // What the flags say is refused is refused.
    expect((await c.api.patch(`/api/conversations/${group.id}`, { name: 'no' })).status).toBe(403);
    expect((await b.api.delete(`/api/conversations/${group.id}/members/${a.user.id}`)).status).toBe(403);
    expect((await b.api.patch(`/api/conversations/${group.id}/members/${c.user.id}`, { role: 'admin' })).status).toBe(403);
    const direct = ok(await a.api.post('/api/conversations/direct', { userId: c.user.id }));
    expect(direct.can).toEqual({ rename: false, addMembers: false, removeMembers: false, removeOwners: false, changeRoles: false, leave: false, mentionEveryone: false });
    expect((await a.api.post(`/api/conversations/${direct.id}/leave`)).status).toBe(403);
  });

  it('a customer: its owner and their superiors may change it, a colleague who sees it may not', async () => {
    const { a, m, c } = org;
    const customer = ok(await a.api.post('/api/customers', { name: 'Abilities Ltd', type: 'partner', tier: 'silver' }), 201);
    expect(customer.can).toEqual({ edit: true });
    expect(ok(await m.api.get(`/api/customers/${customer.id}`)).can).toEqual({ edit: true });
    expect(ok(await admin.get(`/api/customers/${customer.id}`)).can).toEqual({ edit: true });
    expect(ok(await c.api.get(`/api/customers/${customer.id}`)).can).toEqual({ edit: false });
    expect((await c.api.patch(`/api/customers/${customer.id}`, { notes: 'no' })).status).toBe(403);
  });

  it('a schedule entry: its owner edits, superiors annotate, both reply; a colleague it is shared with does neither', async () => {
    const { a, b, e, m } = org;
    const day = localIn('Asia/Shanghai', 86_400_000).slice(0, 10);
    const entry = ok(await a.api.post('/api/schedule/entries', { kind: 'call', title: 'abilities', start: `${day}T10:00`, end: `${day}T11:00`, shared: true }), 201);
    expect(entry.can).toEqual({ edit: true, annotate: false, reply: true });
    expect(ok(await e.api.get(`/api/schedule/entries/${entry.id}`)).can).toEqual({ edit: false, annotate: true, reply: true });
    expect(ok(await b.api.get(`/api/schedule/entries/${entry.id}`)).can).toEqual({ edit: false, annotate: false, reply: false });
    // Lists say the same: a superior's view of the team, of one person and of the department; a colleague's of the department.
    const range = `from=${day}T00:00:00%2B08:00&to=${day}T23:59:00%2B08:00`;
    const find = (list: { data: { id: string; can: unknown }[] }) => list.data.find((x) => x.id === entry.id)?.can;
    expect(find(ok(await m.api.get(`/api/schedule/team?${range}`)))).toEqual({ edit: false, annotate: true, reply: true });
    expect(find(ok(await e.api.get(`/api/schedule/entries?userId=${a.user.id}&${range}`)))).toEqual({ edit: false, annotate: true, reply: true });
    expect(find(ok(await e.api.get(`/api/schedule/departments/${org.departments.east.id}?${range}`)))).toEqual({ edit: false, annotate: true, reply: true });
    expect(find(ok(await b.api.get(`/api/schedule/departments/${org.departments.east.id}?${range}`)))).toEqual({ edit: false, annotate: false, reply: false });
    expect(find(ok(await a.api.get(`/api/schedule/entries?${range}`)))).toEqual({ edit: true, annotate: false, reply: true });
    expect((await b.api.post(`/api/schedule/entries/${entry.id}/annotations`, { body: { root: { type: 'root', children: [] } } })).status).toBe(403);
  });

  it('a reminder: one an entry keeps can be paused but not edited or deleted', async () => {
    const { a } = org;
    const own = ok(await a.api.post('/api/reminders', { title: 'mine', dtstart: localIn('Asia/Shanghai', 86_400_000), timeZone: 'Asia/Shanghai' }), 201);
    expect(own.can).toEqual({ edit: true, delete: true, pause: true, resume: false });
    const day = localIn('Asia/Shanghai', 2 * 86_400_000).slice(0, 10);
    ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: 'kept', start: `${day}T10:00`, end: `${day}T11:00`, reminderOffsets: [30] }), 201);
    const kept = ok(await a.api.get('/api/reminders?limit=100')).items.find((r: any) => r.source?.kind === 'entry');
    expect(kept.can).toEqual({ edit: false, delete: false, pause: true, resume: false });
    expect((await a.api.delete(`/api/reminders/${kept.id}`)).status).toBe(409);
    expect(ok(await a.api.post(`/api/reminders/${own.id}/pause`)).can).toEqual({ edit: true, delete: true, pause: false, resume: true });
  });
});
