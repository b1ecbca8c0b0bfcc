import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { createDepartment, createUser } from '../../support/factories.js';
import { textBody } from '../../support/chat.js';
import { announcementBody, outcome, publish } from '../../support/announcements.js';
import { connectSocket, emitWithAck, nextServerEvent, waitForEvent } from '../../support/sockets.js';
import { DAY, HOUR, MINUTE, TestClock } from '../../support/clock.js';

const clock = new TestClock();
let server: TestServer;
let admin: ApiClient;
let org: Awaited<ReturnType<typeof buildOrg>>;

beforeAll(async () => {
  server = await startTestServer({}, { clock });
  admin = await server.admin();
  org = await buildOrg(admin, { locale: 'en' });
});
afterAll(() => server?.close());

const count = async (sql: string, params: unknown[] = []) => Number((await server.orm.em.fork().execute<{ n: string }[]>(sql, params))[0].n);
const inboxIds = async (api: ApiClient) => ok(await api.get('/api/announcements?box=inbox&limit=100')).items.map((a: any) => a.id);

describe('publishing', () => {
  it('reaches the whole company, a department subtree or named people, resolved into ledger rows when published', async () => {
    const everyone = await publish(admin, 'Company holiday', { everyone: true });
    const active = await count(`SELECT count(*) AS n FROM users WHERE active AND id <> ?`, [admin.me.id]);
    expect(everyone.recipientCount).toBe(active);
    expect(everyone).toMatchObject({ status: 'published', category: 'notice', priority: 'normal', publisher: { id: admin.me.id }, receipt: null });
    expect(await count(`SELECT count(*) AS n FROM announcement_recipients WHERE announcement_id = ?`, [everyone.id])).toBe(active);

    // The head of Sales to Sales and everything below it (East): e, a and b, not the head himself.
    // Their open pages learn of it at once; someone outside it does not.
    const [inside, outside] = await Promise.all([connectSocket(server.url, { token: org.a.api.token }), connectSocket(server.url, { token: org.c.api.token })]);
    const told = nextServerEvent(inside, 'announcement:published');
    const toldOutside: unknown[] = [];
    (outside as any).on('announcement:published', (p: unknown) => toldOutside.push(p));
    const sales = await publish(org.m.api, 'Sales targets', { departmentIds: [org.departments.sales.id] }, { category: 'directive', requiresAck: true, priority: 'important' });
    expect((await told).announcement).toMatchObject({ id: sales.id, title: 'Sales targets', receipt: { firstReadAt: null, mustAcknowledge: true } });
    await emitWithAck(outside, 'ping', {});
    expect(toldOutside).toEqual([]);
    inside.close();
    outside.close();
    const reached = (await server.orm.em.fork().execute<{ id: string }[]>(`SELECT user_id::text AS id FROM announcement_recipients WHERE announcement_id = ? ORDER BY user_id`, [sales.id])).map((r) => r.id);
    expect(reached).toEqual([org.e.user.id, org.a.user.id, org.b.user.id].sort((x, y) => Number(x) - Number(y)));
    // The head of East to one named person of his.
    const named = await publish(org.e.api, 'Visit plan', { userIds: [org.a.user.id] });
    expect(named.recipientCount).toBe(1);

    expect(await inboxIds(org.a.api)).toEqual(expect.arrayContaining([everyone.id, sales.id, named.id]));
    expect(await inboxIds(org.c.api)).toContain(everyone.id);
    expect(await inboxIds(org.c.api)).not.toContain(sales.id);
    // Each recipient has a notification linking to it, and an unread announcement until they open it.
    const notice = ok(await org.a.api.get('/api/notifications')).items.find((n: any) => n.data?.announcementId === sales.id);
    expect(notice).toMatchObject({ kind: 'announcement', title: 'Sales targets', link: `/announcements/${sales.id}`, data: { event: 'published', requiresAck: true } });
    const feed = ok(await org.a.api.get('/api/announcements'));
    expect(feed.unreadCount).toBeGreaterThanOrEqual(3);
    const mine = ok(await org.a.api.get(`/api/announcements/${sales.id}`));
    expect(mine).toMatchObject({ receipt: { firstReadAt: null, mustAcknowledge: true }, can: { acknowledge: true, viewLedger: false, revise: false, remind: false } });
    ok(await org.a.api.post(`/api/announcements/${sales.id}/read`));
    expect(ok(await org.a.api.get(`/api/announcements/${sales.id}`)).receipt.firstReadAt).not.toBeNull();
    expect(ok(await org.a.api.get('/api/notifications')).items.find((n: any) => n.id === notice.id).readAt).not.toBeNull();
    // The sent box of the publisher; the scope preview counts the same people.
    expect(ok(await org.m.api.get('/api/announcements?box=sent')).items.map((a: any) => a.id)).toEqual([sales.id]);
    expect(ok(await org.m.api.post('/api/announcements/preview-scope', { scope: { departmentIds: [org.departments.sales.id] } }))).toEqual({ recipients: 3 });
  });

  it('refuses scopes outside the publisher’s rights, unknown departments and people, and malformed bodies, changing nothing', async () => {
    const before = await count(`SELECT count(*) AS n FROM announcements`);
    const sales = org.departments.sales.id;
    const support = org.departments.support.id;
    const tries: [ApiClient, Record<string, unknown>, string][] = [
      [org.a.api, { departmentIds: [org.departments.east.id] }, '403 forbidden'], // not a head
      [org.e.api, { everyone: true }, '403 forbidden'], // a head, not to the company
      [org.e.api, { departmentIds: [sales] }, '403 forbidden'], // above his own department
      [org.e.api, { userIds: [org.c.user.id] }, '403 forbidden'], // someone outside his departments
      [org.m.api, { departmentIds: [support] }, '403 forbidden'],
      [admin, { departmentIds: ['987654321'] }, '400 validation_failed'],
      [admin, { userIds: ['987654321'] }, '400 validation_failed'],
      [admin, {}, '400 validation_failed'],
    ];
    for (const [api, scope, expected] of tries) expect(outcome(await api.post('/api/announcements', announcementBody('refused', scope))), JSON.stringify(scope)).toBe(expected);
    const unknown = await admin.post('/api/announcements', announcementBody('refused', { departmentIds: [sales, '987654321'], userIds: ['987654322'] }));
    expect(unknown.body.error.details).toEqual([
      expect.objectContaining({ path: 'scope.departmentIds.1', code: 'unknown_department' }),
      expect.objectContaining({ path: 'scope.userIds.0', code: 'unknown_user' }),
    ]);
    const deactivated = await createUser(admin, org.departments.east.id);
    ok(await admin.patch(`/api/users/${deactivated.user.id}`, { active: false }));
    expect((await admin.post('/api/announcements', announcementBody('refused', { userIds: [deactivated.user.id] }))).body.error.details[0]).toMatchObject({ path: 'scope.userIds.0', code: 'inactive_user' });
    expect(outcome(await org.e.api.post('/api/announcements/preview-scope', { scope: { departmentIds: [sales] } }))).toBe('403 forbidden');

    const scope = { departmentIds: [sales] };
    const details = async (fields: Record<string, unknown>) => {
      const res = await org.m.api.post('/api/announcements', announcementBody('refused', scope, fields));
      expect(res.status, JSON.stringify(fields)).toBe(400);
      return res.body.error.details.map((d: any) => `${d.path} ${d.code}`);
    };
    expect(await details({ escalation: { steps: [{ channel: 'email', afterMinutes: 30 }] } })).toEqual(['escalation needs_acknowledgement']);
    // Outside the administrator's limits (10 minutes to 30 days, 6 steps, 14 repeats by default).
    expect(await details({ requiresAck: true, escalation: { steps: [{ channel: 'email', afterMinutes: 5 }, { channel: 'sms', afterMinutes: 60 * 24 * 40 }], repeat: { channel: 'email', everyHours: 24, times: 20 } } })).toEqual([
      'escalation.steps.0.afterMinutes below_limit',
      'escalation.steps.1.afterMinutes above_limit',
      'escalation.repeat.times above_limit',
      'escalation.repeat.times above_limit',
    ]);
    expect(await details({ requiresAck: true, escalation: { steps: [{ channel: 'email', afterMinutes: 60 }, { channel: 'sms', afterMinutes: 30 }] } })).toEqual(['escalation.steps.1.afterMinutes not_ascending']);
    expect(await details({ publishAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString(), expiresAt: new Date(clock.now().getTime() + HOUR).toISOString() })).toEqual(['expiresAt before_publish']);
    expect(await details({ publishAt: new Date(clock.now().getTime() - HOUR).toISOString() })).toEqual(['publishAt in_the_past']);
    expect(await details({ expiresAt: new Date(clock.now().getTime() - MINUTE).toISOString() })).toEqual(['expiresAt in_the_past']);
    expect(await details({ body: { root: { type: 'nope' } } })).toEqual(['body invalid_rich_text']);
    expect(await details({ body: textBody('   ') })).toEqual(['body required']);
    expect(await details({ category: 'memo', priority: 'loud' })).toEqual(['category invalid_value', 'priority invalid_value']);
    // The administrator may tighten the limits: then SMS steps are refused.
    ok(await admin.patch('/api/settings', { escalationLimits: { maxSteps: 3, minDelayMinutes: 10, maxDelayDays: 7, maxRepeats: 3, allowSms: false } }));
    expect(await details({ requiresAck: true, escalation: { steps: [{ channel: 'sms', afterMinutes: 30 }] } })).toEqual(['escalation.steps.0.channel sms_not_allowed']);
    ok(await admin.patch('/api/settings', { escalationLimits: { maxSteps: 6, minDelayMinutes: 10, maxDelayDays: 30, maxRepeats: 14, allowSms: true } }));
    expect(await count(`SELECT count(*) AS n FROM announcements`)).toBe(before);
  });

  it('is invisible to everyone outside it, on every path: page, versions, ledger, export, notification ids, socket', async () => {
    const directive = await publish(org.m.api, 'Confidential directive', { departmentIds: [org.departments.east.id] }, { category: 'directive', requiresAck: true });
    const aNotice = ok(await org.a.api.get('/api/notifications')).items.find((n: any) => n.data?.announcementId === directive.id);
    const outsider = org.c.api; // Support, not in scope
    const id = directive.id;
    for (const path of [`/api/announcements/${id}`, `/api/announcements/${id}/versions`, `/api/announcements/${id}/ledger`, `/api/announcements/${id}/ledger/rows`, `/api/announcements/${id}/ledger/export`, `/api/announcements/by-notification/${aNotice.id}`]) {
      const res = await outsider.get(path);
      expect([res.status, res.body?.error?.code], path).toEqual([404, 'not_found']);
    }
    for (const [path, body] of [[`/api/announcements/${id}/acknowledge`, {}], [`/api/announcements/${id}/read`, {}], [`/api/announcements/${id}/remind`, {}], [`/api/announcements/${id}/revisions`, { body: textBody('x') }]] as const) {
      expect(outcome(await outsider.post(path, body)), path).toBe('404 not_found');
    }
    expect(outcome(await outsider.patch(`/api/announcements/${id}`, { pinned: true }))).toBe('404 not_found');
    expect(ok(await outsider.get('/api/announcements?box=all&limit=100')).items.map((a: any) => a.id)).not.toContain(id);
    expect(ok(await outsider.get(`/api/announcements?box=all&q=Confidential`)).items).toEqual([]);
    // The recipient's own notification id works for them, and its announcement opens.
    expect(ok(await org.a.api.get(`/api/announcements/by-notification/${aNotice.id}`)).id).toBe(id);

    const socket = await connectSocket(server.url, { token: org.c.api.token });
    try {
      const sync = await emitWithAck(socket, 'sync', { streams: { [`announcement:${id}`]: 0 } });
      expect(sync).toMatchObject({ ok: true, data: { refused: [`announcement:${id}`], events: [] } });
      expect(await emitWithAck(socket, 'announcement:acknowledge', { announcementId: id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    } finally {
      socket.close();
    }
    // A recipient who is no head sees the announcement but not its ledger (403), nor its stream.
    expect(outcome(await org.a.api.get(`/api/announcements/${id}/ledger`))).toBe('403 forbidden');
    const member = await connectSocket(server.url, { token: org.a.api.token });
    try {
      expect(await emitWithAck(member, 'sync', { streams: { [`announcement:${id}`]: 0 } })).toMatchObject({ ok: true, data: { refused: [`announcement:${id}`] } });
      // Acknowledging twice: the first acknowledgement stays; over the socket too.
      const first: any = await emitWithAck(member, 'announcement:acknowledge', { announcementId: id, reply: 'Understood' });
      expect(first).toMatchObject({ ok: true, data: { version: 1, changed: true } });
      const again = ok(await org.a.api.post(`/api/announcements/${id}/acknowledge`, { reply: 'changed my mind' }));
      expect(again.receipt).toMatchObject({ acknowledgedAt: first.data.acknowledgedAt, reply: 'Understood', mustAcknowledge: false });
    } finally {
      member.close();
    }
    // Someone else's copy cannot be acknowledged: the publisher and an administrator see it but hold none.
    expect(outcome(await org.m.api.post(`/api/announcements/${id}/acknowledge`))).toBe('403 forbidden');
    expect(outcome(await admin.post(`/api/announcements/${id}/acknowledge`))).toBe('403 forbidden');
    // A notice that asks for no acknowledgement cannot be acknowledged.
    const plain = await publish(org.m.api, 'FYI', { userIds: [org.a.user.id] });
    expect(outcome(await org.a.api.post(`/api/announcements/${plain.id}/acknowledge`))).toBe('409 conflict');
    // The head of Sales sees the ledger of his own publication; the head of Support does not see it at all.
    expect(outcome(await org.m.api.get(`/api/announcements/${id}/ledger`))).toBe('ok');
    expect(outcome(await org.s.api.get(`/api/announcements/${id}/ledger`))).toBe('404 not_found');

    // An administrator follows the ledger live; demoted, their open socket leaves it at once.
    const other = await createUser(admin, org.departments.support.id, { role: 'admin' });
    const [watching, publisher] = await Promise.all([connectSocket(server.url, { token: other.api.token }), connectSocket(server.url, { token: org.m.api.token })]);
    try {
      const stream = `announcement:${id}`;
      expect(await emitWithAck(watching, 'sync', { streams: { [stream]: 0 } })).toMatchObject({ ok: true, data: { refused: [] } });
      expect(await emitWithAck(publisher, 'sync', { streams: { [stream]: 0 } })).toMatchObject({ ok: true, data: { refused: [] } });
      ok(await org.b.api.post(`/api/announcements/${id}/read`));
      await waitForEvent(watching, (e) => e.stream === stream && e.type === 'ledger.changed');
      ok(await admin.patch(`/api/users/${other.user.id}`, { role: 'member' }));
      const before = watching.received.length;
      ok(await org.b.api.post(`/api/announcements/${id}/acknowledge`));
      await waitForEvent(publisher, (e) => e.stream === stream && e.type === 'ledger.changed' && e.data.change === 'acknowledged');
      await emitWithAck(watching, 'ping', {});
      expect(watching.received.slice(before).filter((e) => e.stream === stream)).toEqual([]);
      expect(outcome(await other.api.get(`/api/announcements/${id}/ledger`))).toBe('404 not_found');
    } finally {
      watching.close();
      publisher.close();
    }
  });
});

describe('people who join later', () => {
  it('new hires and people moving into a department receive its standing policies and unexpired pinned announcements', async () => {
    const east = org.departments.east.id;
    const policy = await publish(admin, 'Travel expense policy', { departmentIds: [org.departments.sales.id] }, { category: 'policy', requiresAck: true });
    const pinned = await publish(admin, 'Office move', { departmentIds: [org.departments.sales.id] }, { pinned: true });
    const passing = await publish(admin, 'Lunch is served', { departmentIds: [org.departments.sales.id] });
    const expiring = await publish(admin, 'Short-lived', { departmentIds: [org.departments.sales.id] }, { pinned: true, expiresAt: new Date(clock.now().getTime() + HOUR).toISOString() });
    clock.advance(2 * HOUR);

    const hire = await createUser(admin, east, { locale: 'en' });
    const inbox = await inboxIds(hire.api);
    expect(inbox).toEqual(expect.arrayContaining([policy.id, pinned.id]));
    expect(inbox).not.toContain(passing.id);
    expect(inbox).not.toContain(expiring.id);
    const got = ok(await hire.api.get(`/api/announcements/${policy.id}`));
    expect(got.receipt).toMatchObject({ mustAcknowledge: true });
    const notices = ok(await hire.api.get('/api/notifications')).items.filter((n: any) => n.kind === 'announcement');
    expect(notices.map((n: any) => n.data.announcementId).sort()).toEqual([policy.id, pinned.id].sort());
    expect(notices.every((n: any) => n.data.event === 'joined')).toBe(true);
    expect(ok(await admin.get(`/api/announcements/${policy.id}`)).recipientCount).toBe(policy.recipientCount + 1);

    // Someone from Support moves into East: the same, once (moving again within scope adds nothing).
    const mover = await createUser(admin, org.departments.support.id, { locale: 'en' });
    expect(await inboxIds(mover.api)).not.toContain(policy.id);
    ok(await admin.patch(`/api/users/${mover.user.id}`, { departmentId: east }));
    expect(await inboxIds(mover.api)).toEqual(expect.arrayContaining([policy.id, pinned.id]));
    const sub = await createDepartment(admin, 'East sub', east);
    ok(await admin.patch(`/api/users/${mover.user.id}`, { departmentId: sub.id }));
    expect(await count(`SELECT count(*) AS n FROM announcement_recipients WHERE user_id = ? AND announcement_id = ?`, [mover.user.id, policy.id])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM notifications WHERE recipient_id = ? AND data->>'announcementId' = ?`, [mover.user.id, policy.id])).toBe(1);
  });
});

describe('scheduling, expiry, pinning and versions', () => {
  it('a scheduled announcement goes out at its time, by the clock, and expires at its expiry', async () => {
    const at = new Date(clock.now().getTime() + HOUR);
    const scheduled = await publish(org.m.api, 'Quarterly review', { departmentIds: [org.departments.east.id] }, { publishAt: at.toISOString(), expiresAt: new Date(at.getTime() + DAY).toISOString(), pinned: true });
    expect(scheduled).toMatchObject({ status: 'scheduled', publishAt: at.toISOString(), publishedAt: null, recipientCount: 0 });
    // Nobody sees it before its time but its publisher (and administrators).
    expect(outcome(await org.a.api.get(`/api/announcements/${scheduled.id}`))).toBe('404 not_found');
    expect(ok(await org.m.api.get('/api/announcements?box=sent')).items.map((a: any) => a.id)).toContain(scheduled.id);
    expect(await server.jobs.announcementsDue()).toMatchObject({ published: 0 });

    clock.advance(HOUR);
    expect(await server.jobs.announcementsDue()).toMatchObject({ published: 1 });
    // Once only, however often it is asked.
    expect(await server.jobs.announcementsDue()).toMatchObject({ published: 0 });
    const published = ok(await org.a.api.get(`/api/announcements/${scheduled.id}`));
    // Resolved at its time: everyone in East then (those who joined in the test before too).
    const east = ok(await org.m.api.post('/api/announcements/preview-scope', { scope: { departmentIds: [org.departments.east.id] } }));
    expect(published).toMatchObject({ status: 'published', recipientCount: east.recipients, pinned: true });
    expect(Date.parse(published.publishedAt)).toBeGreaterThanOrEqual(at.getTime());
    const feed = ok(await org.a.api.get('/api/announcements'));
    expect(feed.pinned.map((a: any) => a.id)).toContain(scheduled.id);

    clock.advance(DAY);
    expect(await server.jobs.announcementsDue()).toMatchObject({ expired: 1 });
    const expired = ok(await org.a.api.get(`/api/announcements/${scheduled.id}`));
    expect(expired.status).toBe('expired');
    expect(ok(await org.a.api.get('/api/announcements')).pinned.map((a: any) => a.id)).not.toContain(scheduled.id);
    // Unpinning, and moving an expiry, are its publisher's (and administrators').
    expect(outcome(await org.a.api.patch(`/api/announcements/${scheduled.id}`, { pinned: false }))).toBe('403 forbidden');
    expect(ok(await org.m.api.patch(`/api/announcements/${scheduled.id}`, { pinned: false })).pinned).toBe(false);
    expect(outcome(await org.m.api.patch(`/api/announcements/${scheduled.id}`, { expiresAt: null }))).toBe('409 conflict');
  });

  it('a policy keeps its versions readable with what changed, and can ask everyone to acknowledge again', async () => {
    const body = (text: string) => textBody(text);
    const policy = ok(
      await org.m.api.post('/api/announcements', { ...announcementBody('Working hours', { departmentIds: [org.departments.east.id] }, { category: 'policy', requiresAck: true }), body: body('Staff start at nine and leave at six.') }),
      201,
    );
    ok(await org.a.api.post(`/api/announcements/${policy.id}/acknowledge`));
    // Without asking again: a stays acknowledged.
    ok(await org.m.api.post(`/api/announcements/${policy.id}/revisions`, { body: body('Staff start at half past eight and leave at six.') }), 201);
    expect(ok(await org.a.api.get(`/api/announcements/${policy.id}`)).receipt).toMatchObject({ acknowledgedVersion: 1, mustAcknowledge: false });
    // Asking again: everyone must acknowledge version 3.
    const third = ok(await org.m.api.post(`/api/announcements/${policy.id}/revisions`, { title: 'Working hours (winter)', body: body('Staff start at half past eight and leave at five.'), requireReacknowledge: true }), 201);
    expect(third).toMatchObject({ version: 3, ackVersion: 3, title: 'Working hours (winter)' });
    expect(ok(await org.a.api.get(`/api/announcements/${policy.id}`)).receipt).toMatchObject({ acknowledgedVersion: 1, mustAcknowledge: true });
    const revised = ok(await org.a.api.get('/api/notifications')).items.find((n: any) => n.data?.announcementId === policy.id && n.data.event === 'revised' && n.data.version === 3);
    expect(revised).toMatchObject({ title: 'Revised, please acknowledge again: Working hours (winter)' });

    const versions = ok(await org.a.api.get(`/api/announcements/${policy.id}/versions`));
    expect(versions.map((v: any) => [v.version, v.title, v.requiresReacknowledge])).toEqual([
      [3, 'Working hours (winter)', true],
      [2, 'Working hours', false],
      [1, 'Working hours', false],
    ]);
    expect(versions[2].changes).toBeNull();
    expect(versions[0].titleChanged).toBe(true);
    const changed = (v: any, kind: string) => v.changes.filter((c: any) => c.change === kind).map((c: any) => c.value.trim());
    expect(changed(versions[1], 'removed')).toEqual(['nine']);
    expect(changed(versions[1], 'added')).toEqual(['half past eight']);
    expect(changed(versions[0], 'removed')).toEqual(['six']);
    expect(changed(versions[0], 'added')).toEqual(['five']);
    // Every earlier text stays readable.
    expect(versions[2].bodyText).toBe('Staff start at nine and leave at six.');

    const ack = ok(await org.a.api.post(`/api/announcements/${policy.id}/acknowledge`));
    expect(ack.receipt).toMatchObject({ acknowledgedVersion: 3, mustAcknowledge: false });
    // Only policies have versions; only their publisher and administrators revise them.
    const notice = await publish(org.m.api, 'A notice', { departmentIds: [org.departments.east.id] });
    expect(outcome(await org.m.api.post(`/api/announcements/${notice.id}/revisions`, { body: body('new') }))).toBe('409 conflict');
    expect(outcome(await org.a.api.post(`/api/announcements/${policy.id}/revisions`, { body: body('mine now') }))).toBe('403 forbidden');
    expect(outcome(await admin.post(`/api/announcements/${policy.id}/revisions`, { body: body('Staff start at eight.') }))).toBe('ok');
  });
});
