import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/server.js';
import { ok, type ApiClient } from '../support/api.js';
import { createUser, PASSWORD, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openSignedIn } from '../support/browser.js';
import { fastJobsEnv, localIn } from '../support/timing.js';

const suite = browserSuite(fastJobsEnv);
let admin: ApiClient;
let rootId: string;

beforeAll(async () => {
  admin = await suite.server.admin();
  rootId = (await rootDepartment(admin)).id;
});

async function signedIn(fields: Record<string, unknown> = {}, locale = 'en') {
  const created = await createUser(admin, rootId, { locale: 'en', timeZone: 'America/New_York', ...fields });
  return { ...created, ...(await openSignedIn(suite.browser, suite.server.url, created.user.email, PASSWORD, locale)) };
}

describe('reminders page', () => {
  it('builds a weekly rule with the friendly editor, previews it across DST, saves, pauses, resumes and deletes it', async () => {
    const { api, page, context, pageErrors } = await signedIn();
    await byTestId(page, 'nav-reminders').click();
    await byTestId(page, 'reminders-page').waitFor();
    await byTestId(page, 'reminder-title').fill('Weekly pipeline review');
    await byTestId(page, 'reminder-start').fill('2027-03-08T09:00');
    expect(await byTestId(page, 'reminder-timezone').inputValue()).toBe('America/New_York');
    await byTestId(page, 'recurrence-kind').selectOption('weekly');
    await byTestId(page, 'recurrence-weekday-WE').check();
    expect(await byTestId(page, 'recurrence-description').textContent()).toBe('Weekly on Mon, Wed');
    // The server's preview: 09:00 local stays 09:00 when New York moves to summer time on 14 March 2027.
    await page.locator('[data-testid="preview-occurrence"][data-at="2027-03-15T09:00:00-04:00"]').waitFor();
    expect(await byTestId(page, 'preview-occurrence').evaluateAll((els) => els.map((e) => e.getAttribute('data-at')))).toEqual([
      '2027-03-08T09:00:00-05:00',
      '2027-03-10T09:00:00-05:00',
      '2027-03-15T09:00:00-04:00',
      '2027-03-17T09:00:00-04:00',
      '2027-03-22T09:00:00-04:00',
    ]);
    await byTestId(page, 'reminder-channel-sms').check();
    await byTestId(page, 'reminder-save').click();
    await byTestId(page, 'reminders-success').waitFor();

    const [saved] = ok(await api.get('/api/reminders')).items;
    expect(saved).toMatchObject({ title: 'Weekly pipeline review', rrule: 'FREQ=WEEKLY;BYDAY=MO,WE', dtstart: '2027-03-08T09:00:00', timeZone: 'America/New_York', channels: ['email', 'sms'], nextDueAt: '2027-03-08T09:00:00-05:00' });
    const row = page.locator(`[data-testid="reminder-row"][data-id="${saved.id}"]`);
    expect(await row.getByTestId('reminder-repeat').textContent()).toBe('Weekly on Mon, Wed');
    await page.locator('[data-testid="upcoming-occurrence"][data-at="2027-03-10T09:00:00-05:00"]').waitFor();

    await row.getByTestId('reminder-pause').click();
    await page.locator(`[data-testid="reminder-row"][data-id="${saved.id}"][data-status="paused"]`).waitFor();
    expect(ok(await api.get(`/api/reminders/${saved.id}`)).status).toBe('paused');
    await row.getByTestId('reminder-resume').click();
    await page.locator(`[data-testid="reminder-row"][data-id="${saved.id}"][data-status="active"]`).waitFor();
    await row.getByTestId('reminder-delete').click();
    await row.getByTestId('reminder-delete-confirm').click();
    await row.waitFor({ state: 'detached' });
    expect(ok(await api.get('/api/reminders')).items).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('monthly on the last day and a malformed raw RRULE: the preview shows the server’s reason and nothing is saved', async () => {
    const { api, page, context } = await signedIn({ timeZone: 'Asia/Shanghai', locale: 'zh-CN' }, 'zh-CN');
    await page.goto('/reminders');
    await byTestId(page, 'reminder-title').fill('月底对账');
    await byTestId(page, 'reminder-start').fill('2027-01-31T18:00');
    await byTestId(page, 'recurrence-kind').selectOption('monthly');
    await byTestId(page, 'recurrence-monthday').selectOption('last');
    expect(await byTestId(page, 'recurrence-description').textContent()).toBe('每月最后一天');
    await page.locator('[data-testid="preview-occurrence"][data-at="2027-02-28T18:00:00+08:00"]').waitFor();

    await byTestId(page, 'recurrence-kind').selectOption('custom');
    await byTestId(page, 'recurrence-rrule').fill('FREQ=MONTHLY;BYMONTHDAY=32');
    await byTestId(page, 'preview-error').waitFor();
    expect(await byTestId(page, 'preview-error-message').textContent()).toContain('BYMONTHDAY values must be between -31 and -1 or between 1 and 31');
    await byTestId(page, 'reminder-save').click();
    await byTestId(page, 'reminder-error').waitFor();
    expect(await byTestId(page, 'reminder-error').getAttribute('data-code')).toBe('validation_failed');
    // The problem stands beside the recurrence, worded in the user's language from its code.
    expect(await byTestId(page, 'field-problem-rrule').getAttribute('data-code')).toBe('invalid_rule');
    expect(await byTestId(page, 'field-problem-rrule').textContent()).toMatch(/^重复规则无效：/);
    expect(ok(await api.get('/api/reminders')).items).toEqual([]);
    await context.close();
  });

  it('a schedule entry’s reminder says where it comes from and offers pausing, not editing or deleting', async () => {
    const { api, page, context, pageErrors } = await signedIn();
    ok(await api.post('/api/schedule/entries', { kind: 'call', title: 'Call Great Wall Motors', start: '2031-05-06T10:00', end: '2031-05-06T10:30', reminderOffsets: [15] }), 201);
    await byTestId(page, 'nav-reminders').click();
    const row = byTestId(page, 'reminder-row').filter({ has: page.locator('[data-testid="reminder-source"][data-kind="entry"]', { hasText: 'Call Great Wall Motors' }) });
    await row.waitFor();
    expect(await row.locator('[data-testid="reminder-delete"]').count()).toBe(0);
    await row.locator('[data-testid="reminder-open"]').click();
    await byTestId(page, 'reminder-managed-elsewhere').waitFor();
    expect(await byTestId(page, 'reminder-save').count()).toBe(0);
    await row.locator('[data-testid="reminder-pause"]').click();
    await page.locator('[data-testid="reminder-row"][data-status="paused"]').waitFor();
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});

describe('notification settings, delivery status and the outbox', () => {
  it('saves preferences per kind and quiet hours', async () => {
    const { api, page, context } = await signedIn();
    await byTestId(page, 'nav-settings').click();
    await byTestId(page, 'notification-settings-page').waitFor();
    expect(await byTestId(page, 'settings-reminder-sms').isChecked()).toBe(true);
    await byTestId(page, 'settings-system-email').uncheck();
    await byTestId(page, 'settings-mention-sms').check();
    await byTestId(page, 'settings-quiet').check();
    await byTestId(page, 'settings-quiet-start').fill('21:30');
    await byTestId(page, 'settings-quiet-end').fill('07:45');
    await byTestId(page, 'settings-quiet-weekends').check();
    await byTestId(page, 'settings-save').click();
    await byTestId(page, 'settings-success').waitFor();
    const saved = ok(await api.get('/api/me/notification-settings'));
    expect(saved.preferences.system).toEqual({ email: false, sms: false, push: true });
    expect(saved.preferences.mention).toEqual({ email: true, sms: true, push: true });
    expect(saved.quietHours).toEqual({ start: '21:30', end: '07:45', weekends: true });
    await page.reload();
    expect(await byTestId(page, 'settings-quiet-start').inputValue()).toBe('21:30');
    await context.close();
  });

  it('shows how a fired reminder reached the user, and the outbox to administrators only', async () => {
    const { api, page, context } = await signedIn();
    ok(await api.post('/api/reminders', { title: 'Call the customer back', dtstart: localIn('America/New_York', 1500), timeZone: 'America/New_York', channels: ['email'] }), 201);
    await byTestId(page, 'notification-bell').click();
    const item = page.locator('[data-testid="notification-item"]', { hasText: 'Call the customer back' });
    await item.waitFor();
    await item.getByTestId('notification-deliveries-toggle').click();
    // No SMTP server is configured for this test server: recorded as log only, never "sent".
    await item.locator('[data-testid="notification-delivery"][data-channel="email"][data-status="logged"]').waitFor();
    // Snooze it: a one-off occurrence for this user in about 10 minutes.
    await item.getByTestId('snooze-10m').click();
    const snoozedAt = Date.parse((await item.getByTestId('snoozed').getAttribute('data-at'))!);
    expect(snoozedAt - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(snoozedAt - Date.now()).toBeLessThan(11 * 60_000);

    await page.goto('/admin/outbox');
    await byTestId(page, 'admin-refused').waitFor();
    await context.close();

    const adminPage = await openSignedIn(suite.browser, suite.server.url, ADMIN.email, ADMIN.password);
    await adminPage.page.goto('/admin/outbox');
    await byTestId(adminPage.page, 'outbox-page').waitFor();
    await adminPage.page.locator('[data-testid="outbox-row"]', { hasText: 'Call the customer back' }).waitFor();
    await byTestId(adminPage.page, 'outbox-status').selectOption('failed');
    await byTestId(adminPage.page, 'outbox-row').first().waitFor({ state: 'detached' });
    await adminPage.context.close();
  });
});
