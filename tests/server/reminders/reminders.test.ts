import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createDepartment, createUser, rootDepartment } from '../../support/factories.js';
import { fastJobsEnv, localIn, eventually } from '../../support/timing.js';
import { fireOccurrence } from '../../../server/jobs/reminderFirer.js';
import { connectSocket, emitWithAck } from '../../support/sockets.js';

let server: TestServer;
let admin: ApiClient;
let rootId: string;

beforeAll(async () => {
  server = await startTestServer(fastJobsEnv);
  admin = await server.admin();
  rootId = (await rootDepartment(admin)).id;
});
afterAll(() => server?.close());

const tomorrow9 = () => localIn('Asia/Shanghai', 86400_000).slice(0, 10) + 'T09:00:00';
const pendingOccurrences = async (reminderId: string) =>
  Number((await server.orm.em.fork().execute<{ n: string }[]>(`SELECT count(*) AS n FROM reminder_occurrences WHERE reminder_id = ? AND fired_at IS NULL`, [reminderId]))[0].n);

describe('reminder events', () => {
  it('every change of a reminder is pushed on its owner’s stream, so their other devices follow it', async () => {
    const { user, api } = await createUser(admin, rootId);
    const socket = await connectSocket(server.url, { token: api.token });
    try {
      const created = ok(await api.post('/api/reminders', { title: '周会', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', rrule: 'FREQ=WEEKLY;BYDAY=MO' }), 201);
      const paused = ok(await api.post(`/api/reminders/${created.id}/pause`));
      const edited = ok(await api.patch(`/api/reminders/${created.id}`, { title: '周例会' }));
      ok(await api.delete(`/api/reminders/${created.id}`), 204);
      const ack = await emitWithAck(socket, 'sync', { streams: { [`user:${user.id}`]: 0 } });
      const events = (ack as any).data.events.filter((e: any) => e.type.startsWith('reminder.'));
      expect(events.map((e: any) => e.type)).toEqual(['reminder.changed', 'reminder.changed', 'reminder.changed', 'reminder.deleted']);
      expect(events.slice(0, 3).map((e: any) => e.data.reminder)).toEqual([created, paused, edited]);
      expect(events[3].data).toEqual({ reminderId: created.id });
    } finally {
      socket.close();
    }
  });
});

describe('GET /api/recurrence/preview', () => {
  it('lists occurrences with the zone’s offset at each instant, across a DST change', async () => {
    const api = await server.admin();
    const res = await api.get('/api/recurrence/preview?rrule=FREQ%3DWEEKLY%3BBYDAY%3DSU&dtstart=2026-03-01T09:00:00&tz=America/New_York&count=3');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ occurrences: ['2026-03-01T09:00:00-05:00', '2026-03-08T09:00:00-04:00', '2026-03-15T09:00:00-04:00'] });
    const monthly = (await api.get('/api/recurrence/preview?rrule=FREQ=MONTHLY;BYMONTHDAY=-1&dtstart=2026-01-31T18:00&tz=Asia/Shanghai&count=3')).body;
    expect(monthly.occurrences).toEqual(['2026-01-31T18:00:00+08:00', '2026-02-28T18:00:00+08:00', '2026-03-31T18:00:00+08:00']);
  });

  it('answers 400 with a readable message for a malformed rule, an unknown zone and count over 500', async () => {
    const api = await server.admin();
    const bad = await api.get('/api/recurrence/preview?rrule=FREQ=DAILY;BYHOUR=25&dtstart=2026-03-01T09:00&tz=UTC');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'rrule' }] });
    expect(bad.body.error.message).toMatch(/BYHOUR values must be between 0 and 23/);
    const zone = await api.get('/api/recurrence/preview?rrule=FREQ=DAILY&dtstart=2026-03-01T09:00&tz=Mars/Base');
    expect(zone.status).toBe(400);
    expect(zone.body.error.message).toMatch(/not a known IANA time zone/);
    const many = await api.get('/api/recurrence/preview?rrule=FREQ=DAILY&dtstart=2026-03-01T09:00&tz=UTC&count=501');
    expect(many.status).toBe(400);
    expect(many.body.error.message).toMatch(/count: must be at most 500/);
    expect((await server.client().get('/api/recurrence/preview?rrule=FREQ=DAILY&dtstart=2026-03-01T09:00&tz=UTC')).status).toBe(401);
  });
});

describe('reminders CRUD', () => {
  it('creates, lists, edits, pauses, resumes and deletes a recurring reminder, keeping one pending occurrence', async () => {
    const { api } = await createUser(admin, rootId);
    const created = ok(await api.post('/api/reminders', { title: '周报', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE', channels: ['email', 'sms'] }), 201);
    expect(created).toMatchObject({ title: '周报', status: 'active', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE', recipients: { self: true, userIds: [], departmentIds: [] }, channels: ['email', 'sms'] });
    expect(created.nextDueAt).toMatch(/T09:00:00\+08:00$/);
    expect(await pendingOccurrences(created.id)).toBe(1);
    const upcoming = ok(await api.get(`/api/reminders/${created.id}/occurrences?count=4`)).occurrences;
    expect(upcoming).toHaveLength(4);
    expect(upcoming[0]).toBe(created.nextDueAt);
    expect(ok(await api.get('/api/reminders')).items.map((r: any) => r.id)).toEqual([created.id]);

    // An exception date drops exactly that occurrence from the upcoming list.
    const withException = ok(await api.patch(`/api/reminders/${created.id}`, { exdates: [upcoming[0].slice(0, 19)] }));
    expect(withException.exdates).toEqual([upcoming[0].slice(0, 19)]);
    expect(withException.nextDueAt).toBe(upcoming[1]);
    expect(ok(await api.get(`/api/reminders/${created.id}/occurrences?count=3`)).occurrences).toEqual(upcoming.slice(1, 4));

    const edited = ok(await api.patch(`/api/reminders/${created.id}`, { rrule: 'FREQ=MONTHLY;BYMONTHDAY=31', title: '月底', exdates: [] }));
    expect(edited).toMatchObject({ title: '月底', rrule: 'FREQ=MONTHLY;BYMONTHDAY=31' });
    expect(edited.nextDueAt.slice(8, 10)).toBe('31');
    expect(await pendingOccurrences(created.id)).toBe(1);

    const paused = ok(await api.post(`/api/reminders/${created.id}/pause`));
    expect(paused).toMatchObject({ status: 'paused', nextDueAt: null });
    expect(await pendingOccurrences(created.id)).toBe(0);
    expect((await api.post(`/api/reminders/${created.id}/pause`)).status).toBe(200);
    const resumed = ok(await api.post(`/api/reminders/${created.id}/resume`));
    expect(resumed.status).toBe('active');
    expect(resumed.nextDueAt).toBe(edited.nextDueAt);
    expect((await api.post(`/api/reminders/${created.id}/resume`)).status).toBe(409);

    expect((await api.delete(`/api/reminders/${created.id}`)).status).toBe(204);
    expect((await api.get(`/api/reminders/${created.id}`)).status).toBe(404);
    expect(await pendingOccurrences(created.id)).toBe(0);
  });

  it('refuses bad input with 400 and a field, and changes nothing', async () => {
    const { api } = await createUser(admin, rootId);
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai' }, 'title'],
      [{ title: 'x', dtstart: tomorrow9(), timeZone: 'Nowhere/City' }, 'timeZone'],
      [{ title: 'x', dtstart: '2026-13-01T09:00', timeZone: 'Asia/Shanghai', rrule: 'FREQ=DAILY' }, 'dtstart'],
      [{ title: 'x', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', rrule: 'FREQ=DAILY;INTERVAL=0' }, 'rrule'],
      [{ title: 'x', dtstart: '2020-01-01T09:00', timeZone: 'Asia/Shanghai' }, 'dtstart'],
      [{ title: 'x', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', channels: ['fax'] }, 'channels.0'],
      [{ title: 'x', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', note: { not: 'lexical' } }, 'note'],
      [{ title: 'x', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', recipients: { self: false } }, 'recipients'],
    ];
    for (const [body, path] of cases) {
      const res = await api.post('/api/reminders', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toContain(path);
    }
    expect(ok(await api.get('/api/reminders')).items).toEqual([]);
  });
});

describe('authorization from the refused side', () => {
  it('a member cannot address others; another user’s reminder is 404 for every verb', async () => {
    const { user: colleague } = await createUser(admin, rootId);
    const { api: member } = await createUser(admin, rootId);
    const forOthers = await member.post('/api/reminders', { title: 'x', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', recipients: { self: false, userIds: [colleague.id] } });
    expect(forOthers.status).toBe(403);
    expect(forOthers.body.error.code).toBe('forbidden');
    const forDepartment = await member.post('/api/reminders', { title: 'x', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', recipients: { self: true, departmentIds: [rootId] } });
    expect(forDepartment.status).toBe(403);

    const { api: owner } = await createUser(admin, rootId);
    const mine = ok(await owner.post('/api/reminders', { title: 'mine', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai' }), 201);
    for (const res of [
      await member.get(`/api/reminders/${mine.id}`),
      await member.patch(`/api/reminders/${mine.id}`, { title: 'hijacked' }),
      await member.post(`/api/reminders/${mine.id}/pause`),
      await member.get(`/api/reminders/${mine.id}/occurrences`),
      await member.get(`/api/reminders/${mine.id}/deliveries`),
      await member.delete(`/api/reminders/${mine.id}`),
    ]) expect(res.status).toBe(404);
    expect(ok(await owner.get(`/api/reminders/${mine.id}`))).toMatchObject({ title: 'mine', status: 'active' });
    expect(ok(await member.get('/api/reminders')).items).toEqual([]);
  });

  it('a manager addresses subordinates and a managed department (with sub-departments), not people outside it', async () => {
    const sales = await createDepartment(admin, 'Sales ' + Date.now(), rootId);
    const east = await createDepartment(admin, 'East ' + Date.now(), sales.id);
    const { user: boss, api: bossApi } = await createUser(admin, sales.id);
    ok(await admin.patch(`/api/departments/${sales.id}`, { managerIds: [boss.id] }));
    const { user: seller, api: sellerApi } = await createUser(admin, east.id);
    const { user: outsider } = await createUser(admin, rootId);

    expect((await bossApi.post('/api/reminders', { title: 'x', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', recipients: { self: false, userIds: [outsider.id] } })).status).toBe(403);
    expect((await bossApi.post('/api/reminders', { title: 'x', dtstart: tomorrow9(), timeZone: 'Asia/Shanghai', recipients: { self: false, departmentIds: [rootId] } })).status).toBe(403);

    ok(await bossApi.post('/api/reminders', { title: '拜访客户', dtstart: localIn('Asia/Shanghai', 1500), timeZone: 'Asia/Shanghai', recipients: { self: false, userIds: [], departmentIds: [sales.id] }, channels: [] }), 201);
    const received = await eventually(async () => ok(await sellerApi.get('/api/notifications')).items.find((n: any) => n.kind === 'reminder'), { what: 'the department reminder' });
    expect(received.title).toBe('拜访客户');
    const bossGot = await eventually(async () => ok(await bossApi.get('/api/notifications')).items.find((n: any) => n.kind === 'reminder'), { what: "the manager's own copy (a member of Sales)" });
    expect(bossGot.title).toBe('拜访客户');
    expect(seller.id).not.toBe(boss.id);

    // The subordinate can snooze what they received; someone else cannot snooze it.
    const occurrenceId = received.data.occurrenceId;
    expect((await (await createUser(admin, rootId)).api.post(`/api/reminders/occurrences/${occurrenceId}/snooze`, { for: '10m' })).status).toBe(404);
    const snoozed = ok(await sellerApi.post(`/api/reminders/occurrences/${occurrenceId}/snooze`, { for: '10m' }), 201);
    expect(Date.parse(snoozed.dueAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    const tomorrow = ok(await sellerApi.post(`/api/reminders/occurrences/${occurrenceId}/snooze`, { for: 'tomorrow' }), 201);
    expect(Date.parse(tomorrow.dueAt) - Date.parse(received.data.dueAt)).toBe(86400_000);
    expect((await sellerApi.post(`/api/reminders/occurrences/${occurrenceId}/snooze`, { for: '3d' })).status).toBe(400);
  });
});

describe('without SMTP and Twilio', () => {
  it('deliveries are recorded as log only, never as sent, and the outbox shows them', async () => {
    const { user, api } = await createUser(admin, rootId, { mobile: '+8613700137000' });
    const reminder = ok(await api.post('/api/reminders', { title: '仅记录', dtstart: localIn('Asia/Shanghai', 1200), timeZone: 'Asia/Shanghai', channels: ['email', 'sms'] }), 201);
    const logged = await eventually(async () => {
      const items = ok(await api.get(`/api/reminders/${reminder.id}/deliveries`)).items;
      return items.length === 2 && items.every((d: any) => d.status === 'logged') ? items : null;
    }, { what: 'two log-only deliveries' });
    expect(logged.map((d: any) => [d.channel, d.provider, d.address, d.recipientId]).sort()).toEqual([
      ['email', 'log', user.email, user.id],
      ['sms', 'log', '+8613700137000', user.id],
    ]);
    const outbox = ok(await admin.get('/api/admin/outbox?status=logged'));
    expect(outbox.channels).toEqual({ email: 'log', sms: 'log', push: 'webpush' });
    expect(outbox.items.filter((d: any) => d.title === '仅记录')).toHaveLength(2);
  });

  it('firing an occurrence again (a retried or duplicated job) changes nothing, and the log refuses a second delivery', async () => {
    const { api } = await createUser(admin, rootId);
    const reminder = ok(await api.post('/api/reminders', { title: '只一次', dtstart: localIn('Asia/Shanghai', 1200), timeZone: 'Asia/Shanghai', channels: ['email'] }), 201);
    const [delivery] = await eventually(async () => {
      const items = ok(await api.get(`/api/reminders/${reminder.id}/deliveries`)).items;
      return items.length === 1 ? items : null;
    }, { what: 'the delivery' });
    const again = await fireOccurrence({ orm: server.orm, runner: server.runner }, delivery.occurrenceId);
    expect(again).toBe(0);
    expect(ok(await api.get('/api/notifications')).items.filter((n: any) => n.kind === 'reminder')).toHaveLength(1);
    // A second notification row for the same occurrence cannot carry a second e-mail either
    // (that notification itself sends nothing, so only the occurrence key can object).
    ok(await api.patch('/api/me/notification-settings', { preferences: { system: { email: false, sms: false } } }));
    ok(await admin.post('/api/notifications/system', { recipientIds: [delivery.recipientId], title: 'another notification' }), 201);
    const duplicate = server.orm.em.fork().execute(
      `INSERT INTO deliveries (notification_id, occurrence_id, recipient_id, channel, provider, address, status, not_before, queued_at, updated_at)
       SELECT n.id, d.occurrence_id, d.recipient_id, d.channel, 'log', d.address, 'queued', now(), now(), now()
       FROM deliveries d JOIN notifications n ON n.recipient_id = d.recipient_id AND n.id <> d.notification_id WHERE d.id = ? LIMIT 1`,
      [delivery.id],
    );
    await expect(duplicate).rejects.toThrow(/deliveries_occurrence_recipient_channel_unique/);
  });

  it('the recipient’s preference for reminders narrows the reminder’s channels', async () => {
    const { api } = await createUser(admin, rootId, { mobile: '+8613700137001' });
    ok(await api.patch('/api/me/notification-settings', { preferences: { reminder: { email: true, sms: false } } }));
    const reminder = ok(await api.post('/api/reminders', { title: '只要邮件', dtstart: localIn('Asia/Shanghai', 1200), timeZone: 'Asia/Shanghai', channels: ['email', 'sms'] }), 201);
    const items = await eventually(async () => {
      const list = ok(await api.get(`/api/reminders/${reminder.id}/deliveries`)).items;
      return list.length > 0 && list.every((d: any) => d.status === 'logged') ? list : null;
    }, { what: 'the deliveries' });
    expect(items.map((d: any) => d.channel)).toEqual(['email']);
  });
});
