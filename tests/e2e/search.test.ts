/**
 * Search in Chromium: Ctrl+K focuses the top bar's box, results appear as one types, grouped by
 * kind with the matches marked, and a result opens the message in its conversation; on a phone the
 * search page (from the top bar's button) finds a customer by its pinyin initials.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openSignedIn } from '../support/browser.js';
import { ok, type ApiClient } from '../support/api.js';
import { sendText } from '../support/chat.js';
import { waitFor } from '../support/wait.js';

const suite = browserSuite();
let zhang: { user: { id: string; email: string }; api: ApiClient };
let groupId: string;
let messageId: string;
let entryId: string;

beforeAll(async () => {
  const admin = await suite.server.admin();
  const root = await rootDepartment(admin);
  zhang = await createUser(admin, root.id, { displayName: '张伟' });
  const li = await createUser(admin, root.id, { displayName: '李娜' });
  groupId = ok(await zhang.api.post('/api/conversations', { name: '华信项目组', memberIds: [li.user.id] }), 201).id;
  messageId = (await sendText(li.api, groupId, '框架合同明天签，请准备盖章')).id;
  ok(await zhang.api.post('/api/customers', { name: '风驰传媒', type: 'media' }), 201);
  entryId = ok(await zhang.api.post('/api/schedule/entries', { kind: 'visit', title: '拜访风驰传媒', start: '2026-03-02T10:00', end: '2026-03-02T11:00' }), 201).id;
  // The index follows within a second; the browser is not the place to wait for it.
  await waitFor(async () => ok(await zhang.api.get('/api/search?q=fccm')).total === 1 && ok(await zhang.api.get('/api/search?q=合同')).total === 1 && ok(await zhang.api.get('/api/search?q=拜访风驰')).total === 1, { timeoutMs: 10_000 });
});

describe('search in the web client', () => {
  it('Ctrl+K, results as one types with marked matches, and a result that opens the message in its conversation', async () => {
    const tab = await openSignedIn(suite.browser, suite.server.url, zhang.user.email, PASSWORD, 'zh-CN', undefined, { viewport: { width: 1366, height: 850 } });
    const { page } = tab;
    await byTestId(page, 'me-name').waitFor();
    await page.keyboard.press('Control+k');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-box');
    await page.keyboard.type('合同');
    const group = byTestId(page, 'search-group-message');
    await group.waitFor();
    expect(await group.locator('h2').textContent()).toContain('聊天消息');
    const result = group.locator('[data-testid="search-result"]').first();
    expect(await result.locator('mark').allTextContents()).toEqual(['合同']);
    expect(await result.textContent()).toContain('华信项目组');
    await result.locator('a').click();
    await page.waitForURL(`**/chat/${groupId}?message=${messageId}`);
    await byTestId(page, 'conversation-view').waitFor();
    // A person opens the direct conversation with them; a schedule entry opens on its day.
    const pick = async (q: string, kind: string) => {
      await byTestId(page, 'search-box').fill(q);
      await byTestId(page, `search-group-${kind}`).locator('[data-testid="search-result"] a').first().click();
    };
    await pick('ln', 'person');
    await page.waitForURL(/\/chat\/\d+$/);
    await byTestId(page, 'conversation-view').waitFor();
    expect(new URL(page.url()).pathname).not.toBe(`/chat/${groupId}`);
    await pick('拜访风驰', 'entry');
    await page.waitForURL(`**/schedule/entries/${entryId}`);
    await byTestId(page, 'entry-details').waitFor();
    expect(await byTestId(page, 'entry-details').textContent()).toContain('拜访风驰传媒');
    expect(tab.pageErrors).toEqual([]);
    await tab.context.close();
  });

  it('on a phone, the search page finds a customer by its pinyin initials, in English too', async () => {
    ok(await zhang.api.patch('/api/me', { locale: 'en' }));
    const tab = await openSignedIn(suite.browser, suite.server.url, zhang.user.email, PASSWORD, 'en', undefined, { viewport: { width: 390, height: 844 }, hasTouch: true });
    const { page } = tab;
    await byTestId(page, 'nav-search').click();
    await byTestId(page, 'search-page').waitFor();
    await byTestId(page, 'search-page-input').fill('fccm');
    const customers = byTestId(page, 'search-group-customer');
    await customers.waitFor();
    expect(await customers.locator('h2').textContent()).toContain('Customers');
    expect(await customers.locator('[data-testid="search-result"]').first().textContent()).toContain('风驰传媒');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    expect(tab.pageErrors).toEqual([]);
    await tab.context.close();
  });
});
