import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ok } from '../support/api.js';
import { PASSWORD } from '../support/factories.js';
import { buildOrg } from '../support/org.js';
import { browserSuite, byTestId, openSignedIn, type TestPage } from '../support/browser.js';

const suite = browserSuite();


// The test users live in the browser's zone, so a local 10:00 entry shows at 10:00 on the same calendar day.
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const pad = (n: number) => String(n).padStart(2, '0');
/** YYYY-MM-DD of the day `offset` days after this week's Monday (the week view shows Monday to Sunday). */
function weekDay(offset: number): string {
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7) + offset);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
/** This week (Monday to Monday, local) as the query string of a range query. */
const weekQuery = () => `from=${encodeURIComponent(new Date(`${weekDay(0)}T00:00`).toISOString())}&to=${encodeURIComponent(new Date(`${weekDay(7)}T00:00`).toISOString())}`;

/** A signed-in browser page on the schedule. */
async function scheduleOf(user: { email: string }): Promise<TestPage> {
  const tab = await openSignedIn(suite.browser, suite.server.url, user.email, PASSWORD, 'en');
  await byTestId(tab.page, 'nav-schedule').click();
  await byTestId(tab.page, 'schedule-page').waitFor();
  return tab;
}
/** The calendar item of an entry on a day of this week. */
const entryOn = (tab: TestPage, day: string, title: string) => tab.page.locator(`[data-testid="day-${day}"] [data-testid="entry"]`, { hasText: title });

describe('schedule in the browser', () => {
  it('staff plan a customer visit and record its result; the manager sees it in the team view and annotates; the staff member sees the annotation arrive', async () => {
    const org = await buildOrg(await suite.server.admin(), { locale: 'en' });
    const { a, e } = org;
    const customer = ok(await a.api.post('/api/customers', { name: 'Browser Trading Co', type: 'end_customer', tier: 'platinum' }), 201);

    const staff = await openSignedIn(suite.browser, suite.server.url, a.user.email, PASSWORD, 'en');
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

    const manager = await openSignedIn(suite.browser, suite.server.url, e.user.email, PASSWORD, 'en');
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
    const feed = ok(await a.api.get(`/api/customers/${customer.id}/feed`)).items.map((i: any) => i.kind);
    expect(feed).toEqual(['annotation', 'result', 'entry']);
    expect(staff.pageErrors).toEqual([]);
    expect(manager.pageErrors).toEqual([]);
    await staff.context.close();
    await manager.context.close();
  });
});

describe('editing entries in the browser', () => {
  it('the owner changes an entry’s title, kind, time, plan period, reminders and customer, choosing one of the customer’s contacts', async () => {
    const { a } = await buildOrg(await suite.server.admin(), { locale: 'en', timeZone: ZONE });
    const customer = ok(await a.api.post('/api/customers', { name: 'Contact Picker Co', type: 'end_customer', tier: 'gold', contacts: [{ name: 'Li Lei', title: 'Buyer' }, { name: 'Han Meimei', title: 'CFO' }] }), 201);
    const hanId = customer.contacts.find((c: any) => c.name === 'Han Meimei').id;
    const tuesday = weekDay(1);
    const entry = ok(await a.api.post('/api/schedule/entries', { kind: 'task', title: 'Prepare quote', start: `${tuesday}T10:00`, end: `${tuesday}T11:00` }), 201);

    const staff = await scheduleOf(a.user);
    await entryOn(staff, tuesday, 'Prepare quote').click();
    await byTestId(staff.page, 'entry-edit').click();
    const editor = byTestId(staff.page, 'entry-editor');
    // The editor starts from the stored entry.
    expect(await byTestId(editor, 'entry-title').inputValue()).toBe('Prepare quote');
    expect(await byTestId(editor, 'entry-start').inputValue()).toBe(`${tuesday}T10:00`);
    await byTestId(editor, 'entry-title').fill('Quote visit');
    await byTestId(editor, 'entry-kind').selectOption('visit');
    await byTestId(editor, 'entry-end').fill(`${tuesday}T12:00`);
    await byTestId(editor, 'entry-plan-period').selectOption('week');
    await byTestId(editor, 'entry-reminder-1440').check();
    await byTestId(editor, 'entry-customer-search').fill('Contact Picker');
    await byTestId(editor, 'entry-customer-option').filter({ hasText: 'Contact Picker Co' }).click();
    // Choosing the customer offers its contacts.
    await byTestId(editor, 'entry-contact-option').filter({ hasText: 'Li Lei' }).waitFor();
    await byTestId(editor, 'entry-contact-option').filter({ hasText: 'Han Meimei' }).getByRole('checkbox').check();
    await byTestId(editor, 'entry-save').click();

    await staff.page.locator('[data-testid="entry-details-title"]', { hasText: 'Quote visit' }).waitFor();
    await staff.page.locator('[data-testid="entry-details-contacts"]', { hasText: 'Han Meimei' }).waitFor();
    expect(await byTestId(staff.page, 'entry-details-contacts').textContent()).not.toContain('Li Lei');
    await entryOn(staff, tuesday, 'Quote visit').waitFor();
    const saved = ok(await a.api.get(`/api/schedule/entries/${entry.id}`));
    expect(saved).toMatchObject({ title: 'Quote visit', kind: 'visit', start: `${tuesday}T10:00:00`, end: `${tuesday}T12:00:00`, planPeriod: 'week', customer: { id: customer.id }, contactIds: [hanId], reminderOffsets: [1440] });
    // Linking the customer put the entry into its feed.
    expect(ok(await a.api.get(`/api/customers/${customer.id}/feed`)).items.map((i: any) => i.kind)).toEqual(['entry']);
    expect(staff.pageErrors).toEqual([]);
    await staff.context.close();
  });

  it('changes one occurrence of a recurring entry, then it and the following ones, then the whole series, as calendar programs offer', async () => {
    const { a } = await buildOrg(await suite.server.admin(), { locale: 'en', timeZone: ZONE });
    const [mon, tue, wed, thu, fri] = [0, 1, 2, 3, 4].map(weekDay);
    const series = ok(await a.api.post('/api/schedule/entries', { kind: 'meeting', title: 'Stand-up', start: `${mon}T09:00`, end: `${mon}T09:30`, rrule: 'FREQ=DAILY;COUNT=5' }), 201);
    const staff = await scheduleOf(a.user);
    const edit = async (day: string, title: string, changes: (editor: ReturnType<typeof byTestId>) => Promise<void>, scope: 'this' | 'following' | 'all') => {
      await entryOn(staff, day, title).click();
      await byTestId(staff.page, 'entry-edit').click();
      const editor = byTestId(staff.page, 'entry-editor');
      await changes(editor);
      await byTestId(editor, 'entry-save').click();
      await byTestId(staff.page, `scope-${scope}`).click();
      await byTestId(staff.page, 'entry-editor').waitFor({ state: 'detached' });
    };
    const week = async () => ok(await a.api.get(`/api/schedule/entries?${weekQuery()}`)).data.map((e: any) => `${e.start.slice(0, 16)} ${e.title}`);

    // This occurrence: Wednesday's moves to 10:00 under a new title; the other days keep theirs.
    await edit(wed, 'Stand-up', async (editor) => {
      expect(await byTestId(editor, 'entry-start').inputValue()).toBe(`${wed}T09:00`);
      await byTestId(editor, 'entry-title').fill('Stand-up with customer');
      await byTestId(editor, 'entry-start').fill(`${wed}T10:00`);
      await byTestId(editor, 'entry-end').fill(`${wed}T10:30`);
    }, 'this');
    await byTestId(staff.page, 'entry-own-occurrence').waitFor();
    await entryOn(staff, wed, 'Stand-up with customer').waitFor();
    expect(await week()).toEqual([`${mon}T09:00 Stand-up`, `${tue}T09:00 Stand-up`, `${wed}T10:00 Stand-up with customer`, `${thu}T09:00 Stand-up`, `${fri}T09:00 Stand-up`]);

    // This and following: from Thursday on the series has a new title; Monday to Wednesday stay as they were.
    await edit(thu, 'Stand-up', (editor) => byTestId(editor, 'entry-title').fill('Team stand-up'), 'following');
    await entryOn(staff, fri, 'Team stand-up').waitFor();
    expect(await week()).toEqual([`${mon}T09:00 Stand-up`, `${tue}T09:00 Stand-up`, `${wed}T10:00 Stand-up with customer`, `${thu}T09:00 Team stand-up`, `${fri}T09:00 Team stand-up`]);

    // All: moving Tuesday's occurrence to 08:00 moves the whole (first) series, Monday included.
    await edit(tue, 'Stand-up', async (editor) => {
      await byTestId(editor, 'entry-start').fill(`${tue}T08:00`);
      await byTestId(editor, 'entry-end').fill(`${tue}T08:30`);
    }, 'all');
    await staff.page.locator(`[data-testid="day-${mon}"] [data-testid="entry"]`, { hasText: '08:00' }).waitFor();
    expect(await week()).toEqual([`${mon}T08:00 Stand-up`, `${tue}T08:00 Stand-up`, `${wed}T10:00 Stand-up with customer`, `${thu}T09:00 Team stand-up`, `${fri}T09:00 Team stand-up`]);
    expect(ok(await a.api.get(`/api/schedule/entries/${series.id}`)).rrule).toMatch(/COUNT=3/);

    // A result belongs to one occurrence: recording it on Friday's leaves Thursday's planned.
    await entryOn(staff, fri, 'Team stand-up').click();
    await staff.page.locator('[data-testid="result-composer"] [contenteditable="true"]').click();
    await staff.page.keyboard.type('Everyone on track');
    await byTestId(staff.page, 'result-composer-send').click();
    await staff.page.locator('[data-testid="entry-status"]', { hasText: 'Done' }).waitFor();
    const byDay = new Map<string, any>(ok(await a.api.get(`/api/schedule/entries?${weekQuery()}`)).data.map((e: any) => [e.start.slice(0, 10), e]));
    expect(byDay.get(fri)).toMatchObject({ status: 'done', resultText: 'Everyone on track', rrule: null });
    expect(byDay.get(thu)).toMatchObject({ status: 'planned', title: 'Team stand-up' });
    expect(staff.pageErrors).toEqual([]);
    await staff.context.close();
  });
});

describe('department view in the browser', () => {
  it('a manager sees a subordinate’s customer visit in the department’s week, and only customer-related entries on request', async () => {
    const { m, a, departments } = await buildOrg(await suite.server.admin(), { locale: 'en', timeZone: ZONE });
    const customer = ok(await a.api.post('/api/customers', { name: 'Department View Co', type: 'channel', tier: 'silver' }), 201);
    const tuesday = weekDay(1);
    ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: 'Visit Department View Co', start: `${tuesday}T14:00`, end: `${tuesday}T15:00`, customerId: customer.id }), 201);
    ok(await a.api.post('/api/schedule/entries', { kind: 'task', title: 'Internal paperwork', start: `${tuesday}T16:00`, end: `${tuesday}T17:00` }), 201);

    // m manages Sales; East, a's department, is below it.
    const manager = await scheduleOf(m.user);
    await byTestId(manager.page, 'schedule-whose').selectOption({ label: departments.east.name });
    const visit = entryOn(manager, tuesday, 'Visit Department View Co');
    await visit.waitFor();
    expect(await visit.textContent()).toContain(a.user.displayName);
    expect(await visit.textContent()).toContain('Department View Co');
    await entryOn(manager, tuesday, 'Internal paperwork').waitFor();

    await byTestId(manager.page, 'schedule-customer-only').check();
    await entryOn(manager, tuesday, 'Internal paperwork').waitFor({ state: 'detached' });
    expect(await visit.isVisible()).toBe(true);
    // The month view asks the same department for the whole month.
    await byTestId(manager.page, 'view-month').click();
    await entryOn(manager, tuesday, 'Visit Department View Co').waitFor();
    expect(manager.pageErrors).toEqual([]);
    await manager.context.close();
  });

  it('the month view lays out whole weeks; a chosen date jumps there and Today comes back', async () => {
    const { a } = await buildOrg(await suite.server.admin(), { locale: 'en' });
    ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: 'Spring fair', start: '2027-03-10T10:00', end: '2027-03-10T12:00' }), 201);
    const tab = await scheduleOf(a.user);
    await byTestId(tab.page, 'view-month').click();
    await byTestId(tab.page, 'schedule-anchor').fill('2027-03-10');
    // March 2027 starts on a Monday and ends on a Wednesday: 5 weeks, the last four days from April.
    await entryOn(tab, '2027-03-10', 'Spring fair').waitFor();
    const days = tab.page.locator('[data-testid="calendar"] > [data-testid^="day-"]');
    expect(await days.count()).toBe(35);
    expect(await days.first().getAttribute('data-testid')).toBe('day-2027-03-01');
    expect(await tab.page.locator('[data-testid="day-2027-04-01"]').getAttribute('data-outside')).toBe('true');
    await byTestId(tab.page, 'schedule-today').click();
    await tab.page.locator(`[data-testid="day-${weekDay((new Date().getDay() + 6) % 7)}"][data-today]`).waitFor();
    expect(tab.pageErrors).toEqual([]);
    await tab.context.close();
  });
});
