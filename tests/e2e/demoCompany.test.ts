import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { ADMIN } from '../support/server.js';
import { browserSuite, byTestId, openSignedIn, type TestPage } from '../support/browser.js';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoInto } from '../support/demo.js';

const suite = browserSuite();

beforeAll(async () => {
  await seedDemoInto(suite.server);
  // On a loaded machine (a full parallel run) the story took over ninety seconds.
}, 240_000);

/** Waits until the locator matches at least `n` elements and returns how many it matches. */
async function atLeast(locator: Locator, n: number): Promise<number> {
  await locator.nth(n - 1).waitFor();
  return locator.count();
}

/** The page shows no failure: no crashed page, no error notice. */
async function noFailure(page: Page, where: string) {
  expect(await page.locator('[data-testid="render-error"], .notice-error').count(), `an error shows on ${where}`).toBe(0);
}

/** The demo's users work in Shanghai. */
const signIn = (email: string, password = DEMO_PASSWORD) => openSignedIn(suite.browser, suite.server.url, email, password, 'zh-CN', 'Asia/Shanghai');

/** Opens every page a member has, through the navigation, and checks each shows seeded content. */
async function visitMemberPages({ page }: TestPage, who: { department: string }) {
  expect(await byTestId(page, 'home-department').textContent()).toBe(who.department);
  // Unread notifications wait in the bell (its count arrives with the first page of notifications).
  await page.locator('[data-testid="notification-count"]:not([data-count="0"])').waitFor({ state: 'attached' });
  expect(Number(await byTestId(page, 'notification-count').getAttribute('data-count'))).toBeGreaterThan(0);

  await byTestId(page, 'nav-chat').click();
  expect(await atLeast(byTestId(page, 'conversation-item'), 4)).toBeGreaterThanOrEqual(4);
  expect(await atLeast(byTestId(page, 'unread-badge'), 1)).toBeGreaterThanOrEqual(1);
  await byTestId(page, 'conversation-item').first().click();
  expect(await atLeast(byTestId(byTestId(page, 'conversation-view'), 'message-item'), 2)).toBeGreaterThanOrEqual(2);
  await noFailure(page, 'chat');

  await byTestId(page, 'nav-schedule').click();
  const entries = byTestId(byTestId(page, 'calendar'), 'entry');
  const week = await atLeast(entries, 3);
  await byTestId(page, 'view-day').click();
  await page.locator('[data-testid="view-day"][aria-pressed="true"]').waitFor();
  expect(await atLeast(entries, 1)).toBeGreaterThanOrEqual(1);
  await byTestId(page, 'view-month').click();
  await page.locator('[data-testid="view-month"][aria-pressed="true"]').waitFor();
  expect(await atLeast(entries, week + 1)).toBeGreaterThan(week);
  await noFailure(page, 'schedule');

  await byTestId(page, 'nav-customers').click();
  expect(await atLeast(byTestId(page, 'customers-table').locator('tr'), 20)).toBeGreaterThanOrEqual(20);
  expect(await atLeast(byTestId(page, 'neglected').locator('li'), 1)).toBeGreaterThanOrEqual(1);
  await byTestId(page, 'customers-table').getByRole('link', { name: '华信科技有限公司' }).click();
  await page.locator('[data-testid="customer-title"]', { hasText: '华信科技有限公司' }).waitFor();
  expect(await atLeast(byTestId(page, 'contact'), 2)).toBeGreaterThanOrEqual(2);
  expect(await atLeast(byTestId(page, 'feed-item'), 5)).toBeGreaterThanOrEqual(5);
  await noFailure(page, 'a customer');
  // Its Files tab: the tender documents and the price sheet as file cards.
  await byTestId(page, 'customer-files-tab').click();
  expect(await atLeast(byTestId(page, 'file-card'), 2)).toBe(2);
  await noFailure(page, 'a customer’s files');

  await byTestId(page, 'nav-customers').click();
  await page.locator('a[href="/customers/feed"]').click();
  await byTestId(page, 'team-feed-page').waitFor();
  expect(await atLeast(byTestId(page, 'feed-item'), 10)).toBeGreaterThanOrEqual(10);
  await noFailure(page, 'the team feed');

  await byTestId(page, 'nav-reports').click();
  expect(await atLeast(byTestId(byTestId(page, 'mine-list'), 'report-row'), 5)).toBeGreaterThanOrEqual(5);
  await byTestId(byTestId(page, 'mine-list'), 'report-row').first().locator('a').click();
  await byTestId(page, 'report-reader').waitFor();
  await noFailure(page, 'reports');
  await byTestId(page, 'nav-boards').click();
  expect(await atLeast(byTestId(page, 'board-row'), 5)).toBeGreaterThanOrEqual(5);
  await page.locator('[data-testid="board-link"]', { hasText: '综合讨论' }).click();
  expect(await atLeast(byTestId(page, 'thread-row'), 3)).toBeGreaterThanOrEqual(3);
  await page.locator('[data-testid="thread-link"]', { hasText: '年会节目征集' }).click();
  expect(await atLeast(byTestId(page, 'reply-item'), 2)).toBeGreaterThanOrEqual(2);
  await noFailure(page, 'the boards');

  await byTestId(page, 'nav-reminders').click();
  expect(await atLeast(byTestId(page, 'reminder-row'), 2)).toBeGreaterThanOrEqual(2);
  await noFailure(page, 'reminders');

  // The announcements: the pinned policy first, notices and the directive below it; the policy's versions with their changes.
  await byTestId(page, 'nav-announcements').click();
  await byTestId(byTestId(page, 'announcements-pinned'), 'announcement-item').first().waitFor();
  expect(await atLeast(byTestId(byTestId(page, 'announcements-list'), 'announcement-item'), 2)).toBeGreaterThanOrEqual(2);
  await byTestId(byTestId(page, 'announcements-pinned'), 'announcement-open').first().click();
  expect(await atLeast(byTestId(page, 'diff-added'), 1)).toBeGreaterThanOrEqual(1);
  await noFailure(page, 'announcements');

  await byTestId(page, 'nav-settings').click();
  expect(await atLeast(byTestId(page, 'settings-kind'), 5)).toBeGreaterThanOrEqual(5);
  await noFailure(page, 'notification settings');
}

describe('the demo company in the browser', () => {
  it('a seeded salesperson and a seeded manager find content on every page, and the administrator on the admin pages', async () => {
    const salesperson = await signIn(DEMO_USERS.salesperson.email);
    await visitMemberPages(salesperson, { department: '华东销售部' });
    expect(salesperson.pageErrors).toEqual([]);
    await salesperson.context.close();

    const manager = await signIn(DEMO_USERS.manager.email);
    await visitMemberPages(manager, { department: '华东销售部' });
    // A manager also sees the team's schedules, with who owns each entry.
    await byTestId(manager.page, 'nav-schedule').click();
    await byTestId(manager.page, 'schedule-whose').selectOption('team');
    expect(await atLeast(manager.page.locator('[data-testid="entry"]', { hasText: DEMO_USERS.salesperson.name }), 1)).toBeGreaterThanOrEqual(1);
    // And the reports of the team, and who has not written.
    await byTestId(manager.page, 'nav-reports').click();
    await byTestId(manager.page, 'reports-tab-inbox').click();
    expect(await atLeast(byTestId(byTestId(manager.page, 'inbox-list'), 'report-row'), 5)).toBeGreaterThanOrEqual(5);
    await byTestId(manager.page, 'reports-tab-status').click();
    await byTestId(manager.page, 'status-view-week').click();
    expect(await atLeast(byTestId(manager.page, 'status-row'), 4)).toBeGreaterThanOrEqual(4);
    await noFailure(manager.page, 'report status');
    expect(manager.pageErrors).toEqual([]);
    await manager.context.close();

    const admin = await signIn(ADMIN.email, ADMIN.password);
    const { page } = admin;
    await byTestId(page, 'nav-admin').click();
    expect(await atLeast(byTestId(page, 'department-node'), 7)).toBe(7);
    await byTestId(page, 'admin-tab-users').click();
    expect(await atLeast(byTestId(page, 'user-row'), 16)).toBeGreaterThanOrEqual(16);
    await byTestId(page, 'admin-tab-outbox').click();
    expect(await atLeast(byTestId(page, 'outbox-row'), 10)).toBeGreaterThanOrEqual(10);
    await byTestId(page, 'admin-tab-settings').click();
    await byTestId(page, 'org-settings').waitFor();
    await noFailure(page, 'the admin pages');
    expect(admin.pageErrors).toEqual([]);
    await admin.context.close();
  }, 60_000);
});
