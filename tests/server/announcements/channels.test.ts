import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { createUser } from '../../support/factories.js';
import { outcome, publish } from '../../support/announcements.js';
import { SmtpSink } from '../../support/smtpSink.js';
import { TWILIO, TwilioStandIn } from '../../support/twilioStandIn.js';
import { eventually, fastJobsEnv } from '../../support/timing.js';
import { connectSocket, emitWithAck, waitForEvent } from '../../support/sockets.js';
import { DAY, HOUR, MINUTE, TestClock } from '../../support/clock.js';

const clock = new TestClock();
const sink = new SmtpSink();
const twilio = new TwilioStandIn();
let server: TestServer;
let admin: ApiClient;
let org: Awaited<ReturnType<typeof buildOrg>>;
const mobiles = { m: '+8613900000001', a: '+8613900000002', b: '+8613900000003' };

beforeAll(async () => {
  await sink.start();
  await twilio.start();
  server = await startTestServer(
    { ...fastJobsEnv, SMTP_URL: sink.url, TWILIO_ACCOUNT_SID: TWILIO.accountSid, TWILIO_AUTH_TOKEN: TWILIO.authToken, TWILIO_FROM: TWILIO.from, TWILIO_API_BASE_URL: twilio.url },
    { clock },
  );
  admin = await server.admin();
  org = await buildOrg(admin, { locale: 'en' });
});
afterAll(async () => {
  await server?.close();
  await sink.stop();
  await twilio.stop();
});

const rows = async (api: ApiClient, id: string, query = '') => ok(await api.get(`/api/announcements/${id}/ledger/rows?limit=50${query}`)).items;
const byName = (list: any[]) => Object.fromEntries(list.map((r) => [r.user.id, r]));

describe('the ledger', () => {
  it('records delivery per channel from the SMTP server and Twilio (status callbacks included), reads and acknowledgements, per department, paged and exported', async () => {
    for (const who of ['m', 'a', 'b'] as const) ok(await admin.patch(`/api/users/${org[who].user.id}`, { mobile: mobiles[who] }));
    // Urgent: e-mail and SMS to everyone whatever their preferences (e has no mobile number).
    const directive = await publish(admin, 'Safety drill on Friday', { departmentIds: [org.departments.sales.id] }, { category: 'directive', priority: 'urgent', requiresAck: true });
    const people = [org.m, org.e, org.a, org.b];
    expect(directive.recipientCount).toBe(4);
    await eventually(() => people.every((p) => sink.to(p.user.email).some((mail) => mail.parsed.subject?.includes('Safety drill on Friday'))), { what: 'the e-mails at the SMTP server' });
    await eventually(() => Object.values(mobiles).every((n) => twilio.accepted(n).length === 1), { what: 'the SMS at Twilio' });
    const mail = sink.to(org.a.user.email).find((m) => m.parsed.subject?.includes('Safety drill'))!;
    expect(mail.parsed.subject).toBe('[Huitong][Urgent] Safety drill on Friday');
    // The e-mail carries the whole text and a link to the announcement.
    expect(mail.parsed.text).toContain('Safety drill on Friday: the text everyone must read.');
    expect(mail.parsed.text).toContain(`/announcements/${directive.id}`);

    // The admin follows the ledger's stream; the ledger changes arrive live.
    const socket = await connectSocket(server.url, { token: admin.token });
    const stream = `announcement:${directive.id}`;
    expect(await emitWithAck(socket, 'sync', { streams: { [stream]: 0 } })).toMatchObject({ ok: true, data: { refused: [] } });

    // Twilio reports: delivered to a, undelivered to b.
    const sms = (n: string) => twilio.accepted(n)[0];
    expect((await twilio.callback(server.url, sms(mobiles.a), 'delivered')).status).toBe(204);
    expect((await twilio.callback(server.url, sms(mobiles.b), 'undelivered', { errorCode: '30003' })).status).toBe(204);
    await waitForEvent(socket, (e) => e.stream === stream && e.type === 'ledger.changed' && e.data.change === 'delivered');
    ok(await org.a.api.post(`/api/announcements/${directive.id}/read`));
    ok(await org.b.api.post(`/api/announcements/${directive.id}/acknowledge`, { reply: '=HYPERLINK("http://evil") noted' }));
    await waitForEvent(socket, (e) => e.stream === stream && e.type === 'ledger.changed' && e.data.change === 'acknowledged');
    socket.close();
    await eventually(async () => (await rows(admin, directive.id)).every((r: any) => r.email?.status === 'sent'), { what: 'every e-mail recorded as sent' });

    const summary = ok(await admin.get(`/api/announcements/${directive.id}/ledger`));
    expect(summary).toMatchObject({ total: 4, unread: 2, read: 1, acknowledged: 1, percent: { read: 50, acknowledged: 25 }, scope: 'all', requiresAck: true, ackVersion: 1 });
    expect(summary.channels).toEqual({ email: { sent: 4 }, sms: { delivered: 1, failed: 2, sent: 1 } });
    expect(summary.departments.map((d: any) => [d.name, d.total, d.unread, d.read, d.acknowledged, d.percentAcknowledged])).toEqual([
      [org.departments.east.name, 3, 1, 1, 1, 33.3],
      [org.departments.sales.name, 1, 1, 0, 0, 0],
    ]);

    const all = byName(await rows(admin, directive.id));
    expect(all[org.a.user.id]).toMatchObject({ state: 'read', sms: { status: 'delivered' }, email: { status: 'sent' } });
    expect(all[org.b.user.id]).toMatchObject({ state: 'acknowledged', reply: '=HYPERLINK("http://evil") noted', acknowledgedVersion: 1, sms: { status: 'failed', error: 'Twilio reported undelivered (error 30003)' } });
    expect(all[org.e.user.id]).toMatchObject({ state: 'unread', sms: { status: 'failed', error: 'The recipient has no mobile number' } });
    expect(all[org.m.user.id]).toMatchObject({ state: 'unread', sms: { status: 'sent' }, department: { id: org.departments.sales.id } });
    // Filters by state and department, and pages.
    const ids = (list: any[]) => list.map((r) => r.user.id).sort();
    expect(ids(await rows(admin, directive.id, '&state=unread'))).toEqual([org.m.user.id, org.e.user.id].sort());
    expect(ids(await rows(admin, directive.id, '&state=read'))).toEqual([org.a.user.id]);
    expect(ids(await rows(admin, directive.id, '&state=acknowledged'))).toEqual([org.b.user.id]);
    expect(ids(await rows(admin, directive.id, '&state=unacknowledged'))).toHaveLength(3);
    expect(ids(await rows(admin, directive.id, `&departmentId=${org.departments.sales.id}`))).toEqual([org.m.user.id]);
    const first = ok(await admin.get(`/api/announcements/${directive.id}/ledger/rows?limit=3`));
    const second = ok(await admin.get(`/api/announcements/${directive.id}/ledger/rows?limit=3&cursor=${first.nextCursor}`));
    expect([first.items.length, second.items.length, second.nextCursor]).toEqual([3, 1, null]);
    expect(ids([...first.items, ...second.items])).toEqual(ids(Object.values(all)));

    // The CSV export: the one writer's BOM and quoting, formulas neutralised, the viewer's language.
    const csv = await fetch(`${server.url}/api/announcements/${directive.id}/ledger/export`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('"姓名","邮箱","部门","状态","收到时间","首次阅读","确认时间","确认的版本","回复","邮件","短信"');
    expect(lines).toHaveLength(5);
    const bLine = lines.find((l) => l.includes(org.b.user.email))!;
    expect(bLine).toContain(`"'=HYPERLINK(""http://evil"") noted"`);
    expect(bLine).toContain('"已确认"');
    const unreadOnly = await fetch(`${server.url}/api/announcements/${directive.id}/ledger/export?state=unread`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect((await unreadOnly.text()).trim().split('\r\n')).toHaveLength(3);

    // A department head sees the rows of his own departments only; a member none; another head not even the announcement.
    const east = await rows(org.e.api, directive.id);
    expect(ids(east)).toEqual([org.e.user.id, org.a.user.id, org.b.user.id].sort());
    expect(ok(await org.e.api.get(`/api/announcements/${directive.id}/ledger`))).toMatchObject({ total: 3, scope: 'subtree', departments: [expect.objectContaining({ name: org.departments.east.name })] });
    const eastCsv = await (await fetch(`${server.url}/api/announcements/${directive.id}/ledger/export`, { headers: { authorization: `Bearer ${org.e.api.token}` } })).text();
    expect(eastCsv).not.toContain(org.m.user.email);
    expect(ids(await rows(org.m.api, directive.id))).toHaveLength(4);
    expect(outcome(await org.a.api.get(`/api/announcements/${directive.id}/ledger/rows`))).toBe('403 forbidden');
    expect(outcome(await org.a.api.get(`/api/announcements/${directive.id}/ledger/export`))).toBe('403 forbidden');
    expect(outcome(await org.s.api.get(`/api/announcements/${directive.id}/ledger/rows`))).toBe('404 not_found');
    expect(outcome(await org.c.api.get(`/api/announcements/${directive.id}/ledger/export`))).toBe('404 not_found');
    // The urgent banner: a still must acknowledge it, b no longer.
    expect(ok(await org.a.api.get('/api/announcements/attention')).urgent.map((x: any) => x.id)).toEqual([directive.id]);
    expect(ok(await org.b.api.get('/api/announcements/attention')).urgent).toEqual([]);
  });
});

const mailsAbout = (email: string, title: string) => sink.to(email).filter((m) => m.parsed.subject?.includes(title)).map((m) => m.parsed.subject!);
/** The notifications of one announcement per person and event/step, from the database. */
async function notices(id: string): Promise<Record<string, string[]>> {
  const list = await server.orm.em.fork().execute<{ recipient_id: string; what: string }[]>(
    `SELECT recipient_id::text AS recipient_id, coalesce(data->>'event', '') || coalesce(':' || (data->>'step'), '') AS what FROM notifications WHERE data->>'announcementId' = ? ORDER BY id`,
    [id],
  );
  const out: Record<string, string[]> = {};
  for (const n of list) (out[n.recipient_id] ??= []).push(n.what);
  return out;
}
/** Fires whatever is due by the clock (as the sweep does), and lets the dispatcher send. */
const due = () => server.jobs.announcementsDue();

describe('the escalation ladder', () => {
  it('fires each step on time by the clock, only to those who have not acknowledged, once, and stops when they acknowledge', async () => {
    const title = 'Inventory count directive';
    const ladder = { steps: [{ channel: 'email', afterMinutes: 30 }, { channel: 'sms', afterMinutes: 120 }, { channel: 'head', afterMinutes: 1440 }], repeat: { channel: 'email', everyHours: 24, times: 2 } };
    const directive = await publish(org.m.api, title, { departmentIds: [org.departments.east.id] }, { category: 'directive', priority: 'important', requiresAck: true, escalation: ladder });
    expect(directive.escalation).toEqual(ladder);
    const [e, a, b] = [org.e, org.a, org.b];
    // The publication itself: in the app and by e-mail (their preference), to e, a and b.
    await eventually(() => [e, a, b].every((p) => mailsAbout(p.user.email, title).length === 1), { what: 'the publication e-mails' });

    clock.advance(29 * MINUTE);
    expect(await due()).toMatchObject({ fired: 0 });
    ok(await a.api.post(`/api/announcements/${directive.id}/acknowledge`));

    clock.advance(MINUTE);
    expect(await due()).toMatchObject({ fired: 1 });
    expect(await due()).toMatchObject({ fired: 0 });
    await eventually(() => [e, b].every((p) => mailsAbout(p.user.email, `Please acknowledge: ${title}`).length === 1), { what: 'the e-mail step' });
    expect(mailsAbout(a.user.email, 'Please acknowledge')).toEqual([]);

    clock.advance(90 * MINUTE);
    expect(await due()).toMatchObject({ fired: 1 });
    const stepTexts = () => twilio.accepted(mobiles.b).filter((r) => r.body.includes(`Please acknowledge: ${title}`));
    await eventually(() => stepTexts().length === 1, { what: 'the SMS step to b' });
    ok(await b.api.post(`/api/announcements/${directive.id}/acknowledge`, { reply: 'Done' }));

    // After a day, e's direct head is told: East is headed by e himself, so the head of Sales (m, the publisher here).
    clock.advance(22 * HOUR);
    expect(await due()).toMatchObject({ fired: 1 });
    const head = ok(await org.m.api.get('/api/notifications')).items.find((n: any) => n.data?.announcementId === directive.id && n.data.event === 'head');
    expect(head).toMatchObject({ title: `Not yet acknowledged by your staff: ${title}`, link: `/announcements/${directive.id}/ledger`, data: { count: 1, people: [e.user.displayName], step: 3 } });

    // The daily repeats go to e alone; once he acknowledges, the last one notifies nobody.
    clock.advance(DAY);
    expect(await due()).toMatchObject({ fired: 1 });
    await eventually(() => mailsAbout(e.user.email, `Please acknowledge: ${title}`).length === 2, { what: 'the first repeat' });
    ok(await e.api.post(`/api/announcements/${directive.id}/acknowledge`));
    clock.advance(DAY);
    expect(await due()).toMatchObject({ fired: 1 });

    const steps = await server.orm.em.fork().execute<{ step: number; channel: string; notified: number }[]>(`SELECT step, channel, notified FROM announcement_escalations WHERE announcement_id = ? ORDER BY step`, [directive.id]);
    expect(steps.map((s) => [s.step, s.channel, s.notified])).toEqual([[1, 'email', 2], [2, 'sms', 2], [3, 'head', 1], [4, 'email', 1], [5, 'email', 0]]);
    // Exactly once per person and step.
    expect(await notices(directive.id)).toEqual({
      [e.user.id]: ['published', 'reminder:1', 'reminder:2', 'reminder:4'],
      [a.user.id]: ['published'],
      [b.user.id]: ['published', 'reminder:1', 'reminder:2'],
      [org.m.user.id]: ['head:3'],
    });
    // e has no mobile number: the SMS step left a failed SMS in his log, which the ledger shows.
    const eRow = ok(await org.m.api.get(`/api/announcements/${directive.id}/ledger/rows?limit=10`)).items.find((r: any) => r.user.id === e.user.id);
    expect(eRow.sms).toMatchObject({ status: 'failed' });
  });

  it('delays the e-mail of a non-urgent step to the end of the recipient’s quiet hours, sends an urgent one at once, and cancels what waits when they acknowledge', async () => {
    const night = await createUser(admin, org.departments.east.id, { locale: 'en', timeZone: 'UTC' });
    // Quiet hours around the real time now, in the recipient's zone (UTC): 1 hour back to 2 hours ahead.
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    ok(await night.api.patch('/api/me/notification-settings', { quietHours: { start: hhmm(Date.now() - HOUR), end: hhmm(Date.now() + 2 * HOUR), weekends: false } }));
    const ladder = { steps: [{ channel: 'email', afterMinutes: 10 }], repeat: null };
    const calm = await publish(admin, 'Calm directive', { userIds: [night.user.id] }, { category: 'directive', priority: 'important', requiresAck: true, escalation: ladder });
    await publish(admin, 'Urgent directive', { userIds: [night.user.id] }, { category: 'directive', priority: 'urgent', requiresAck: true, escalation: ladder });
    clock.advance(10 * MINUTE);
    expect(await due()).toMatchObject({ fired: 2 });
    // The urgent publication and its step go out through the quiet hours.
    await eventually(() => mailsAbout(night.user.email, 'Urgent directive').length === 2, { what: 'the urgent e-mails' });
    const deliveries = async (id: string) =>
      server.orm.em.fork().execute<{ status: string; deferred: boolean; what: string }[]>(
        `SELECT d.status, d.not_before > now() + interval '30 minutes' AS deferred, n.data->>'event' AS what FROM deliveries d JOIN notifications n ON n.id = d.notification_id
         WHERE n.data->>'announcementId' = ? AND d.channel = 'email' ORDER BY d.id`,
        [id],
      );
    expect(await deliveries(calm.id)).toEqual([
      { status: 'queued', deferred: true, what: 'published' },
      { status: 'queued', deferred: true, what: 'reminder' },
    ]);
    expect(mailsAbout(night.user.email, 'Calm directive')).toEqual([]);
    // Acknowledging in the app makes the waiting e-mails pointless: they are cancelled, never sent.
    ok(await night.api.post(`/api/announcements/${calm.id}/acknowledge`));
    expect((await deliveries(calm.id)).map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
    expect(ok(await admin.get(`/api/announcements/${calm.id}/ledger/rows`)).items[0].email).toMatchObject({ status: 'cancelled', error: 'Not sent: acknowledged before it went out' });
  });

  it('stops at the expiry, and lets the publisher remind by hand at most every 5 minutes', async () => {
    const title = 'Short directive';
    const directive = await publish(org.m.api, title, { departmentIds: [org.departments.east.id] }, {
      category: 'directive', requiresAck: true, expiresAt: new Date(clock.now().getTime() + 20 * MINUTE).toISOString(), escalation: { steps: [{ channel: 'email', afterMinutes: 30 }], repeat: null },
    });
    const remind = () => org.m.api.post(`/api/announcements/${directive.id}/remind`, { channel: 'email' });
    const first = ok(await remind());
    expect(first.reminded).toBeGreaterThanOrEqual(3);
    const again = await remind();
    expect([again.status, again.body.error.code, again.headers.get('retry-after')]).toEqual([429, 'rate_limited', '300']);
    expect(ok(await org.m.api.get(`/api/announcements/${directive.id}/ledger`)).remindAvailableAt).not.toBeNull();
    expect(outcome(await org.a.api.post(`/api/announcements/${directive.id}/remind`, {}))).toBe('403 forbidden');
    expect(outcome(await org.c.api.post(`/api/announcements/${directive.id}/remind`, {}))).toBe('404 not_found');
    clock.advance(5 * MINUTE);
    ok(await remind());
    await eventually(() => mailsAbout(org.b.user.email, `Please acknowledge: ${title}`).length === 2, { what: 'two reminders by hand' });

    clock.advance(25 * MINUTE);
    expect(await due()).toMatchObject({ expired: 1 });
    expect(await due()).toMatchObject({ fired: 0, expired: 0 });
    const [step] = await server.orm.em.fork().execute<{ notified: number; fired: boolean }[]>(`SELECT notified, fired_at IS NOT NULL AS fired FROM announcement_escalations WHERE announcement_id = ?`, [directive.id]);
    expect(step).toEqual({ notified: 0, fired: true });
    expect(outcome(await remind())).toBe('409 conflict');
    expect(mailsAbout(org.b.user.email, `Please acknowledge: ${title}`)).toHaveLength(2);
  });
});
