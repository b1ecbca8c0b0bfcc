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
import { mentionBody, sendText, textBody } from '../support/chat.js';
import { createBoard, startThread } from '../support/boards.js';
import { startLocalPushService, type LocalPushService } from '../support/pushService.js';
import { waitFor } from '../support/wait.js';
import { freePort } from '../support/globalSetup.js';

// The local push service's origin is the one push service the server accepts besides the browsers'.
const pushPort = await freePort();
const suite = browserSuite({ PUSH_SERVICE_ORIGINS: `http://localhost:${pushPort}`, JOB_POLL_MS: '500' });
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
let groupId: string;
let reportId: string;
let memberReportId: string;
let announcementId: string;
let boardId: string;
let threadId: string;
let push: LocalPushService;

beforeAll(async () => {
  push = await startLocalPushService(pushPort);
  admin = await suite.server.admin();
  const root = await rootDepartment(admin);
  member = await createUser(admin, root.id, { displayName: unique('王芳') });
  // Something on every page, including long unbroken text that must wrap rather than widen the page.
  const direct = ok(await admin.post('/api/conversations/direct', { userId: member.user.id }));
  conversationId = direct.id;
  await sendText(admin, conversationId, '明天上午十点拜访华东区的客户，记得带上新的报价单。');
  await sendText(member.api, conversationId, `好的，报价单在这里：https://files.example.com/${'quotation-2026-'.repeat(8)}.pdf`);
  groupId = ok(await admin.post('/api/conversations', { name: '华东区销售组', memberIds: [member.user.id] }), 201).id;
  await sendText(member.api, groupId, '本周目标：签下两个铂金客户。');
  customerId = ok(await admin.post('/api/customers', { name: '上海长江贸易有限公司', type: 'end_customer', tier: 'platinum', contacts: [{ name: '陈经理', title: '采购部经理', phone: '+8613800138000', email: 'chen@changjiang.example.com' }] }), 201).id;
  const today = new Date();
  const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  ok(await admin.post('/api/schedule/entries', { kind: 'visit', title: '拜访上海长江贸易，洽谈下季度订单', start: `${day}T10:00`, end: `${day}T11:30`, customerId }), 201);
  ok(await admin.post('/api/reminders', { title: '每周五提交周报', dtstart: `${day}T17:30`, timeZone: 'Asia/Shanghai', rrule: 'FREQ=WEEKLY;BYDAY=FR', channels: ['email'] }), 201);
  ok(await admin.post('/api/notifications/system', { recipientIds: [ADMIN_ID()], title: '系统维护通知', body: '本周六晚上十点到十二点系统维护。' }), 201);
  // A report of one's own being written, and one the member submitted with the administrator copied in.
  reportId = ok(await admin.post('/api/reports', { kind: 'weekly', date: day }), 201).id;
  const draft = ok(await member.api.post('/api/reports', { kind: 'daily', date: day }), 201);
  const saved = ok(await member.api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody('拜访上海长江贸易，报价单已发送，对方下周答复。'), plan: textBody('整理下季度订单预测。') }, ccUserIds: [ADMIN_ID()] }));
  memberReportId = ok(await member.api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision })).id;
  ok(await admin.post(`/api/reports/${memberReportId}/annotations`, { body: textBody('报价单里的折扣需要再确认。') }), 201);
  announcementId = ok(await admin.post('/api/announcements', { title: '差旅费报销制度', body: textBody('出差前请在系统中提交申请，回来后五个工作日内报销。'), category: 'policy', priority: 'important', requiresAck: true, scope: { everyone: true } }), 201).id;
  const board = await createBoard(admin, { openness: 'open', name: '综合讨论', category: '公司' });
  boardId = board.id;
  threadId = (await startThread(member.api, boardId, '年会节目征集', textBody('欢迎大家报名年会节目，截止到下周五。'))).id;
  ok(await admin.post(`/api/boards/threads/${threadId}/replies`, { body: textBody('销售中心报一个合唱。') }), 201);
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

/**
 * From the top of a page, Tab first offers "skip to main content", which moves focus to the page;
 * then every stop of the navigation and the page shows where the focus is (a visible outline).
 */
async function expectKeyboardReachable(page: Page) {
  await page.keyboard.press('Tab');
  await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('skip-link');
  await page.keyboard.press('Enter');
  await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  await page.evaluate(() => (document.activeElement as HTMLElement).blur());
  const stops: { what: string; outline: string }[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    stops.push(
      await page.evaluate(() => {
        const e = document.activeElement as HTMLElement;
        const style = getComputedStyle(e);
        return { what: `${e.tagName.toLowerCase()}[${e.getAttribute('data-testid') ?? e.textContent?.trim().slice(0, 12)}]`, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 ? 'visible' : `${style.outlineStyle} ${style.outlineWidth}` };
      }),
    );
  }
  expect(stops.filter((s) => s.outline !== 'visible')).toEqual([]);
  expect(new Set(stops.map((s) => s.what)).size).toBeGreaterThan(6);
}

/** What a page can show besides its first view (a dropdown, a panel, an editor): opened, then checked like a page. */
type State = [name: string, open: (page: Page) => Promise<void>];

const tapAndWait = (button: string, shown: string) => async (page: Page) => {
  await byTestId(page, button).first().click();
  await byTestId(page, shown).first().waitFor();
};

/** Every page of the app, in an order that its links could take, with the test id that says it is shown, and its other states. */
const pages = (): [name: string, to: string, ready: string, states?: State[]][] => [
  ['home', '/', 'home-page', [['notifications', tapAndWait('notification-bell', 'notification-dropdown')]]],
  ['chat', '/chat', 'conversation-list', [['new-group', tapAndWait('chat-new-group', 'new-group-panel')]]],
  ['conversation', `/chat/${conversationId}`, 'composer'],
  ['group', `/chat/${groupId}`, 'composer', [['group-settings', tapAndWait('group-settings-toggle', 'group-settings')]]],
  [
    'schedule-week',
    '/schedule',
    'entry',
    [
      ['schedule-day', tapAndWait('view-day', 'entry')],
      ['schedule-entry', tapAndWait('entry', 'entry-details')],
      ['schedule-new-entry', tapAndWait('new-entry', 'entry-editor')],
      ['schedule-month', async (page) => {
        await byTestId(page, 'view-month').click();
        await byTestId(page, 'month-day').or(byTestId(page, 'entry')).first().waitFor();
      }],
    ],
  ],
  ['customers', '/customers', 'customers-table'],
  ['customer', `/customers/${customerId}`, 'customer-page'],
  ['team-feed', '/customers/feed', 'team-feed-page'],
  ['reminders', '/reminders', 'reminder-row'],
  ['reports-mine', '/reports/mine', 'my-reports'],
  ['report-own', `/reports/${reportId}`, 'report-page'],
  ['report-received', `/reports/${memberReportId}`, 'report-page'],
  ['reports-inbox', '/reports/inbox', 'inbox'],
  ['reports-status', '/reports/status', 'status-page'],
  ['reports-settings', '/reports/settings', 'report-settings'],
  ['announcements', '/announcements', 'announcements-page', [['announcements-sent', tapAndWait('announcements-box-sent', 'announcement-item')]]],
  ['announcement', `/announcements/${announcementId}`, 'announcement-page'],
  ['announcement-ledger', `/announcements/${announcementId}/ledger`, 'ledger-page'],
  ['announcement-new', '/announcements/new', 'compose-page'],
  ['boards', '/boards', 'board-index'],
  ['board', `/boards/${boardId}`, 'thread-row'],
  ['thread', `/boards/threads/${threadId}`, 'reply-item'],
  ['board-new', '/boards/new', 'board-settings'],
  ['board-audit', '/boards/audit', 'board-audit-page'],
  ['notification-settings', '/settings/notifications', 'settings-kind'],
  ['devices', '/settings/devices', 'this-device'],
  ['more', '/more', 'more-page'],
  ['admin-departments', '/admin/departments', 'departments-page'],
  ['admin-users', '/admin/users', 'user-row'],
  ['admin-outbox', '/admin/outbox', 'outbox-page'],
  ['admin-settings', '/admin/settings', 'org-settings'],
  ['not-found', '/no-such-page', 'not-found'],
  ['dashboard', '/dashboard', 'dashboard'],
];

/** Touch targets on a phone: every button, field, select and tab at least 44 px tall (links inside text are exempt). */
async function expectTouchTargets(page: Page, name: string) {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('button, select, input:not([type="checkbox"]):not([type="radio"]):not([type="file"]), .tab, .tabbar-item, .link-list a')]
      .filter((e) => {
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(e).visibility !== 'hidden' && box.height < 43.5;
      })
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}[${e.getAttribute('data-testid') ?? e.textContent?.trim().slice(0, 10)}] ${Math.round(e.getBoundingClientRect().height)}px`),
  );
  expect.soft({ page: name, small }).toEqual({ page: name, small: [] });
}

/** Checks what is on screen now: no sideways scrolling, touch targets (phone), a screenshot, axe-core. */
async function check(page: Page, folder: 'phone' | 'desktop', name: string) {
  await expectNoSidewaysScroll(page, name);
  if (folder === 'phone') await expectTouchTargets(page, name);
  await shoot(page, folder, name);
  await expectAccessible(page, name);
}

/** Visits every page signed in as the administrator (who sees them all), checking and photographing each. */
async function visitEveryPage(tab: TestPage, folder: 'phone' | 'desktop') {
  const { page } = tab;
  for (const [name, to, ready, states = []] of pages()) {
    await go(page, to, ready);
    await check(page, folder, name);
    for (const [state, open] of states) {
      await open(page);
      await check(page, folder, state);
    }
  }
  // Signed out: the sign-in page.
  const signedOut = await openPage(suite.browser, suite.server.url, 'zh-CN', undefined, folder === 'phone' ? PHONE : DESKTOP);
  await signedOut.page.goto('/login');
  await byTestId(signedOut.page, 'login-page').waitFor();
  await check(signedOut.page, folder, 'login');
  await signedOut.context.close();
}

describe('the web client on a phone', () => {
  it('fits every page into 390 px with the tab bar, and passes axe-core on the phone and on a desktop', { timeout: 240_000 }, async () => {
    const phone = await openSignedIn(suite.browser, suite.server.url, ADMIN.email, ADMIN.password, 'zh-CN', undefined, PHONE);
    const { page } = phone;
    // The tab bar, not the top bar's links, and each tab shows its page as the current one.
    await expect(byTestId(page, 'nav-chat').isVisible()).resolves.toBe(false);
    for (const [tab, ready] of [['tab-chat', 'chat-page'], ['tab-schedule', 'schedule-page'], ['tab-customers', 'customers-page'], ['tab-reports', 'reports-area'], ['tab-more', 'more-page']]) {
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
    await expectKeyboardReachable(desktop.page);
    await visitEveryPage(desktop, 'desktop');
    expect(desktop.pageErrors).toEqual([]);
    await desktop.context.close();
  });

  it('chats on the phone: list → conversation → back, a message sent and received, the composer above the keyboard', async () => {
    const a = await openSignedIn(suite.browser, suite.server.url, ADMIN.email, ADMIN.password, 'zh-CN', undefined, PHONE);
    const b = await openSignedIn(suite.browser, suite.server.url, member.user.email, PASSWORD, 'zh-CN', undefined, PHONE);
    for (const { page } of [a, b]) {
      await byTestId(page, 'tab-chat').tap();
      await byTestId(page, 'conversation-list').waitFor();
      // One pane at a time: no empty conversation pane beside the list.
      await expect(byTestId(page, 'chat-empty').isVisible()).resolves.toBe(false);
    }
    const item = (page: Page) => page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
    await item(a.page).tap();
    await byTestId(a.page, 'composer').waitFor();
    // The conversation has the screen: no list, no tab bar; the composer sits at the bottom.
    await expect(byTestId(a.page, 'conversation-list').isVisible()).resolves.toBe(false);
    await expect(byTestId(a.page, 'tabbar').count()).resolves.toBe(0);
    const composer = (await byTestId(a.page, 'composer').boundingBox())!;
    expect(composer.y + composer.height).toBeGreaterThan(844 - 120);
    expect(composer.y + composer.height).toBeLessThanOrEqual(844);

    await byTestId(a.page, 'composer').locator('[contenteditable="true"]').tap();
    await a.page.keyboard.type('下午三点的会改到四点');
    await byTestId(a.page, 'send-button').tap();
    // B sees it arrive in the list, opens it, and answers.
    await b.page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"] [data-testid="unread-badge"]`).waitFor();
    await expect(byTestId(b.page, 'tab-chat-unread').textContent()).resolves.toBe('1');
    await item(b.page).tap();
    await b.page.locator('[data-testid="message-item"][data-message-id]', { hasText: '下午三点的会改到四点' }).waitFor();
    await byTestId(b.page, 'composer').locator('[contenteditable="true"]').tap();
    await b.page.keyboard.type('收到');
    await b.page.keyboard.press('Enter');
    await a.page.locator('[data-testid="message-item"][data-message-id]', { hasText: '收到' }).waitFor();

    // The on-screen keyboard takes the lower part of the screen (the page is resized, as Chrome on
    // Android does with interactive-widget=resizes-content): the composer moves up and stays in view.
    await a.page.setViewportSize({ width: 390, height: 480 });
    await waitFor(async () => {
      const box = await byTestId(a.page, 'composer').boundingBox();
      return box !== null && box.y + box.height <= 480 && box.y + box.height > 480 - 120;
    }, { what: 'the composer above the keyboard' });
    await expectNoSidewaysScroll(a.page, 'conversation with the keyboard open');
    await a.page.setViewportSize({ width: 390, height: 844 });

    // Back to the list, with the tab bar again.
    await byTestId(a.page, 'conversation-back').tap();
    await byTestId(a.page, 'conversation-list').waitFor();
    await byTestId(a.page, 'tabbar').waitFor();
    await expect(item(a.page).locator('[data-testid="conversation-preview"]').textContent()).resolves.toContain('收到');
    expect([...a.pageErrors, ...b.pageErrors]).toEqual([]);
    await Promise.all([a.context.close(), b.context.close()]);
  });

  it('pushes through the real service worker: a subscription at a local push service, the payload decrypted, delivery shown, 410 removes the device', async () => {
    const tab = await openSignedIn(suite.browser, suite.server.url, member.user.email, PASSWORD, 'zh-CN', undefined, { ...PHONE, serviceWorkers: 'allow' });
    const { page, context } = tab;
    await go(page, '/settings/devices', 'this-device');
    // The app registers its worker for the whole app; the server serves it as JavaScript under the same CSP.
    const registration = await page.evaluate(async () => {
      const ready = await navigator.serviceWorker.ready;
      return { scope: ready.scope, script: ready.active?.scriptURL };
    });
    expect(registration).toEqual({ scope: `${suite.server.url}/`, script: `${suite.server.url}/sw.js` });
    const script = await page.request.get('/sw.js');
    expect(script.headers()['content-type']).toMatch(/javascript/);
    expect(script.headers()['content-security-policy']).toContain("default-src 'self'");

    // This Chromium (a headless shell) has no push service and no notification service, so turning
    // push on is refused by the browser itself, even with notifications allowed; the page says so in the browser's words.
    await context.grantPermissions(['notifications'], { origin: suite.server.url });
    await byTestId(page, 'push-enable').tap();
    await expect(byTestId(page, 'push-failure').textContent()).resolves.toMatch(/没能开启推送：.*Registration failed/);
    await expect(page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).resolves.toBe(`${suite.server.url}/sw.js`);

    // What a browser's push service hands out, made by the local push service for the server's key,
    // registered with this page's sign-in; the device list shows it.
    const subscription = await push.subscribe(ok(await member.api.get('/api/push/key')).publicKey);
    const registered = await page.request.post('/api/push/devices', { data: { endpoint: subscription.endpoint, keys: subscription.keys, label: 'Chrome · Android' }, headers: { origin: suite.server.url } });
    expect(registered.status()).toBe(201);
    await go(page, '/more', 'more-page');
    await go(page, '/settings/devices', 'device');
    await expect(byTestId(page, 'device').textContent()).resolves.toContain('还没有推送过');

    // A mention: the push service receives it encrypted to the subscription, signed with the server's key; decrypted, it is the notification.
    const message = ok(await admin.post(`/api/conversations/${conversationId}/messages`, { clientId: crypto.randomUUID(), body: mentionBody('请看一下报价 ', member.user) }));
    const [text] = await waitFor(async () => {
      const got = await push.messages(subscription.clientHash);
      return got.length > 0 && got;
    }, { what: 'the push at the push service' });
    const payload = JSON.parse(text);
    expect(payload).toMatchObject({ kind: 'mention', link: `/chat/${conversationId}?message=${message.id}`, urgent: false });
    expect(payload.title).toContain('管理员');
    await go(page, '/more', 'more-page');
    await go(page, '/settings/devices', 'device');
    await expect(byTestId(page, 'device').textContent()).resolves.toContain('最近一次推送');

    // The decrypted payload delivered to the real worker, as the browser's push service would: its
    // push handler runs and asks to show the notification, which this Chromium refuses (it has no
    // notification service, so notification permission is always "denied"; see docs/client.md).
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    const workerErrors: string[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
    cdp.on('ServiceWorker.workerErrorReported', (event) => workerErrors.push(event.errorMessage.errorMessage));
    await cdp.send('ServiceWorker.enable');
    const worker = await waitFor(() => registrations.find((r) => r.scopeURL === `${suite.server.url}/`), { what: 'the registration' });
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: `${suite.server.url}/`, registrationId: worker.registrationId, data: text });
    await waitFor(() => workerErrors.length > 0, { what: 'the worker to handle the push' });
    expect(workerErrors).toEqual([expect.stringMatching(/showNotification.*No notification permission/)]);

    // The push service answers 410 for an expired subscription: the next push removes the device.
    await push.expire(subscription.clientHash);
    ok(await admin.post('/api/notifications/system', { recipientIds: [member.user.id], title: '订阅过期测试' }), 201);
    await waitFor(async () => ok<any[]>(await member.api.get('/api/push/devices')).length === 0, { what: 'the device removed after 410' });

    // Signing out forgets the offline copy on this browser.
    await expect(page.evaluate(() => caches.has('huitong-api'))).resolves.toBe(true);
    await byTestId(page, 'tab-more').tap();
    await byTestId(page, 'more-logout').tap();
    await byTestId(page, 'login-page').waitFor();
    await expect(page.evaluate(() => caches.has('huitong-api'))).resolves.toBe(false);
    await context.close();
  });

  // Last: it stops the server.
  it('opens offline: with the server stopped, the installed app shows the conversations it last loaded, read-only', async () => {
    const tab = await openSignedIn(suite.browser, suite.server.url, ADMIN.email, ADMIN.password, 'zh-CN', undefined, { ...PHONE, serviceWorkers: 'allow' });
    const { page, context } = tab;
    await waitFor(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { what: 'the service worker to control the page' });
    await byTestId(page, 'tab-chat').tap();
    await page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`).tap();
    await page.locator('[data-testid="message-item"][data-message-id]', { hasText: '收到' }).waitFor();
    await byTestId(page, 'conversation-back').tap();
    await byTestId(page, 'conversation-list').waitFor();
    // Who is signed in and the list were loaded before the worker took over; the app loads them again through it.
    await waitFor(
      () =>
        page.evaluate(async () => {
          const kept = (await (await caches.open('huitong-api')).keys()).map((r) => new URL(r.url).pathname);
          return ['/api/me', '/api/conversations'].every((p) => kept.includes(p));
        }),
      { what: 'the offline copy of the signed-in user and the conversation list' },
    );

    await suite.server.close();
    await page.reload();
    await byTestId(page, 'offline-banner').waitFor();
    const item = page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
    // The newest message of the conversation (the push test's mention) as its preview, from the copy.
    await expect(item.locator('[data-testid="conversation-preview"]').textContent()).resolves.toContain('请看一下报价');
    await item.tap();
    await page.locator('[data-testid="message-item"][data-message-id]', { hasText: '下午三点的会改到四点' }).waitFor();
    // Read-only: no composer, a word why.
    await byTestId(page, 'composer-offline').waitFor();
    await expect(byTestId(page, 'composer').count()).resolves.toBe(0);
    await expectNoSidewaysScroll(page, 'offline conversation');
    await shoot(page, 'phone', 'offline-conversation');

    // A cold start of the app (a new window at its start page) opens from the worker too.
    const cold = await context.newPage();
    await cold.goto('/chat');
    await cold.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`).waitFor();
    await byTestId(cold, 'offline-banner').waitFor();
    await context.close();
  });
});
