import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { ADMIN } from '../support/server.js';
import { ApiClient, ok, unique } from '../support/api.js';
import { createUser, rootDepartment } from '../support/factories.js';
import { browserSuite, byTestId, openSignedIn } from '../support/browser.js';

const suite = browserSuite();
let admin: ApiClient;

beforeAll(async () => {
  admin = await suite.server.admin();
});

const node = (page: Page, name: string) => page.locator(`[data-testid="department-node"][data-name="${name}"]`);
const departments = async () => ok<{ id: string; name: string; parentId: string | null; managers: { id: string }[] }[]>(await admin.get('/api/departments'));

describe('admin pages', () => {
  it('builds the department tree: create, rename, move, set managers, and delete only when empty', async () => {
    const root = await rootDepartment(admin);
    const { user: manager } = await createUser(admin, root.id, { displayName: '赵经理' });
    // Last night's scheduled backup failed: administrators see it on every page, not only on the Backups page.
    const db = new pg.Client({ connectionString: suite.server.databaseUrl });
    await db.connect();
    await db.query(`INSERT INTO backups (kind, status, scheduled_for, started_at, finished_at, error) VALUES ('scheduled', 'failed', '2000-01-02', now(), now(), 'ENOSPC: no space left on device')`);
    await db.end();
    const { page, context, pageErrors } = await openSignedIn(suite.browser, suite.server.url, ADMIN.email, ADMIN.password);
    await expect.poll(() => byTestId(page, 'backup-failed-banner').textContent()).toContain('ENOSPC');
    await byTestId(page, 'nav-admin').click();
    await byTestId(page, 'departments-page').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/departments');
    expect(await byTestId(page, 'backup-failed-banner').isVisible()).toBe(true);

    // Create under the selected department.
    await node(page, root.name).click();
    await byTestId(page, 'department-create-name').fill('华东销售部');
    await byTestId(page, 'department-create-submit').click();
    await node(page, '华东销售部').waitFor();
    const east = (await departments()).find((d) => d.name === '华东销售部')!;
    expect(east.parentId).toBe(root.id);

    // Rename and set a manager in one save (the new department is selected).
    await page.locator(`[data-testid="department-editor"][data-id="${east.id}"]`).waitFor();
    await byTestId(page, 'department-name').fill('华东销售一部');
    await byTestId(page, 'department-managers-search').fill('赵经理');
    await byTestId(page, 'department-managers-option').click();
    await byTestId(page, 'department-save').click();
    await node(page, '华东销售一部').waitFor();
    const renamed = (await departments()).find((d) => d.id === east.id)!;
    expect(renamed.name).toBe('华东销售一部');
    expect(renamed.managers.map((m) => m.id)).toEqual([manager.id]);

    // A sub-department, then moved to the top level.
    await byTestId(page, 'department-create-name').fill('上海组');
    await byTestId(page, 'department-create-submit').click();
    await node(page, '上海组').waitFor();
    const shanghai = (await departments()).find((d) => d.name === '上海组')!;
    expect(shanghai.parentId).toBe(east.id);
    await page.locator(`[data-testid="department-editor"][data-id="${shanghai.id}"]`).waitFor();
    // The editor does not offer moving a department under itself.
    expect(await byTestId(page, 'department-parent').locator(`option[value="${shanghai.id}"]`).count()).toBe(0);
    await byTestId(page, 'department-parent').selectOption('');
    await byTestId(page, 'department-save').click();
    await byTestId(page, 'departments-success').waitFor();
    await expect.poll(async () => (await departments()).find((d) => d.id === shanghai.id)!.parentId).toBeNull();

    // Deleting a department with members shows the server's 409 message.
    await node(page, root.name).click();
    await byTestId(page, 'department-delete').click();
    await byTestId(page, 'department-delete-confirm').click();
    await byTestId(page, 'department-error').waitFor();
    expect(await byTestId(page, 'department-error').getAttribute('data-code')).toBe('conflict');
    expect(await byTestId(page, 'department-error-message').textContent()).toBe('The department still has members; move them first');

    // An empty one goes.
    await node(page, '上海组').click();
    await byTestId(page, 'department-delete').click();
    await byTestId(page, 'department-delete-confirm').click();
    await node(page, '上海组').waitFor({ state: 'detached' });
    expect((await departments()).some((d) => d.id === shanghai.id)).toBe(false);
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('manages users: create, search, edit, reset the password, deactivate', async () => {
    const { page, context, pageErrors } = await openSignedIn(suite.browser, suite.server.url, ADMIN.email, ADMIN.password);
    await page.goto('/admin/users');
    await byTestId(page, 'user-table').waitFor();

    const email = `${unique('wangwu')}@huitong.test`;
    await byTestId(page, 'user-create').click();
    await byTestId(page, 'user-form-name').fill('王五');
    await byTestId(page, 'user-form-email').fill(email);
    // A common password is refused, and the form says why in the user's language.
    await byTestId(page, 'user-form-password').fill('password1');
    await byTestId(page, 'user-form-submit').click();
    expect(await byTestId(page, 'field-problem-password').getAttribute('data-code')).toBe('weak_password');
    expect(await byTestId(page, 'field-problem-password').textContent()).toBe('密码太容易被猜到: 这是常用密码');
    await byTestId(page, 'user-form-password').fill('first-password-1');
    await byTestId(page, 'user-form-submit').click();
    const row = page.locator(`[data-testid="user-row"][data-email="${email}"]`);
    await row.waitFor();
    expect(await byTestId(page, 'users-success').textContent()).toBe('已创建用户 王五');

    // The same e-mail twice: the server's conflict is shown in the form.
    await byTestId(page, 'user-create').click();
    await byTestId(page, 'user-form-name').fill('王五二号');
    await byTestId(page, 'user-form-email').fill(email);
    await byTestId(page, 'user-form-password').fill('first-password-1');
    await byTestId(page, 'user-form-submit').click();
    expect(await byTestId(page, 'user-form-error').getAttribute('data-code')).toBe('conflict');
    expect(await byTestId(page, 'user-form-error-message').textContent()).toBe(`Another user already has the e-mail address ${email}`);
    await page.getByRole('button', { name: '取消' }).click();

    // Search narrows the list on the server.
    await byTestId(page, 'user-search').fill(email.split('@')[0]);
    await page.locator('[data-testid="user-row"]').first().waitFor();
    await expect.poll(() => byTestId(page, 'user-row').count()).toBe(1);

    await row.locator('[data-testid="user-edit"]').click();
    await byTestId(page, 'user-form-name').fill('王五（华东）');
    await byTestId(page, 'user-form-submit').click();
    await row.locator('td', { hasText: '王五（华东）' }).waitFor();

    await row.locator('[data-testid="user-password"]').click();
    await byTestId(page, 'password-form-password').fill('second-password-2');
    await byTestId(page, 'password-form-submit').click();
    await byTestId(page, 'users-success').filter({ hasText: '重置密码' }).waitFor();
    await new ApiClient(suite.server.url).login(email, 'second-password-2');

    await row.locator('[data-testid="user-deactivate"]').click();
    await row.locator('[data-testid="user-status"][data-active="false"]').waitFor();
    expect(await row.locator('[data-testid="user-status"]').textContent()).toBe('已停用');
    expect((await new ApiClient(suite.server.url).post('/api/auth/login', { email, password: 'second-password-2' })).status).toBe(401);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
