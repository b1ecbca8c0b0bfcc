import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import { ok } from '../support/api.js';
import { PASSWORD } from '../support/factories.js';
import { buildOrg } from '../support/org.js';
import { assertClientBuilt, byTestId, launchBrowser, openPage, signInThroughForm } from '../support/browser.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  assertClientBuilt();
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('schedule in the browser', () => {
  it('staff plan a customer visit and record its result; the manager sees it in the team view and annotates; the staff member sees the annotation arrive', async () => {
    const org = await buildOrg(await server.admin(), { locale: 'en' });
    const { a, e } = org;
    const customer = ok(await a.api.post('/api/customers', { name: 'Browser Trading Co', type: 'end_customer', tier: 'platinum' }), 201);

    const staff = await openPage(browser, server.url, 'en');
    await staff.page.goto('/login');
    await signInThroughForm(staff.page, a.user.email, PASSWORD);
    await byTestId(staff.page, 'nav-customers').click();
    await byTestId(staff.page, 'customers-table').getByRole('link', { name: 'Browser Trading Co' }).click();
    await byTestId(staff.page, 'customer-title').waitFor();
    await byTestId(staff.page, 'plan-visit').click();
    await byTestId(staff.page, 'entry-title').fill('Visit Browser Trading');
    await byTestId(staff.page, 'entry-save').click();
    // The visit appears in the customer's live feed.
    await staff.page.locator('[data-testid="feed-item"][data-kind="entry"]').waitFor();

    await byTestId(staff.page, 'nav-schedule').click();
    await staff.page.locator('[data-testid="entry"]', { hasText: 'Visit Browser Trading' }).click();
    await byTestId(staff.page, 'entry-details').waitFor();
    await staff.page.locator('[data-testid="result-composer"] [contenteditable="true"]').click();
    await staff.page.keyboard.type('Signed a trial order');
    await byTestId(staff.page, 'result-composer-send').click();
    await staff.page.locator('[data-testid="entry-status"]', { hasText: 'Done' }).waitFor();
    expect(await byTestId(staff.page, 'entry-result').textContent()).toContain('Signed a trial order');

    const manager = await openPage(browser, server.url, 'en');
    await manager.page.goto('/login');
    await signInThroughForm(manager.page, e.user.email, PASSWORD);
    await byTestId(manager.page, 'nav-schedule').click();
    await byTestId(manager.page, 'schedule-whose').selectOption('team');
    await manager.page.locator('[data-testid="entry"]', { hasText: 'Visit Browser Trading' }).click();
    await byTestId(manager.page, 'entry-result').waitFor();
    await manager.page.locator('[data-testid="annotate"] [contenteditable="true"]').click();
    await manager.page.keyboard.type('Good work, follow up next week');
    await byTestId(manager.page, 'annotate-send').click();
    await manager.page.locator('[data-testid="annotation"]', { hasText: 'Good work' }).waitFor();

    // The staff member's open entry shows the annotation without a reload.
    await staff.page.locator('[data-testid="annotation"]', { hasText: 'Good work, follow up next week' }).waitFor();
    const feed = ok(await a.api.get(`/api/customers/${customer.id}/feed`)).data.map((i: any) => i.kind);
    expect(feed).toEqual(['annotation', 'result', 'entry']);
    expect(staff.pageErrors).toEqual([]);
    expect(manager.pageErrors).toEqual([]);
    await staff.context.close();
    await manager.context.close();
  });
});
