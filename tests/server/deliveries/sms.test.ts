import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createUser, rootDepartment } from '../../support/factories.js';
import { TWILIO, TwilioStandIn } from '../../support/twilioStandIn.js';
import { fastJobsEnv, eventually } from '../../support/timing.js';

let server: TestServer;
let admin: ApiClient;
let rootId: string;
const twilio = new TwilioStandIn();
let mobileCounter = 0;
const newMobile = () => `+861380013${String(8000 + ++mobileCounter).padStart(4, '0')}`;

beforeAll(async () => {
  await twilio.start();
  server = await startTestServer({
    ...fastJobsEnv,
    PUBLIC_URL: 'https://huitong.example',
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_FROM: TWILIO.from,
    TWILIO_API_BASE_URL: twilio.url,
  });
  admin = await server.admin();
  rootId = (await rootDepartment(admin)).id;
});
afterAll(async () => {
  await server?.close();
  await twilio.stop();
});

/** A user who wants system messages by SMS only. */
async function smsUser(fields: Record<string, unknown> = {}) {
  const mobile = newMobile();
  const created = await createUser(admin, rootId, { locale: 'zh-CN', mobile, ...fields });
  ok(await created.api.patch('/api/me/notification-settings', { preferences: { system: { email: false, sms: true } } }));
  return { ...created, mobile };
}
const notify = async (recipientId: string, title: string) => ok(await admin.post('/api/notifications/system', { recipientIds: [recipientId], title, body: '请查看详情' }), 201);
const smsDelivery = async (api: ApiClient) => {
  const notification = ok(await api.get('/api/notifications?limit=1')).items[0];
  return (ok(await api.get(`/api/notifications/${notification.id}/deliveries`)).deliveries as any[]).find((d) => d.channel === 'sms');
};
const settled = (api: ApiClient, status: string) => eventually(async () => {
  const d = await smsDelivery(api);
  return d?.status === status ? d : null;
}, { timeoutMs: 15_000, what: `an SMS delivery with status ${status}` });

describe('SMS through the twilio SDK against the stand-in', () => {
  it('sends the text in the recipient’s language with the basic auth, sender and status callback Twilio expects', async () => {
    const { user, api, mobile } = await smsUser();
    await notify(user.id, '审批已通过');
    const sent = await settled(api, 'sent');
    const [request] = twilio.accepted(mobile);
    expect(request.from).toBe(TWILIO.from);
    expect(request.body).toMatch(/^【汇通】审批已通过: 请查看详情 https:\/\/huitong\.example\/notifications$/);
    expect(request.statusCallback).toBe('https://huitong.example/webhooks/twilio/status');
    expect(sent).toMatchObject({ provider: 'twilio', providerId: request.sid, address: mobile, attempts: 1 });
  });

  it('429 then success: retried and delivered once', async () => {
    const { user, api, mobile } = await smsUser();
    twilio.script(mobile, [{ status: 429, code: 20429, message: 'Too Many Requests' }]);
    await notify(user.id, '限流之后');
    const sent = await settled(api, 'sent');
    expect(sent.attempts).toBe(2);
    expect(twilio.requests.filter((r) => r.to === mobile).map((r) => r.status)).toEqual([429, 201]);
    await server.jobs.dispatcher.dispatchBatch();
    expect(twilio.accepted(mobile)).toHaveLength(1);
  });

  it('400 invalid number (21211): failed permanently with the reason, not retried', async () => {
    const { user, api, mobile } = await smsUser();
    twilio.script(mobile, [{ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." }]);
    await notify(user.id, '号码无效');
    const failed = await settled(api, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/21211/);
    await server.jobs.dispatcher.dispatchBatch();
    expect(twilio.requests.filter((r) => r.to === mobile)).toHaveLength(1);
  });

  it('500: retried with backoff until Twilio answers', async () => {
    const { user, api, mobile } = await smsUser();
    twilio.script(mobile, [{ status: 500, code: 20500, message: 'Internal Server Error' }, { status: 503, code: 20503, message: 'Service Unavailable' }]);
    await notify(user.id, '服务器错误');
    const sent = await settled(api, 'sent');
    expect(sent.attempts).toBe(3);
    expect(twilio.requests.filter((r) => r.to === mobile).map((r) => r.status)).toEqual([500, 503, 201]);
  });

  it('a user without a mobile number gets a failed SMS entry that says why', async () => {
    const created = await createUser(admin, rootId, { locale: 'en' });
    ok(await created.api.patch('/api/me/notification-settings', { preferences: { system: { email: false, sms: true } } }));
    await notify(created.user.id, 'No phone');
    expect(await smsDelivery(created.api)).toMatchObject({ status: 'failed', lastError: 'The recipient has no mobile number', attempts: 0 });
  });
});

describe('with a messaging service instead of a sender number', () => {
  it('sends MessagingServiceSid and no From', async () => {
    const other = await startTestServer({ ...fastJobsEnv, TWILIO_ACCOUNT_SID: TWILIO.accountSid, TWILIO_AUTH_TOKEN: TWILIO.authToken, TWILIO_MESSAGING_SERVICE_SID: 'MG' + 'c3'.repeat(16), TWILIO_API_BASE_URL: twilio.url });
    try {
      const otherAdmin = await other.admin();
      const mobile = newMobile();
      const { user, api } = await createUser(otherAdmin, (await rootDepartment(otherAdmin)).id, { mobile });
      ok(await api.patch('/api/me/notification-settings', { preferences: { system: { email: false, sms: true } } }));
      ok(await otherAdmin.post('/api/notifications/system', { recipientIds: [user.id], title: 'Via service' }), 201);
      await eventually(() => twilio.accepted(mobile).length === 1, { what: 'the SMS' });
      expect(twilio.accepted(mobile)[0]).toMatchObject({ messagingServiceSid: 'MG' + 'c3'.repeat(16), from: undefined });
    } finally {
      await other.close();
    }
  });
});

describe('POST /webhooks/twilio/status', () => {
  it('a correctly signed callback marks the SMS delivered; a forged one is refused with 403 and changes nothing', async () => {
    const { user, api, mobile } = await smsUser();
    await notify(user.id, '回执');
    await settled(api, 'sent');
    const [request] = twilio.accepted(mobile);

    const forged = await twilio.callback(server.url, request, 'delivered', { forge: true });
    expect(forged.status).toBe(403);
    expect((await forged.json()).error.code).toBe('forbidden');
    expect((await smsDelivery(api)).status).toBe('sent');

    const unsigned = await fetch(server.url + '/webhooks/twilio/status', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `MessageSid=${request.sid}&MessageStatus=delivered` });
    expect(unsigned.status).toBe(403);

    expect((await twilio.callback(server.url, request, 'delivered')).status).toBe(204);
    const delivered = await smsDelivery(api);
    expect(delivered.status).toBe('delivered');
    expect(delivered.deliveredAt).not.toBeNull();
  });

  it('a signed "undelivered" callback marks the SMS failed with Twilio’s error code', async () => {
    const { user, api, mobile } = await smsUser();
    await notify(user.id, '未送达');
    await settled(api, 'sent');
    expect((await twilio.callback(server.url, twilio.accepted(mobile)[0], 'undelivered', { errorCode: '30003' })).status).toBe(204);
    expect(await smsDelivery(api)).toMatchObject({ status: 'failed', lastError: 'Twilio reported undelivered (error 30003)' });
  });
});

describe('the outbox', () => {
  it('administrators see every delivery; members are refused with 403', async () => {
    const { api } = await smsUser();
    const refused = await api.get('/api/admin/outbox');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    const outbox = ok(await admin.get('/api/admin/outbox?channel=sms&limit=200'));
    expect(outbox.channels).toEqual({ email: 'log', sms: 'twilio', push: 'webpush' });
    expect(outbox.items.length).toBeGreaterThanOrEqual(7);
    expect(outbox.items.every((d: any) => d.channel === 'sms')).toBe(true);
    expect(outbox.items[0]).toHaveProperty('title');
    expect((await admin.get('/api/admin/outbox?status=nope')).status).toBe(400);
  });

  it('a user cannot read the deliveries of someone else’s notification (404)', async () => {
    const owner = await smsUser();
    await notify(owner.user.id, '私人');
    const notification = ok(await owner.api.get('/api/notifications?limit=1')).items[0];
    const other = await createUser(admin, rootId);
    expect((await other.api.get(`/api/notifications/${notification.id}/deliveries`)).status).toBe(404);
  });
});
