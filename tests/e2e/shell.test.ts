import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/server.js';
import { ApiClient, ok } from '../support/api.js';
import { createUser, PASSWORD, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openPage, signInThroughForm, waitForUnreadCount } from '../support/browser.js';

const suite = browserSuite();
let admin: ApiClient;
let member: { email: string; displayName: string };

beforeAll(async () => {
  admin = await suite.server.admin();
  const { user } = await createUser(admin, (await rootDepartment(admin)).id, { displayName: '成员甲' });
  member = user;
});

describe('web client shell', () => {
  it('signs the admin in, switches language, shows a live notification, marks it read and signs out', async () => {
    const { page, context, pageErrors } = await openPage(suite.browser, suite.server.url, 'zh-CN');
    await page.goto('/');
    await byTestId(page, 'login-page').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('h1').textContent()).toBe('登录汇通');

    // A wrong password shows the server's refusal and keeps the login page.
    await byTestId(page, 'login-email').fill(ADMIN.email);
    await byTestId(page, 'login-password').fill('not-the-password');
    await byTestId(page, 'login-submit').click();
    expect(await byTestId(page, 'login-error').getAttribute('data-code')).toBe('unauthenticated');

    await signInThroughForm(page, ADMIN.email, ADMIN.password);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await byTestId(page, 'nav-home').textContent()).toBe('首页');
    expect(await byTestId(page, 'nav-admin').textContent()).toBe('管理');
    expect(await byTestId(page, 'home-title').textContent()).toBe('欢迎，管理员');
    expect(await byTestId(page, 'connection-state').textContent()).toBe('在线');

    // Switching language changes the visible strings at once and saves it to the profile.
    await byTestId(page, 'language-switch').selectOption('en');
    await page.locator('[data-testid="nav-home"]', { hasText: 'Home' }).waitFor();
    expect(await byTestId(page, 'home-title').textContent()).toBe('Welcome, 管理员');
    expect(await byTestId(page, 'connection-state').textContent()).toBe('Online');
    expect(await byTestId(page, 'logout').textContent()).toBe('Log out');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(async () => ok((await admin.get('/api/me'))).locale).toBe('en');
    await byTestId(page, 'language-switch').selectOption('zh-CN');
    await page.locator('[data-testid="nav-home"]', { hasText: '首页' }).waitFor();
    await expect.poll(async () => ok((await admin.get('/api/me'))).locale).toBe('zh-CN');

    // A system message sent by someone else arrives live: the badge counts up without a reload.
    await waitForUnreadCount(page, 0);
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    ok(await admin.post('/api/notifications/system', { recipientIds: [admin.me.id], title: '季度制度更新', body: '请阅读新的报销制度。' }), 201);
    await waitForUnreadCount(page, 1);
    expect(await byTestId(page, 'notification-count').textContent()).toBe('1');

    // The admin's own users page sends one too (the UI path of system messages).
    await byTestId(page, 'nav-admin').click();
    await byTestId(page, 'admin-tab-users').click();
    await page.locator(`[data-testid="user-row"][data-email="${ADMIN.email}"] [data-testid="user-select"]`).check();
    await byTestId(page, 'system-message-title').fill('周会提醒');
    await byTestId(page, 'system-message-send').click();
    await byTestId(page, 'system-message-sent').waitFor();
    await waitForUnreadCount(page, 2);
    expect(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(true);

    // Mark one read in the dropdown, then all.
    await byTestId(page, 'notification-bell').click();
    const items = byTestId(page, 'notification-item');
    await page.locator('[data-testid="notification-item"]', { hasText: '周会提醒' }).waitFor();
    expect(await items.count()).toBe(2);
    expect(await items.first().textContent()).toContain('周会提醒');
    await items.first().locator('[data-testid="notification-mark-read"]').click();
    await waitForUnreadCount(page, 1);
    expect(await items.first().getAttribute('data-read')).toBe('true');
    expect(await items.nth(1).getAttribute('data-read')).toBe('false');
    await byTestId(page, 'notification-mark-all-read').click();
    await waitForUnreadCount(page, 0);
    expect(ok(await admin.get('/api/notifications/unread-count')).unreadCount).toBe(0);

    // Signing out lands on the login page, and the browser's session is gone on the server too.
    await byTestId(page, 'logout').click();
    await byTestId(page, 'login-page').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await byTestId(page, 'session-ended').textContent()).toBe('您已退出登录。');
    expect((await context.request.get('/api/me')).status()).toBe(401);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('starts in the user’s saved language, not the browser’s', async () => {
    const { user } = await createUser(admin, (await rootDepartment(admin)).id, { displayName: 'Alice', locale: 'en' });
    const { page, context } = await openPage(suite.browser, suite.server.url, 'zh-CN');
    await page.goto('/');
    // Before sign-in the browser's language (zh-CN) applies ...
    await page.locator('h1', { hasText: '登录汇通' }).waitFor();
    await signInThroughForm(page, user.email, PASSWORD);
    // ... after it, the user's own.
    expect(await byTestId(page, 'home-title').textContent()).toBe('Welcome, Alice');
    expect(await byTestId(page, 'nav-home').textContent()).toBe('Home');
    await context.close();
  });

  it('hides Admin from a member and shows the server’s refusal when they open an admin URL', async () => {
    const { page, context, pageErrors } = await openPage(suite.browser, suite.server.url);
    await page.goto('/admin/users');
    await byTestId(page, 'login-page').waitFor();
    expect(new URL(page.url()).search).toBe('?next=%2Fadmin%2Fusers');
    await byTestId(page, 'login-email').fill(member.email);
    await byTestId(page, 'login-password').fill(PASSWORD);
    await byTestId(page, 'login-submit').click();

    // After sign-in the wanted URL opens, and the server refuses it.
    await byTestId(page, 'admin-refused').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    expect(await byTestId(page, 'admin-error').getAttribute('data-code')).toBe('forbidden');
    expect(await byTestId(page, 'admin-error-message').textContent()).toBe('Only administrators may do this');
    expect(await byTestId(page, 'user-table').count()).toBe(0);
    expect(await byTestId(page, 'nav-admin').count()).toBe(0);

    await byTestId(page, 'nav-home').click();
    await byTestId(page, 'home-page').waitFor();
    expect(await byTestId(page, 'home-title').textContent()).toBe('欢迎，成员甲');
    expect(await byTestId(page, 'nav-admin').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('returns to the login page when the session is revoked elsewhere', async () => {
    const { user } = await createUser(admin, (await rootDepartment(admin)).id);
    const { page, context } = await openPage(suite.browser, suite.server.url);
    await page.goto('/login');
    await signInThroughForm(page, user.email, PASSWORD);
    ok(await admin.patch(`/api/users/${user.id}`, { active: false }));
    await byTestId(page, 'login-page').waitFor();
    expect(await byTestId(page, 'session-ended').textContent()).toBe('您的账号已被停用。');
    await context.close();
  });
});
