import { describe, expect, it } from 'vitest';
import { ok } from '../support/api.js';
import { PASSWORD } from '../support/factories.js';
import { buildOrg } from '../support/org.js';
import { textBody } from '../support/chat.js';
import { dayFromToday } from '../support/reports.js';
import { browserSuite, byTestId, openSignedIn } from '../support/browser.js';

const suite = browserSuite();

describe('work reports in the browser', () => {
  it('an employee drafts the daily report from the schedule and submits it; the manager marks a passage and annotates; the employee sees the highlight and the remark arrive and replies', async () => {
    const { a, e } = await buildOrg(await suite.server.admin(), { locale: 'en' });
    const today = dayFromToday(0);
    const visit = ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: 'Visit Harbour Trading', start: `${today}T10:00`, end: `${today}T11:00` }), 201);
    ok(await a.api.put(`/api/schedule/entries/${visit.id}/result`, { result: textBody('Signed the framework contract') }));

    // The employee writes today's daily report from the schedule and submits it.
    const staff = await openSignedIn(suite.browser, suite.server.url, a.user.email, PASSWORD, 'en');
    await byTestId(staff.page, 'nav-reports').click();
    await byTestId(staff.page, 'write-daily').click();
    await byTestId(staff.page, 'report-editor').waitFor();
    await byTestId(staff.page, 'draft-from-schedule').click();
    await staff.page.locator('[data-testid="editor-section-done"]', { hasText: 'Signed the framework contract' }).waitFor();
    await staff.page.locator('[data-testid="editor-section-help"] [contenteditable="true"]').click();
    await staff.page.keyboard.type('Need the new price list');
    await staff.page.locator('[data-testid="autosave-state"][data-state="saved"]').waitFor();
    await byTestId(staff.page, 'report-submit').click();
    await staff.page.locator('[data-testid="report-status"][data-status="submitted"]').waitFor();
    const reportId = await byTestId(staff.page, 'report-page').getAttribute('data-report-id');

    // The manager opens it from the inbox, selects a passage and annotates it.
    const manager = await openSignedIn(suite.browser, suite.server.url, e.user.email, PASSWORD, 'en');
    await byTestId(manager.page, 'nav-reports').click();
    await byTestId(manager.page, 'reports-tab-inbox').click();
    await manager.page.locator(`[data-testid="report-row"][data-report-id="${reportId}"][data-unread="true"]`).locator('a').click();
    await byTestId(manager.page, 'report-reader').waitFor();
    // The author sees the read receipt at once.
    await staff.page.locator(`[data-testid="report-read"][data-user-id="${e.user.id}"]`).waitFor();

    await manager.page.evaluate((passage) => {
      const root = document.querySelector('[data-testid="section-text-done"] .rt-content')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(passage);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + passage.length);
        const selection = window.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      throw new Error(`"${passage}" is not on the page`);
    }, 'framework contract');
    await byTestId(manager.page, 'annotate-passage').click();
    await byTestId(manager.page, 'passage-draft').waitFor();
    await manager.page.locator('[data-testid="annotate-passage-composer"] [contenteditable="true"]').click();
    await manager.page.keyboard.type('Send me the contract');
    await byTestId(manager.page, 'annotate-passage-composer-send').click();
    const managerThread = manager.page.locator('[data-testid="annotation"]', { hasText: 'Send me the contract' });
    await managerThread.waitFor();
    expect(await managerThread.locator('[data-testid="annotation-quote"]').textContent()).toContain('framework contract');

    // The employee's page shows the highlighted passage and the remark without a reload, and replies.
    const mark = staff.page.locator('[data-testid="section-text-done"] mark', { hasText: 'framework contract' });
    await mark.waitFor();
    expect(await mark.textContent()).toBe('framework contract');
    const thread = staff.page.locator('[data-testid="annotation"]', { hasText: 'Send me the contract' });
    await thread.waitFor();
    const annotationId = await thread.getAttribute('data-annotation-id');
    expect(await mark.getAttribute('data-ids')).toBe(await thread.getAttribute('data-mark-id'));
    await staff.page.locator(`[data-testid="reply-${annotationId}"] [contenteditable="true"]`).click();
    await staff.page.keyboard.type('It is in the shared folder');
    await byTestId(staff.page, `reply-${annotationId}-send`).click();

    // The reply reaches the manager's open report.
    await manager.page.locator('[data-testid="annotation-reply"]', { hasText: 'It is in the shared folder' }).waitFor();
    expect(staff.pageErrors).toEqual([]);
    expect(manager.pageErrors).toEqual([]);
    await staff.context.close();
    await manager.context.close();
  });
});
