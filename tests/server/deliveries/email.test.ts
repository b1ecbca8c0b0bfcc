import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createUser, rootDepartment } from '../../support/factories.js';
import { SmtpSink } from '../../support/smtpSink.js';
import { fastJobsEnv, localIn, eventually } from '../../support/timing.js';

let server: TestServer;
let admin: ApiClient;
let rootId: string;
const sink = new SmtpSink();

beforeAll(async () => {
  await sink.start();
  server = await startTestServer({ ...fastJobsEnv, SMTP_URL: sink.url, MAIL_FROM: 'Huitong <noreply@huitong.test>', PUBLIC_URL: 'https://huitong.example' });
  admin = await server.admin();
  rootId = (await rootDepartment(admin)).id;
});
afterAll(async () => {
  await server?.close();
  await sink.stop();
});

// As Lexical's editorState.toJSON() writes it.
const note = {
  root: {
    type: 'root', version: 1, direction: null, format: '', indent: 0,
    children: [{
      type: 'paragraph', version: 1, direction: null, format: '', indent: 0, textFormat: 0, textStyle: '',
      children: [{ type: 'text', version: 1, text: 'Bring the <signed> contract', format: 1, detail: 0, mode: 'normal', style: '' }],
    }],
  },
};
const deliveriesOf = async (api: ApiClient, notificationId: string) => ok(await api.get(`/api/notifications/${notificationId}/deliveries`)).deliveries as any[];
const latestNotification = async (api: ApiClient) => ok(await api.get('/api/notifications?limit=1')).items[0];
const systemMessage = (recipientId: string, title: string, urgent = false) => admin.post('/api/notifications/system', { recipientIds: [recipientId], title, body: 'Body of ' + title, urgent });

describe('reminder e-mail through a real SMTP server', () => {
  it('reaches the owner once, in English, with the note rendered safely and a link into the web client', async () => {
    const { user, api } = await createUser(admin, rootId, { locale: 'en', timeZone: 'Europe/Berlin' });
    const reminder = ok(await api.post('/api/reminders', { title: 'Call Acme', note, dtstart: localIn('Europe/Berlin', 1500), timeZone: 'Europe/Berlin', channels: ['email'] }), 201);
    const [mail] = await eventually(() => (sink.to(user.email).length ? sink.to(user.email) : null), { what: 'the reminder e-mail' });
    expect(mail.parsed.subject).toBe('[Huitong] Call Acme');
    expect(mail.parsed.from?.text).toContain('noreply@huitong.test');
    expect(mail.parsed.text).toContain('Bring the <signed> contract');
    expect(mail.parsed.text).toContain(`Open in Huitong: https://huitong.example/reminders/${reminder.id}`);
    expect(mail.parsed.html).toContain('<p><strong>Bring the &lt;signed&gt; contract</strong></p>');
    expect(mail.parsed.html).toContain(`href="https://huitong.example/reminders/${reminder.id}"`);

    const notification = await eventually(() => latestNotification(api));
    expect(notification).toMatchObject({ kind: 'reminder', title: 'Call Acme', body: 'Bring the <signed> contract' });
    const [delivery] = await eventually(async () => {
      const rows = await deliveriesOf(api, notification.id);
      return rows[0]?.status === 'sent' ? rows : null;
    });
    expect(delivery).toMatchObject({ channel: 'email', provider: 'smtp', address: user.email, status: 'sent', attempts: 1 });
    expect(delivery.providerId).toContain('@huitong.example>');

    // A sweep and another dispatch round change nothing: one message per occurrence.
    await server.jobs.sweep();
    await server.jobs.dispatcher.dispatchBatch();
    expect(sink.to(user.email)).toHaveLength(1);
    expect(ok(await api.get(`/api/reminders/${reminder.id}`)).status).toBe('ended');
  });

  it('a recurring reminder sends one e-mail for its first occurrence, in Chinese, and schedules the next one', async () => {
    const { user, api } = await createUser(admin, rootId, { locale: 'zh-CN' });
    const dtstart = localIn('Asia/Shanghai', 1500);
    const reminder = ok(await api.post('/api/reminders', { title: '提交日报', dtstart, timeZone: 'Asia/Shanghai', rrule: 'FREQ=DAILY', channels: ['email'] }), 201);
    const [mail] = await eventually(() => (sink.to(user.email).length ? sink.to(user.email) : null), { what: 'the reminder e-mail' });
    expect(mail.parsed.subject).toBe('[汇通] 提交日报');
    expect(mail.parsed.text).toContain('在汇通中查看: https://huitong.example/reminders/');
    const after = await eventually(async () => {
      const r = ok(await api.get(`/api/reminders/${reminder.id}`));
      return r.nextDueAt && r.nextDueAt.slice(0, 10) !== dtstart.slice(0, 10) ? r : null;
    });
    const tomorrow = new Date(Date.parse(dtstart + '+08:00') + 86400_000);
    expect(after.nextDueAt).toBe(localIn('Asia/Shanghai', tomorrow.getTime() - Date.now()).replace(/$/, '+08:00'));
    await server.jobs.sweep();
    expect(sink.to(user.email)).toHaveLength(1);
  });
});

describe('preferences per kind and quiet hours', () => {
  it('no e-mail for a kind the user switched off, e-mail for one left on', async () => {
    const { user, api } = await createUser(admin, rootId, { locale: 'en' });
    ok(await api.patch('/api/me/notification-settings', { preferences: { system: { email: false, sms: false } } }));
    ok(await systemMessage(user.id, 'Quietly noted'));
    const silent = await latestNotification(api);
    expect(await deliveriesOf(api, silent.id)).toEqual([]);

    ok(await api.patch('/api/me/notification-settings', { preferences: { system: { email: true, sms: false } } }));
    ok(await systemMessage(user.id, 'Loudly noted'));
    await eventually(() => sink.to(user.email).length === 1, { what: 'the e-mail of the kind left on' });
    expect(sink.to(user.email)[0].parsed.subject).toBe('[Huitong] Loudly noted');
    const settings = ok(await api.get('/api/me/notification-settings'));
    expect(settings.preferences.system).toEqual({ email: true, sms: false, push: true });
    expect(settings.preferences.reminder).toEqual({ email: true, sms: true, push: true });
  });

  it('quiet hours defer e-mail to their end in the user’s zone; urgent goes at once', async () => {
    const { user, api } = await createUser(admin, rootId, { locale: 'en', timeZone: 'America/New_York' });
    const hhmm = (offsetMs: number) => localIn('America/New_York', offsetMs).slice(11, 16);
    const quietHours = { start: hhmm(-3600_000), end: hhmm(2 * 3600_000), weekends: false };
    ok(await api.patch('/api/me/notification-settings', { quietHours }));
    ok(await systemMessage(user.id, 'Can wait'));
    const deferred = (await deliveriesOf(api, (await latestNotification(api)).id))[0];
    expect(deferred.status).toBe('queued');
    const end = new Date(deferred.notBefore);
    expect(end.getTime() - Date.now()).toBeGreaterThan(3600_000);
    expect(localIn('America/New_York', end.getTime() - Date.now() - 999).slice(11, 16)).toBe(quietHours.end);

    ok(await systemMessage(user.id, 'Cannot wait', true));
    await eventually(() => sink.to(user.email).length === 1, { what: 'the urgent e-mail' });
    await server.jobs.dispatcher.dispatchBatch();
    expect(sink.to(user.email).map((m) => m.parsed.subject)).toEqual(['[Huitong][Urgent] Cannot wait']);
  });
});

describe('SMTP failures', () => {
  it('a 5xx reply fails the delivery at once with the reason, without retries', async () => {
    const { user, api } = await createUser(admin, rootId, { locale: 'en' });
    sink.reply = 550;
    try {
      ok(await systemMessage(user.id, 'Bounces'));
      const notification = await latestNotification(api);
      const [failed] = await eventually(async () => {
        const rows = await deliveriesOf(api, notification.id);
        return rows[0]?.status === 'failed' ? rows : null;
      });
      expect(failed.attempts).toBe(1);
      expect(failed.lastError).toMatch(/550/);
    } finally {
      sink.reply = 250;
    }
    expect(sink.to(user.email)).toHaveLength(0);
  });

  it('SMTP down (connection refused), then back: delivered late, once', async () => {
    const { user, api } = await createUser(admin, rootId, { locale: 'en' });
    await sink.stop();
    try {
      ok(await systemMessage(user.id, 'Arrives late'));
      const notification = await latestNotification(api);
      const [retrying] = await eventually(async () => {
        const rows = await deliveriesOf(api, notification.id);
        return rows[0]?.attempts >= 2 ? rows : null;
      });
      expect(retrying.status).toBe('queued');
      expect(retrying.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);
    } finally {
      await sink.start();
    }
    await eventually(() => sink.to(user.email).length === 1, { timeoutMs: 15_000, what: 'the late e-mail' });
    const [sent] = await eventually(async () => {
      const rows = await deliveriesOf(api, (await latestNotification(api)).id);
      return rows[0]?.status === 'sent' ? rows : null;
    });
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    await server.jobs.dispatcher.dispatchBatch();
    expect(sink.to(user.email)).toHaveLength(1);
  });

  it('a 4xx reply is retried with backoff until the server accepts', async () => {
    const { user, api } = await createUser(admin, rootId, { locale: 'en' });
    sink.reply = 451;
    ok(await systemMessage(user.id, 'Greylisted'));
    const notification = await latestNotification(api);
    await eventually(async () => (await deliveriesOf(api, notification.id))[0]?.attempts >= 2, { what: 'a retry after 451' });
    sink.reply = 250;
    await eventually(() => sink.to(user.email).length === 1, { timeoutMs: 15_000, what: 'the accepted e-mail' });
    const [sent] = await eventually(async () => {
      const rows = await deliveriesOf(api, notification.id);
      return rows[0]?.status === 'sent' ? rows : null;
    });
    expect(sent.lastError).toBeNull();
  });
});
