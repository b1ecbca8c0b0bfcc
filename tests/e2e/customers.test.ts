import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN, startTestServer, type TestServer } from '../support/server.js';
import { ok, type ApiClient } from '../support/api.js';
import { PASSWORD } from '../support/factories.js';
import { buildOrg } from '../support/org.js';
import { assertClientBuilt, byTestId, launchBrowser, openPage, signInThroughForm, type TestPage } from '../support/browser.js';

let server: TestServer;
let browser: Browser;
let admin: ApiClient;

beforeAll(async () => {
  assertClientBuilt();
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  admin = await server.admin();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A signed-in browser page in English. */
async function signedIn(email: string, password = PASSWORD): Promise<TestPage> {
  const tab = await openPage(browser, server.url, 'en');
  await tab.page.goto('/login');
  await signInThroughForm(tab.page, email, password);
  return tab;
}

describe('the organisation setting "who sees customers" in the browser', () => {
  it('an administrator limits customers to their owners and superiors, and a member of another department no longer sees them', async () => {
    const { a, c, e } = await buildOrg(admin, { locale: 'en' });
    ok(await a.api.post('/api/customers', { name: 'Owners Only Holdings', type: 'end_customer', tier: 'platinum' }), 201);
    ok(await c.api.post('/api/customers', { name: 'Support Side Co', type: 'partner', tier: 'silver' }), 201);
    const rows = (tab: TestPage) => byTestId(tab.page, 'customers-table').getByRole('link');

    // By default everyone sees every customer.
    const member = await signedIn(c.user.email);
    await byTestId(member.page, 'nav-customers').click();
    await rows(member).filter({ hasText: 'Owners Only Holdings' }).waitFor();

    const administrator = await signedIn(ADMIN.email, ADMIN.password);
    await byTestId(administrator.page, 'nav-admin').click();
    await byTestId(administrator.page, 'admin-tab-settings').click();
    await byTestId(administrator.page, 'visibility-everyone').waitFor();
    expect(await byTestId(administrator.page, 'visibility-everyone').isChecked()).toBe(true);
    await byTestId(administrator.page, 'visibility-owners').check();
    await byTestId(administrator.page, 'org-settings-save').click();
    await byTestId(administrator.page, 'org-settings-saved').waitFor();
    expect(ok(await admin.get('/api/settings'))).toEqual({ customerVisibility: 'owners' });

    try {
      // The member sees their own customer but not the other department's.
      await member.page.reload();
      await rows(member).filter({ hasText: 'Support Side Co' }).waitFor();
      expect(await rows(member).filter({ hasText: 'Owners Only Holdings' }).count()).toBe(0);
      // The owner's superior still sees it.
      const superior = await signedIn(e.user.email);
      await byTestId(superior.page, 'nav-customers').click();
      await rows(superior).filter({ hasText: 'Owners Only Holdings' }).waitFor();
      // The setting page shows what was saved.
      await administrator.page.reload();
      await byTestId(administrator.page, 'visibility-owners').waitFor();
      expect(await byTestId(administrator.page, 'visibility-owners').isChecked()).toBe(true);
      expect([...member.pageErrors, ...administrator.pageErrors, ...superior.pageErrors]).toEqual([]);
      await superior.context.close();
    } finally {
      // The setting is organisation-wide: the other tests of this file expect the default.
      ok(await admin.patch('/api/settings', { customerVisibility: 'everyone' }));
    }
    await member.context.close();
    await administrator.context.close();
  });
});
