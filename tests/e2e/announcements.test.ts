import { beforeAll, describe, expect, it } from 'vitest';
import { ok, type ApiClient } from '../support/api.js';
import { PASSWORD } from '../support/factories.js';
import { buildOrg } from '../support/org.js';
import { browserSuite, byTestId, openSignedIn } from '../support/browser.js';

const suite = browserSuite();
let admin: ApiClient;

beforeAll(async () => {
  admin = await suite.server.admin();
});

describe('announcements in the browser', () => {
  it('a manager publishes a must-acknowledge directive to a department; its people see the urgent banner live; one acknowledges; the ledger updates live', async () => {
    const org = await buildOrg(admin, { locale: 'en' });
    const open = (email: string) => openSignedIn(suite.browser, suite.server.url, email, PASSWORD, 'en');
    const [manager, first, second] = await Promise.all([open(org.e.user.email), open(org.a.user.email), open(org.b.user.email)]);
    const title = 'Wear safety shoes in the warehouse';

    // Composing: text, category and priority, acknowledgement, and the department picked in the tree (its count resolved by the server).
    const { page } = manager;
    await byTestId(page, 'nav-announcements').click();
    await byTestId(page, 'announcement-new').click();
    await byTestId(page, 'compose-title').fill(title);
    await byTestId(page, 'compose-body').locator('[contenteditable="true"]').click();
    await page.keyboard.type('From Monday on, everyone in the warehouse wears safety shoes.');
    await byTestId(page, 'compose-category').selectOption('directive');
    await byTestId(page, 'compose-priority').selectOption('urgent');
    await byTestId(page, 'compose-requires-ack').check();
    await page.locator(`[data-testid="scope-department"][data-department-id="${org.departments.east.id}"]`).check();
    // East is the manager, a and b: the publisher does not send it to himself.
    await page.locator('[data-testid="compose-recipients"][data-count="2"]').waitFor();
    // Sales is above him: not his to publish to.
    expect(await page.locator(`[data-testid="scope-department"][data-department-id="${org.departments.sales.id}"]`).isDisabled()).toBe(true);
    await byTestId(page, 'compose-publish').click();
    await byTestId(page, 'announcement-page').waitFor();
    expect(await byTestId(page, 'announcement-title').textContent()).toBe(title);
    await byTestId(page, 'announcement-ledger-link').click();
    await byTestId(page, 'ledger-page').waitFor();
    await page.locator('[data-testid="ledger-acknowledged"][data-count="0"]').waitFor();
    expect(await byTestId(page, 'ledger-total').textContent()).toBe('2');

    // Both employees see the banner arrive without reloading.
    for (const tab of [first, second]) {
      await byTestId(tab.page, 'urgent-banner').filter({ hasText: title }).waitFor();
    }

    // One of them opens it from the banner and acknowledges it with a reply.
    await byTestId(first.page, 'urgent-banner-item').click();
    await byTestId(first.page, 'announcement-page').waitFor();
    await byTestId(first.page, 'acknowledge-reply').fill('Bought them already');
    await byTestId(first.page, 'acknowledge').click();
    await first.page.locator('[data-testid="announcement-receipt"][data-state="acknowledged"]').waitFor();
    await byTestId(first.page, 'urgent-banner').waitFor({ state: 'detached' });

    // The manager's ledger follows live: one acknowledged, a's row with the reply; b still has the banner.
    await page.locator('[data-testid="ledger-acknowledged"][data-count="1"]').waitFor();
    const row = page.locator(`[data-testid="ledger-row"][data-user-id="${org.a.user.id}"]`);
    await page.locator(`[data-testid="ledger-row"][data-user-id="${org.a.user.id}"][data-state="acknowledged"]`).waitFor();
    expect(await row.textContent()).toContain('Bought them already');
    expect(await page.locator(`[data-testid="ledger-row"][data-user-id="${org.b.user.id}"]`).getAttribute('data-state')).not.toBe('acknowledged');
    expect(await byTestId(second.page, 'urgent-banner').textContent()).toContain(title);
    const published = ok(await org.e.api.get('/api/announcements?box=sent')).items[0];
    expect(published).toMatchObject({ title, category: 'directive', priority: 'urgent', requiresAck: true, recipientCount: 2 });
    for (const tab of [manager, first, second]) expect(tab.pageErrors).toEqual([]);
  });
});
