/**
 * The web client on a phone (390 × 844, touch) and on a desktop, against a real server: every page
 * fits the screen (the document is exactly as wide as the viewport), the tab bar and the chat's
 * list → conversation → back work, a message goes both ways in the phone layout, axe-core finds no
 * serious or critical accessibility problem on any page, and each page's screenshot is kept under
 * test-results/. Then the installed app: the real service worker opens the app with the server
 * stopped and shows the conversations it last loaded, read-only; and push through the real
 * service worker and a local push service (see the push test for what this Chromium cannot do).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { ADMIN } from '../support/server.js';
import { ok, unique, type ApiClient } from '../support/api.js';
import { createUser, PASSWORD, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openPage, openSignedIn, signInThroughForm, type TestPage } from '../support/browser.js';
import { sendText } from '../support/chat.js';
import { startLocalPushService, type LocalPushService } from '../support/pushService.js';
import { waitFor } from '../support/wait.js';

const suite = browserSuite({ PUSH_ALLOW_HTTP_ENDPOINTS: 'true', JOB_POLL_MS: '500' });
const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/147.0.0.0 Mobile Safari/537.36',
};
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const SHOTS = path.resolve('test-results');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let admin: ApiClient;
let member: { user: any; api: ApiClient };
let conversationId: string;
let customerId: string;
let push: LocalPushService;

beforeAll(async () => {
  push = await startLocalPushService();
  admin = await suite.server.admin();
  const root = await rootDepartment(admin);
  member = await createUser(admin, root.id, { displayName: unique('王芳') });
  // Something on every page, including long unbroken text that must wrap rather than widen the page.
  const direct = ok(await admin.post('/api/conversations/direct', { userId: member.user.id }));
  conversationId = direct.id;
  await sendText(admin, conversationId, '明天上午十点拜访华东区的客户，记得带上新的报价单。');
  await sendText(member.api, conversationId, `好的，报价单在这里：https://files.example.com/${'quotation-2026-'.repeat(8)}.pdf`);
  customerId = ok(await admin.post('/api/customers', { name: '上海长江贸易有限公司', type: 'end_customer', tier: 'platinum', contacts: [{ name: '陈经理', title: '采购部经理', phone: '+8613800138000', email: 'chen@changjiang.example.com' }] }), 201).id;
  const today = new Date();
  const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  ok(await admin.post('/api/schedule/entries', { kind: 'visit', title: '拜访上海长江贸易，洽谈下季度订单', start: `${day}T10:00`, end: `${day}T11:30`, customerId }), 201);
  ok(await admin.post('/api/reminders', { title: '每周五提交周报', dtstart: `${day}T17:30`, timeZone: 'Asia/Shanghai', rrule: 'FREQ=WEEKLY;BYDAY=FR', channels: ['email'] }), 201);
  ok(await admin.post('/api/notifications/system', { recipientIds: [ADMIN_ID()], title: '系统维护通知', body: '本周六晚上十点到十二点系统维护。' }), 201);
});
afterAll(() => push?.close());

const ADMIN_ID = () => admin.me.id as string;

/** Goes to a path inside the app the way its links do (no reload: the live connection stays). */
async function go(page: Page, to: string, ready: string) {
  await page.evaluate((path) => {
    window.history.pushState(null, '', path);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, to);
  await byTestId(page, ready).first().waitFor();
}

/** The document is exactly as wide as the viewport (nothing scrolls sideways); names what sticks out when not. */
async function expectNoSidewaysScroll(page: Page, name: string) {
  const width = await page.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${(e.getAttribute('class') ?? '').replace(/ /g, '.')}[${e.getAttribute('data-testid') ?? ''}]`);
    return { document: document.documentElement.scrollWidth, viewport: window.innerWidth, wide };
  });
  expect.soft({ page: name, ...width }).toEqual({ page: name, document: width.viewport, viewport: width.viewport, wide: width.wide });
}

/**
 * axe-core (every rule of its default set) on the page as it is: no serious or critical violation
 * (each listed with its first elements when there is one).
 */
async function expectAccessible(page: Page, name: string) {
  // axe-core itself, injected once per page (the app navigates without reloading) rather than by
  // @axe-core/playwright's AxeBuilder at every check: the same rules, in a fraction of the time.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  expect.soft({ page: name, violations: bad }).toEqual({ page: name, violations: [] });
}

async function shoot(page: Page, folder: string, name: string) {
  fs.mkdirSync(path.join(SHOTS, folder), { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, folder, `${name}.png`), fullPage: true });
}

/** Every page of the app, in an order that its links could take, with the test id that says it is shown. */
const pages = (): [name: string, to: string, ready: string][] => [
  ['home', '/', 'home-page'],
  ['chat', '/chat', 'conversation-list'],
  ['conversation', `/chat/${conversationId}`, 'composer'],
  ['schedule-week', '/schedule', 'entry'],
  ['customers', '/customers', 'customers-table'],
  ['customer', `/customers/${customerId}`, 'customer-page'],
  ['team-feed', '/customers/feed', 'team-feed-page'],
  ['reminders', '/reminders', 'reminder-row'],
  ['notification-settings', '/settings/notifications', 'settings-kind'],
  ['devices', '/settings/devices', 'this-device'],
  ['more', '/more', 'more-page'],
  ['admin-departments', '/admin/departments', 'departments-page'],
  ['admin-users', '/admin/users', 'user-row'],
  ['admin-outbox', '/admin/outbox', 'outbox-page'],
  ['admin-settings', '/admin/settings', 'org-settings'],
  ['not-found', '/no-such-page', 'not-found'],
];

/** Visits every page signed in as the administrator (who sees them all), checking and photographing each. */
async function visitEveryPage(tab: TestPage, folder: 'phone' | 'desktop') {
  const { page } = tab;
  for (const [name, to, ready] of pages()) {
    await go(page, to, ready);
    if (name === 'schedule-week') {
      for (const view of ['day', 'month'] as const) {
        await byTestId(page, `view-${view}`).click();
        await byTestId(page, view === 'month' && folder === 'phone' ? 'month-day' : 'entry').first().waitFor();
        await expectNoSidewaysScroll(page, `schedule-${view}`);
        await shoot(page, folder, `schedule-${view}`);
        await expectAccessible(page, `schedule-${view}`);
      }
      await byTestId(page, 'view-week').click();
      await byTestId(page, 'entry').waitFor();
    }
    await expectNoSidewaysScroll(page, name);
    await shoot(page, folder, name);
    await expectAccessible(page, name);
  }
  // Signed out: the sign-in page.
  const signedOut = await openPage(suite.browser, suite.server.url, 'zh-CN', undefined, folder === 'phone' ? PHONE : DESKTOP);
  await signedOut.page.goto('/login');
  await byTestId(signedOut.page, 'login-page').waitFor();
  await expectNoSidewaysScroll(signedOut.page, 'login');
  await shoot(signedOut.page, folder, 'login');
  await expectAccessible(signedOut.page, 'login');
  await signedOut.context.close();
}

describe('the web client on a phone', () => {
  it('fits every page into 390 px with the tab bar, and passes axe-core on the phone and on a desktop', { timeout: 120_000 }, async () => {
    const phone = await openSignedIn(suite.browser, suite.server.url, ADMIN.email, ADMIN.password, 'zh-CN', undefined, PHONE);
    const { page } = phone;
    // The tab bar, not the top bar's links, and each tab shows its page as the current one.
    await expect(byTestId(page, 'nav-chat').isVisible()).resolves.toBe(false);
    for (const [tab, ready] of [['tab-chat', 'chat-page'], ['tab-schedule', 'schedule-page'], ['tab-customers', 'customers-page'], ['tab-more', 'more-page']]) {
      await byTestId(page, tab).tap();
      await byTestId(page, ready).waitFor();
      expect(await byTestId(page, tab).getAttribute('aria-current')).toBe('page');
      const box = (await byTestId(page, tab).boundingBox())!;
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.y + box.height).toBeLessThanOrEqual(844);
    }
    await visitEveryPage(phone, 'phone');
    expect(phone.pageErrors).toEqual([]);
    await phone.context.close();

    const desktop = await openSignedIn(suite.browser, suite.server.url, ADMIN.email, ADMIN.password, 'zh-CN', undefined, DESKTOP);
    await expect(byTestId(desktop.page, 'tabbar').isVisible()).resolves.toBe(false);
    await visitEveryPage(desktop, 'desktop');
    expect(desktop.pageErrors).toEqual([]);
    await desktop.context.close();
  });
});
