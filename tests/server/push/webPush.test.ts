import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadVapidKeys } from '../../../server/channels/vapidKeys.js';
import { loadConfig } from '../../../server/config/env.js';
import { ApiClient, ok } from '../../support/api.js';
import { createUser, rootDepartment } from '../../support/factories.js';
import { startLocalPushService, type LocalPushService, type LocalSubscription } from '../../support/pushService.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';

let server: TestServer;
let push: LocalPushService;
let admin: ApiClient;
let root: any;
let publicKey: string;

beforeAll(async () => {
  push = await startLocalPushService();
  server = await startTestServer({ PUSH_SERVICE_ORIGINS: push.url, JOB_POLL_MS: '500' });
  admin = await server.admin();
  root = await rootDepartment(admin);
  publicKey = ok(await admin.get('/api/push/key')).publicKey;
});
afterAll(async () => {
  await server?.close();
  await push?.close();
});

const subscribeDevice = async (api: ApiClient, subscription: LocalSubscription, label = 'Chrome · Android') =>
  api.post('/api/push/devices', { endpoint: subscription.endpoint, keys: subscription.keys, label });

const systemMessage = async (userId: string, title: string, urgent = false) => ok(await admin.post('/api/notifications/system', { recipientIds: [userId], title, body: `${title} body`, urgent }), 201);

const pushDeliveries = async (userId: string) =>
  server.orm.em.fork().execute<{ title: string; status: string; last_error: string | null; not_before: Date; push_subscription_id: string | null; address: string }[]>(
    `SELECT n.title, d.status, d.last_error, d.not_before, d.push_subscription_id::text AS push_subscription_id, d.address
     FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE d.recipient_id = ? AND d.channel = 'push' ORDER BY d.id`,
    [userId],
  );

describe('Web Push', () => {
  it('keeps one VAPID key pair in the database across restarts, and the environment’s when set', async () => {
    expect(publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
    const [row] = await server.orm.em.fork().execute<{ public_key: string }[]>(`SELECT public_key FROM web_push_keys`);
    expect(row.public_key).toBe(publicKey);
    // A second server on the same database (a restart, or another process) uses the same pair.
    const again = await startTestServer({}, { databaseUrl: server.databaseUrl });
    try {
      expect(ok(await (await again.admin()).get('/api/push/key')).publicKey).toBe(publicKey);
    } finally {
      await again.close();
    }
    const configured = { publicKey: 'B'.repeat(87), privateKey: 'p'.repeat(43) };
    expect(await loadVapidKeys(server.orm.em.fork(), { webPush: { ...configured, subject: 'mailto:ops@huitong.test', extraServiceOrigins: [] } })).toEqual({ ...configured, source: 'environment' });
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: publicKey })).toThrow(/both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY/);
    expect(() => loadConfig({ VAPID_SUBJECT: 'ops@huitong.test' })).toThrow(/VAPID_SUBJECT must be a mailto: address or an https: URL/);
  });

  it('pushes a notification to every subscribed device of the recipient, encrypted to it and signed with the server’s key, and logs each', async () => {
    const { user, api } = await createUser(admin, root.id);
    const phone = await push.subscribe(publicKey);
    const laptop = await push.subscribe(publicKey);
    const device = ok(await subscribeDevice(api, phone), 201);
    expect(device).toMatchObject({ label: 'Chrome · Android', endpoint: phone.endpoint, lastSuccessAt: null });
    ok(await subscribeDevice(api, laptop, 'Firefox · Linux'), 201);
    // Subscribing the same browser again takes its row over instead of adding a device.
    ok(await subscribeDevice(api, phone, 'My phone'), 201);
    const devices = ok<any[]>(await api.get('/api/push/devices'));
    expect(devices.map((d) => d.label).sort()).toEqual(['Firefox · Linux', 'My phone']);

    await systemMessage(user.id, 'Visit moved to 3 pm');
    const [onPhone] = await waitFor(async () => {
      const got = await push.messages(phone.clientHash);
      return got.length > 0 && got;
    }, { what: 'the push on the phone' });
    const payload = JSON.parse(onPhone);
    expect(payload).toMatchObject({ kind: 'system', title: 'Visit moved to 3 pm', body: 'Visit moved to 3 pm body', link: '/', urgent: false });
    expect(payload.notificationId).toMatch(/^\d+$/);
    await waitFor(async () => (await push.messages(laptop.clientHash)).length === 1, { what: 'the push on the laptop' });

    const logged = await waitFor(async () => {
      const rows = await pushDeliveries(user.id);
      return rows.length === 2 && rows.every((r) => r.status === 'sent') && rows;
    }, { what: 'both push deliveries sent' });
    expect(logged.map((r) => r.address).sort()).toEqual(['Firefox · Linux', 'My phone']);
    // The user sees it under "how it reached me", and the device list shows it was reached.
    const how = ok(await api.get(`/api/notifications/${payload.notificationId}/deliveries`));
    expect(how.deliveries.filter((d: any) => d.channel === 'push').map((d: any) => d.status)).toEqual(['sent', 'sent']);
    expect(ok<any[]>(await api.get('/api/push/devices')).every((d) => d.lastSuccessAt !== null)).toBe(true);
  });

  it('follows the per-kind preference and quiet hours (urgent ones go at once)', async () => {
    const { user, api } = await createUser(admin, root.id);
    const phone = await push.subscribe(publicKey);
    ok(await subscribeDevice(api, phone), 201);

    const settings = ok(await api.patch('/api/me/notification-settings', { preferences: { system: { push: false } } }));
    // The other channels of the kind keep their setting.
    expect(settings.preferences.system).toEqual({ email: true, sms: false, push: false });
    expect(settings.preferences.mention).toEqual({ email: true, sms: false, push: true });
    await systemMessage(user.id, 'Not pushed');
    // The e-mail of the same notification is planned: the push was left out by the preference, not lost.
    await waitFor(async () => (await server.orm.em.fork().execute(`SELECT 1 FROM deliveries WHERE recipient_id = ? AND channel = 'email'`, [user.id])).length === 1);
    expect(await pushDeliveries(user.id)).toEqual([]);

    // Quiet hours around the clock: deferred, except urgent.
    ok(await api.patch('/api/me/notification-settings', { preferences: { system: { push: true } }, quietHours: { start: '00:00', end: '23:59', weekends: true } }));
    await systemMessage(user.id, 'Deferred');
    await systemMessage(user.id, 'Urgent', true);
    const rows = await waitFor(async () => {
      const found = await pushDeliveries(user.id);
      return found.length === 2 && found.find((r) => r.title === 'Urgent')?.status === 'sent' && found;
    }, { what: 'the urgent push sent' });
    const deferred = rows.find((r) => r.title === 'Deferred')!;
    expect(deferred.status).toBe('queued');
    expect(new Date(deferred.not_before).getTime()).toBeGreaterThan(Date.now() + 60_000);
    expect((await push.messages(phone.clientHash)).map((m) => JSON.parse(m).title)).toEqual(['Urgent']);
  });

  it('removes a device the push service answers 410 for, and logs why', async () => {
    const { user, api } = await createUser(admin, root.id);
    const phone = await push.subscribe(publicKey);
    ok(await subscribeDevice(api, phone), 201);
    await push.expire(phone.clientHash);
    await systemMessage(user.id, 'Gone');
    const [row] = await waitFor(async () => {
      const found = await pushDeliveries(user.id);
      return found[0]?.status === 'failed' && found;
    }, { what: 'the push to an expired subscription failed' });
    expect(row.last_error).toMatch(/push service 410.*device was removed/);
    expect(row.push_subscription_id).toBeNull();
    expect(ok<any[]>(await api.get('/api/push/devices'))).toEqual([]);
  });

  it('ends a device’s pushes when its sign-in ends', async () => {
    const { user } = await createUser(admin, root.id);
    const second = new ApiClient(server.url);
    await second.login(user.email, 'Lantern-harbour-42');
    const phone = await push.subscribe(publicKey);
    ok(await subscribeDevice(second, phone), 201);
    ok(await second.post('/api/auth/logout'));
    const first = new ApiClient(server.url);
    await first.login(user.email, 'Lantern-harbour-42');
    expect(ok<any[]>(await first.get('/api/push/devices'))).toEqual([]);
  });

  it('refuses bad subscriptions and other users’ devices, and needs a sign-in', async () => {
    const owner = await createUser(admin, root.id);
    const other = await createUser(admin, root.id);
    const phone = await push.subscribe(publicKey);
    const device = ok(await subscribeDevice(owner.api, phone), 201);

    expect((await server.client().get('/api/push/key')).status).toBe(401);
    expect((await server.client().post('/api/push/devices', { endpoint: phone.endpoint, keys: phone.keys, label: 'x' })).status).toBe(401);
    // Another user neither sees nor removes it (404: its existence is not revealed).
    expect(ok<any[]>(await other.api.get('/api/push/devices'))).toEqual([]);
    const refused = await other.api.delete(`/api/push/devices/${device.id}`);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('not_found');
    expect(ok<any[]>(await owner.api.get('/api/push/devices'))).toHaveLength(1);

    const bad = await owner.api.post('/api/push/devices', { endpoint: 'ftp://push.example/x', keys: { p256dh: 'short', auth: phone.keys.auth }, label: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['endpoint', 'keys.p256dh', 'label']);
    // A well-formed subscription at a host that is no browser's push service (it could aim the server inside the network).
    const elsewhere = await owner.api.post('/api/push/devices', { endpoint: 'https://intranet.example.com/push/1', keys: phone.keys, label: 'x' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.details).toEqual([expect.objectContaining({ path: 'endpoint', code: 'unknown_push_service' })]);
    expect(ok<any[]>(await owner.api.get('/api/push/devices'))).toHaveLength(1);

    expect((await owner.api.delete(`/api/push/devices/${device.id}`)).status).toBe(204);
    expect(ok<any[]>(await owner.api.get('/api/push/devices'))).toEqual([]);
  });
});
