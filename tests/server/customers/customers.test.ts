import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { mentionBody, textBody } from '../../support/chat.js';
import { connectSocket, emitWithAck, waitForEvent, type TestSocket } from '../../support/sockets.js';

let server: TestServer;
let admin: ApiClient;
let org: Awaited<ReturnType<typeof buildOrg>>;
const sockets: TestSocket[] = [];
const customer = (name: string, extra: Record<string, unknown> = {}) => ({ name, type: 'end_customer', tier: 'gold', ...extra });

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  org = await buildOrg(admin);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
});

describe('customers and contacts', () => {
  it('creates a customer with owners and contacts, and refuses bad input without writing', async () => {
    const { a, b } = org;
    const created = ok(await a.api.post('/api/customers', customer('华夏贸易', { contacts: [{ name: '王经理', title: '采购', phone: '13800138000', birthday: '1980-02-29' }] })), 201);
    expect(created).toMatchObject({ name: '华夏贸易', tier: 'gold', prospectClass: null, owners: [{ id: a.user.id }], contacts: [{ name: '王经理', birthday: '1980-02-29' }] });
    const total = ok(await a.api.get('/api/customers')).total;
    for (const body of [
      customer('both', { prospectClass: 'A' }),
      customer('', {}),
      customer('bad type', { type: 'friend' }),
      customer('bad birthday', { contacts: [{ name: 'x', birthday: '1981-02-29' }] }),
      customer('ghost owner', { ownerIds: ['999999'] }),
    ]) {
      const res = await a.api.post('/api/customers', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toMatch(/validation_failed|bad_request/);
    }
    expect(ok(await a.api.get('/api/customers')).total).toBe(total);
    // Only owners, their superiors and admins change it; a colleague who sees it gets 403.
    expect((await b.api.patch(`/api/customers/${created.id}`, { name: 'mine now' })).status).toBe(403);
    expect((await b.api.post(`/api/customers/${created.id}/contacts`, { name: 'spy' })).status).toBe(403);
    const contact = ok(await org.e.api.post(`/api/customers/${created.id}/contacts`, { name: '李总', email: 'li@example.com' }), 201);
    ok(await a.api.patch(`/api/customers/${created.id}/contacts/${contact.id}`, { title: '总经理' }));
    expect(ok(await a.api.get(`/api/customers/${created.id}`)).contacts.map((c: any) => c.title).sort()).toEqual(['总经理', '采购']);
    // A change names only what changes: the other fields of the contact stay as they were.
    const wang = created.contacts[0];
    expect(ok(await a.api.patch(`/api/customers/${created.id}/contacts/${wang.id}`, { phone: '13900139000' }))).toMatchObject({ name: '王经理', title: '采购', phone: '13900139000', birthday: '1980-02-29' });
    expect(ok(await a.api.patch(`/api/customers/${created.id}/contacts/${contact.id}`, { birthday: null }))).toMatchObject({ title: '总经理', email: 'li@example.com', birthday: null });
  });

  it('the organisation setting decides who sees a customer: everyone, or owners and their superiors', async () => {
    const { a, b, e, m, s, c } = org;
    const mine = ok(await a.api.post('/api/customers', customer('Owners only Ltd')), 201);
    for (const viewer of [b, c, s]) expect((await viewer.api.get(`/api/customers/${mine.id}`)).status).toBe(200);
    expect((await a.api.patch('/api/settings', { customerVisibility: 'owners' })).status).toBe(403);
    ok(await admin.patch('/api/settings', { customerVisibility: 'owners' }));
    try {
      for (const viewer of [a, e, m]) expect((await viewer.api.get(`/api/customers/${mine.id}`)).status).toBe(200);
      for (const viewer of [b, c, s]) {
        expect((await viewer.api.get(`/api/customers/${mine.id}`)).status).toBe(404);
        expect((await viewer.api.get(`/api/customers/${mine.id}/feed`)).status).toBe(404);
        expect((await viewer.api.post(`/api/customers/${mine.id}/follow`)).status).toBe(404);
        expect((await viewer.api.post(`/api/customers/${mine.id}/comments`, { body: textBody('hi') })).status).toBe(404);
        expect(ok<{ items: any[] }>(await viewer.api.get('/api/customers?q=Owners only')).items).toEqual([]);
        expect(ok<{ items: any[] }>(await viewer.api.get('/api/customers/team-feed')).items.filter((i: any) => i.customerId === mine.id)).toEqual([]);
        // Linking an entry to an invisible customer is refused like an unknown one.
        expect((await viewer.api.post('/api/schedule/entries', { kind: 'visit', title: 'x', start: '2026-03-02T10:00', end: '2026-03-02T11:00', customerId: mine.id })).status).toBe(404);
      }
      const socket = await connectSocket(server.url, { token: c.api.token });
      sockets.push(socket);
      expect(((await emitWithAck(socket, 'sync', { streams: { [`customer:${mine.id}`]: 0 } })) as any).data.refused).toEqual([`customer:${mine.id}`]);
      expect(ok<{ items: any[] }>(await e.api.get('/api/customers?q=Owners only')).items.map((x: any) => x.id)).toEqual([mine.id]);
      // Mentioning someone who may not see the customer does not show them the comment; a superior is told.
      ok(await a.api.post(`/api/customers/${mine.id}/comments`, { body: mentionBody('see this ', c.user) }), 201);
      ok(await a.api.post(`/api/customers/${mine.id}/comments`, { body: mentionBody('see this ', e.user) }), 201);
      expect(ok<{ items: any[] }>(await c.api.get('/api/notifications')).items.filter((n: any) => n.kind === 'mention')).toEqual([]);
      expect(ok<{ items: any[] }>(await e.api.get('/api/notifications')).items.filter((n: any) => n.kind === 'mention')).toHaveLength(1);
    } finally {
      ok(await admin.patch('/api/settings', { customerVisibility: 'everyone' }));
    }
  });
});

describe('the customer feed', () => {
  it('pushes comments, contact records, entries, results and tier changes live to a follower, newest first', async () => {
    const { a, b } = org;
    const acme = ok(await a.api.post('/api/customers', customer('Acme feed', { contacts: [{ name: 'Zhao' }] })), 201);
    ok(await b.api.post(`/api/customers/${acme.id}/follow`));
    expect(ok<{ items: any[] }>(await b.api.get('/api/customers?following=true')).items.map((x: any) => x.id)).toEqual([acme.id]);
    const socket = await connectSocket(server.url, { token: b.api.token });
    sockets.push(socket);
    await emitWithAck(socket, 'sync', { streams: { [`customer:${acme.id}`]: 0 } });

    const visit = ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: 'Visit Acme', start: '2026-03-02T10:00', end: '2026-03-02T11:00', customerId: acme.id, contactIds: [acme.contacts[0].id] }), 201);
    await waitForEvent(socket, (ev) => ev.type === 'feed.item' && (ev.data as any).item.kind === 'entry');
    ok(await a.api.put(`/api/schedule/entries/${visit.id}/result`, { result: textBody('Signed the order') }));
    const result = await waitForEvent(socket, (ev) => (ev.data as any).item?.kind === 'result');
    expect((result.data as any).item).toMatchObject({ customerId: acme.id, text: 'Signed the order', entryId: visit.id, actor: { id: a.user.id } });
    ok(await b.api.post(`/api/customers/${acme.id}/comments`, { body: mentionBody('Great, ', a.user) }), 201);
    ok(await b.api.post(`/api/customers/${acme.id}/contact-records`, { channel: 'call', body: textBody('Called about delivery') }), 201);
    ok(await a.api.patch(`/api/customers/${acme.id}`, { tier: 'platinum' }));
    const tier = await waitForEvent(socket, (ev) => (ev.data as any).item?.kind === 'tier_change');
    expect((tier.data as any).item.data).toEqual({ from: { tier: 'gold', prospectClass: null }, to: { tier: 'platinum', prospectClass: null } });

    const feed = ok(await b.api.get(`/api/customers/${acme.id}/feed`));
    expect(feed.items.map((i: any) => i.kind)).toEqual(['tier_change', 'contact_record', 'comment', 'result', 'entry']);
    expect(ok<{ items: any[] }>(await a.api.get('/api/notifications?limit=1')).items[0]).toMatchObject({ kind: 'mention' });
    // Paging walks back without repeats.
    const first = ok(await b.api.get(`/api/customers/${acme.id}/feed?limit=2`));
    const second = ok(await b.api.get(`/api/customers/${acme.id}/feed?limit=2&before=${first.nextCursor}`));
    expect(second.items.map((i: any) => i.kind)).toEqual(['comment', 'result']);
    expect(ok(await a.api.get(`/api/customers/${acme.id}`)).lastContactAt).not.toBeNull();
  });

  it('the team feed filters by tier and type and puts the most valuable tiers first when asked; neglected customers are listed', async () => {
    const { c } = org;
    const ids: Record<string, string> = {};
    for (const [name, tier, type] of [['T silver', 'silver', 'channel'], ['T platinum', 'platinum', 'end_customer'], ['T gold', 'gold', 'end_customer']] as const) {
      ids[tier] = ok(await c.api.post('/api/customers', customer(name, { tier, type })), 201).id;
    }
    // Newest comment on silver, oldest on platinum.
    for (const tier of ['platinum', 'gold', 'silver']) ok(await c.api.post(`/api/customers/${ids[tier]}/comments`, { body: textBody(`note ${tier}`) }), 201);
    const ours = (list: any[]) => list.filter((i) => Object.values(ids).includes(i.customerId)).map((i) => i.tier);
    expect(ours(ok<{ items: any[] }>(await c.api.get('/api/customers/team-feed?limit=100')).items)).toEqual(['silver', 'gold', 'platinum']);
    expect(ours(ok<{ items: any[] }>(await c.api.get('/api/customers/team-feed?limit=100&valuableFirst=true')).items)).toEqual(['platinum', 'gold', 'silver']);
    expect(ours(ok<{ items: any[] }>(await c.api.get('/api/customers/team-feed?limit=100&tiers=gold,silver')).items)).toEqual(['silver', 'gold']);
    expect(ours(ok<{ items: any[] }>(await c.api.get('/api/customers/team-feed?limit=100&types=channel')).items)).toEqual(['silver']);
    expect(ok<{ items: any[] }>(await c.api.get('/api/customers/team-feed?limit=5&types=channel')).items.every((i: any) => i.customerType === 'channel')).toBe(true);
    expect((await c.api.get('/api/customers/team-feed?tiers=diamond')).status).toBe(400);
    // Paging the valuable-first order with its cursor.
    const page1 = ok(await c.api.get('/api/customers/team-feed?limit=1&valuableFirst=true'));
    const page2 = ok(await c.api.get(`/api/customers/team-feed?limit=1&valuableFirst=true&cursor=${page1.nextCursor}`));
    expect(page2.items[0].id).not.toBe(page1.items[0].id);

    const neglected = ok<{ items: any[] }>(await c.api.get('/api/customers/neglected?days=30')).items;
    expect(neglected.map((x) => x.id)).toEqual(expect.arrayContaining([ids.platinum, ids.gold]));
    expect(neglected.map((x) => x.id)).not.toContain(ids.silver);
    ok(await c.api.post(`/api/customers/${ids.gold}/contact-records`, { channel: 'visit', body: textBody('Dropped by') }), 201);
    expect(ok<{ items: any[] }>(await c.api.get('/api/customers/neglected?days=30')).items.map((x) => x.id)).not.toContain(ids.gold);
  });
});
