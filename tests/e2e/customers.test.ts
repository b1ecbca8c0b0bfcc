import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../support/server.js';
import { ok, type ApiClient } from '../support/api.js';
import { PASSWORD } from '../support/factories.js';
import { buildOrg } from '../support/org.js';
import { browserSuite, byTestId, openSignedIn, type TestPage } from '../support/browser.js';
import { waitFor } from '../support/wait.js';

const suite = browserSuite();
let admin: ApiClient;

beforeAll(async () => {
  admin = await suite.server.admin();
});

/** A signed-in browser page in English. */
const signedIn = (email: string, password = PASSWORD): Promise<TestPage> => openSignedIn(suite.browser, suite.server.url, email, password, 'en');

describe('customer editing in the browser', () => {
  it('an owner changes the customer’s name, type, class, owners, address and notes, and adds, changes and removes contacts', async () => {
    const { a, b } = await buildOrg(admin, { locale: 'en' });
    const customer = ok(await a.api.post('/api/customers', { name: 'Editable Trading', type: 'end_customer', tier: 'gold', contacts: [{ name: 'Old Contact', title: 'Clerk' }] }), 201);
    const owner = await signedIn(a.user.email);
    const { page } = owner;
    await page.goto(`/customers/${customer.id}`);
    await byTestId(page, 'customer-edit').click();
    const editor = byTestId(page, 'customer-editor');
    await byTestId(editor, 'customer-edit-name').fill('Edited Trading Ltd');
    await byTestId(editor, 'customer-edit-type').selectOption('channel');
    await byTestId(editor, 'customer-edit-class').selectOption('A');
    // A second owner through the directory search.
    await byTestId(editor, 'customer-owners-search').fill(b.user.displayName);
    await editor.locator(`[data-testid="customer-owners-option"][data-user-id="${b.user.id}"]`).click();
    await byTestId(editor, 'customer-owners-chosen').filter({ hasText: b.user.displayName }).waitFor();
    await byTestId(editor, 'customer-edit-address').fill('88 Nanjing Road, Shanghai');
    await byTestId(editor, 'customer-edit-notes').fill('Prefers calls in the morning');
    await byTestId(editor, 'customer-edit-save').click();

    await page.locator('[data-testid="customer-title"]', { hasText: 'Edited Trading Ltd' }).waitFor();
    await editor.waitFor({ state: 'detached' });
    const facts = await byTestId(page, 'customer-facts').textContent();
    expect(facts).toContain('Prospect A');
    expect(facts).toContain('Channel');
    expect(facts).toContain(b.user.displayName);
    expect(await byTestId(page, 'customer-address').textContent()).toContain('88 Nanjing Road, Shanghai');
    expect(await byTestId(page, 'customer-notes').textContent()).toBe('Prefers calls in the morning');

    // Adding a contact with every field.
    const add = byTestId(page, 'contact-add');
    await byTestId(add, 'contact-add-name').fill('Zhang Wei');
    await byTestId(add, 'contact-add-title').fill('Purchasing manager');
    await byTestId(add, 'contact-add-phone').fill('+8613800138000');
    await byTestId(add, 'contact-add-email').fill('zhang.wei@example.com');
    await byTestId(add, 'contact-add-birthday').fill('1984-02-29');
    await byTestId(add, 'contact-add-save').click();
    const zhang = byTestId(page, 'contact').filter({ hasText: 'Zhang Wei' });
    await zhang.waitFor();
    expect(await zhang.textContent()).toContain('zhang.wei@example.com');
    // The form is empty again for the next contact (it clears once the save has answered, which may be after the list shows the contact).
    await waitFor(async () => (await byTestId(add, 'contact-add-name').inputValue()) === '', { what: 'the contact form to be cleared' });

    // Changing one field of a contact keeps the others.
    await byTestId(zhang, 'contact-edit-open').click();
    await byTestId(page, 'contact-edit-phone').fill('+8613900139000');
    await byTestId(page, 'contact-edit-save').click();
    await byTestId(page, 'contact').filter({ hasText: '+8613900139000' }).waitFor();

    // Removing asks once more.
    const old = byTestId(page, 'contact').filter({ hasText: 'Old Contact' });
    await byTestId(old, 'contact-remove').click();
    await byTestId(old, 'contact-remove-confirm').click();
    await old.waitFor({ state: 'detached' });

    const saved = ok(await a.api.get(`/api/customers/${customer.id}`));
    expect(saved).toMatchObject({ name: 'Edited Trading Ltd', type: 'channel', tier: null, prospectClass: 'A', address: '88 Nanjing Road, Shanghai', notes: 'Prefers calls in the morning' });
    expect(saved.owners.map((o: any) => o.id).sort()).toEqual([a.user.id, b.user.id].sort());
    expect(saved.contacts).toEqual([expect.objectContaining({ name: 'Zhang Wei', title: 'Purchasing manager', phone: '+8613900139000', email: 'zhang.wei@example.com', birthday: '1984-02-29' })]);
    // The class change is in the customer's feed.
    expect(ok(await a.api.get(`/api/customers/${customer.id}/feed`)).items.map((i: any) => i.kind)).toContain('tier_change');
    expect(owner.pageErrors).toEqual([]);
    await owner.context.close();
  });

  it('a colleague who does not own the customer is offered no editing', async () => {
    const { a, b } = await buildOrg(admin, { locale: 'en' });
    const customer = ok(await a.api.post('/api/customers', { name: 'Look But Do Not Touch', type: 'media', tier: 'regular', contacts: [{ name: 'Press Office' }] }), 201);
    const colleague = await signedIn(b.user.email);
    await colleague.page.goto(`/customers/${customer.id}`);
    await byTestId(colleague.page, 'contact').filter({ hasText: 'Press Office' }).waitFor();
    expect(await byTestId(colleague.page, 'customer-edit').count()).toBe(0);
    expect(await byTestId(colleague.page, 'contact-add').count()).toBe(0);
    expect(await byTestId(colleague.page, 'contact-edit-open').count()).toBe(0);
    await colleague.context.close();
  });
});

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
    expect(ok(await admin.get('/api/settings'))).toMatchObject({ customerVisibility: 'owners' });

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
