import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ok } from '../support/api.js';
import { PASSWORD } from '../support/factories.js';
import { buildOrg } from '../support/org.js';
import { dayFromToday } from '../support/reports.js';
import { publish } from '../support/announcements.js';
import { browserSuite, byTestId, openSignedIn } from '../support/browser.js';

const suite = browserSuite();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 800 } };

/** The document is exactly as wide as the window: nothing scrolls sideways. */
const widths = (page: Page) => page.evaluate(() => ({ document: document.documentElement.scrollWidth, viewport: window.innerWidth }));

describe('the workbench and the dashboard in the browser', () => {
  it('an employee records a result in one tap and sees an announcement arrive (desktop); the head follows the directive on the phone dashboard, live', async () => {
    const admin = await suite.server.admin();
    const { a, e, departments } = await buildOrg(admin, { locale: 'en' });
    const today = dayFromToday(0);
    ok(await admin.put(`/api/reports/holidays/${today}`, { kind: 'workday', name: 'Working today' }));
    const visit = ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: 'Visit Harbour Trading', start: `${today}T00:30`, end: `${today}T01:00` }), 201);
    ok(await a.api.post('/api/customers', { name: 'Great Wall Machinery', type: 'end_customer', tier: 'platinum', ownerIds: [a.user.id] }), 201);

    // The employee's workbench on a desktop: the entry, today's report to write, the customer to contact.
    const staff = await openSignedIn(suite.browser, suite.server.url, a.user.email, PASSWORD, 'en', undefined, DESKTOP);
    const entry = staff.page.locator(`[data-testid="workbench-entry"][data-entry-id="${visit.id}"]`);
    await entry.waitFor();
    await staff.page.locator('[data-testid="workbench-report"][data-kind="daily"][data-state="none"]').waitFor();
    await staff.page.locator('[data-testid="workbench-customer"]', { hasText: 'Great Wall Machinery' }).waitFor();
    await byTestId(staff.page, 'block-announcements-empty').waitFor();
    expect(await byTestId(staff.page, 'nav-dashboard').count()).toBe(0);
    // One tap: record the visit's result; the entry shows done, and the schedule has it.
    await entry.locator('[data-testid="record-result"]').click();
    await entry.locator('[data-testid="result-text"]').fill('Signed the framework contract');
    await entry.locator('[data-testid="result-save"]').click();
    await staff.page.locator(`[data-testid="workbench-entry"][data-entry-id="${visit.id}"][data-status="done"]`).waitFor();
    expect(ok(await a.api.get(`/api/schedule/entries/${visit.id}`)).resultText).toBe('Signed the framework contract');

    // The head publishes a directive: it arrives on the open workbench without a reload.
    const directive = await publish(e.api, 'Safety first', { departmentIds: [departments.east.id] }, { requiresAck: true, priority: 'urgent' });
    await staff.page.locator('[data-testid="workbench-announcement"][data-priority="urgent"]', { hasText: 'Safety first' }).waitFor();

    // The head on a phone: the dashboard from the "more" page; the directive and who has not acknowledged it.
    const head = await openSignedIn(suite.browser, suite.server.url, e.user.email, PASSWORD, 'en', undefined, PHONE);
    await byTestId(head.page, 'home-page').waitFor();
    await byTestId(head.page, 'tab-more').tap();
    await byTestId(head.page, 'more-dashboard').tap();
    const row = head.page.locator(`[data-testid="dashboard-directive"][data-announcement-id="${directive.id}"]`);
    await row.locator('[data-testid="directive-count"]', { hasText: '2 of 2' }).waitFor();
    await head.page.locator('[data-testid="dashboard-customers-table"] tr', { hasText: 'Great Wall Machinery' }).waitFor();
    await byTestId(head.page, 'dashboard-chart').locator('canvas').waitFor();
    expect(await widths(head.page)).toEqual({ document: 390, viewport: 390 });
    // The employee acknowledges (on the desktop, through the announcement page): the head's count drops live.
    await staff.page.locator('[data-testid="workbench-announcement"]', { hasText: 'Safety first' }).locator('a').click();
    await byTestId(staff.page, 'acknowledge').click();
    await row.locator('[data-testid="directive-count"]', { hasText: '1 of 2' }).waitFor();
    // The employee's workbench no longer lists it.
    await byTestId(staff.page, 'nav-home').click();
    await byTestId(staff.page, 'block-announcements-empty').waitFor();

    // The report block links to writing today's report.
    await byTestId(staff.page, 'write-report').first().click();
    await byTestId(staff.page, 'report-editor').waitFor();
    expect(staff.pageErrors).toEqual([]);
    expect(head.pageErrors).toEqual([]);
    await staff.context.close();
    await head.context.close();
  });
});
