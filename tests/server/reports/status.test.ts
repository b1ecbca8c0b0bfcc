import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { addDays, periodOf } from '../../../shared/reportPeriods.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { textBody } from '../../support/chat.js';
import { dayFromToday } from '../../support/reports.js';

let server: TestServer;
let admin: ApiClient;
let org: Awaited<ReturnType<typeof buildOrg>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  org = await buildOrg(admin, { locale: 'en' });
  // The staff joined long before the weeks looked at (a person counts from when they are in a department).
  await server.orm.em.fork().execute(`UPDATE users SET department_since = now() - interval '90 days'`);
});
afterAll(() => server?.close());

const db = () => server.orm.em.fork();
/** Writes and submits a daily report with every required section filled. */
async function submitDaily(api: ApiClient, date: string) {
  const draft = ok(await api.post('/api/reports', { kind: 'daily', date }));
  const saved = ok(await api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody(`done ${date}`), plan: textBody('plan') } }));
  return ok(await api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));
}
const statuses = (status: any, userId: string) => status.people.find((p: any) => p.user.id === userId)?.cells.map((c: any) => c.status);

describe('submission status', () => {
  it('per day, week and month: holidays and moved working days, late and on-time reports, exemptions, a department that does not require them, and people who moved department mid-week', async () => {
    const { a, b, c, e, m, s, departments } = org;
    const week = periodOf('weekly', dayFromToday(-14));
    const [mon, tue, wed, thu, fri, sat, sun] = Array.from({ length: 7 }, (_, i) => addDays(week.start, i));
    ok(await admin.put(`/api/reports/holidays/${mon}`, { kind: 'holiday', name: 'Test holiday' }));
    ok(await admin.put(`/api/reports/holidays/${sat}`, { kind: 'workday', name: 'Moved working day' }));
    expect((await e.api.put(`/api/reports/holidays/${sun}`, { kind: 'holiday' })).status).toBe(403);
    // Support does not require daily reports.
    ok(await s.api.put('/api/reports/rules', { kind: 'daily', departmentId: departments.support.id, required: false, deadlineDay: 0, deadlineTime: '18:00' }));
    expect((await s.api.put('/api/reports/rules', { kind: 'daily', departmentId: departments.east.id, required: false, deadlineDay: 0, deadlineTime: '18:00' })).status).toBe(403);

    const late = await submitDaily(a.api, tue);
    expect(late.late).toBe(true);
    const onTime = await submitDaily(a.api, fri);
    // Submitted in time then: the clock of the test cannot go back a fortnight, so the row is dated back.
    await db().execute(`UPDATE reports SET submitted_at = deadline_at - interval '1 hour' WHERE id = ?`, [onTime.id]);
    ok(await e.api.put('/api/reports/exemptions', { userId: a.user.id, kind: 'daily', date: wed, reason: 'Trade fair' }));
    expect((await b.api.put('/api/reports/exemptions', { userId: a.user.id, kind: 'daily', date: thu })).status).toBe(404);
    // b moves from East to Support on Thursday (the history is dated back to then).
    ok(await admin.patch(`/api/users/${b.user.id}`, { departmentId: departments.support.id }));
    await db().execute(`UPDATE department_history SET valid_to = ?::date::timestamptz - interval '8 hours' WHERE user_id = ?`, [thu, b.user.id]);
    await db().execute(`UPDATE users SET department_since = ?::date::timestamptz - interval '8 hours' WHERE id = ?`, [thu, b.user.id]);

    const east = ok(await e.api.get(`/api/reports/status?departmentId=${departments.east.id}&kind=daily&view=week&date=${wed}`));
    expect(east).toMatchObject({ kind: 'daily', view: 'week', from: mon, to: sun, timeZone: 'Asia/Shanghai' });
    expect(east.periods.map((p: any) => [p.start, p.working, p.holiday])).toEqual([
      [mon, false, 'Test holiday'], [tue, true, null], [wed, true, null], [thu, true, null], [fri, true, null], [sat, true, 'Moved working day'], [sun, false, null],
    ]);
    expect(statuses(east, a.user.id)).toEqual(['not_required', 'late', 'not_required', 'missing', 'submitted', 'missing', 'not_required']);
    expect(statuses(east, b.user.id)).toEqual(['not_required', 'missing', 'missing', 'elsewhere', 'elsewhere', 'elsewhere', 'elsewhere']);
    expect(east.people.find((p: any) => p.user.id === b.user.id)).toMatchObject({ moved: true, department: { id: departments.support.id } });
    expect(statuses(east, c.user.id)).toBeUndefined();
    const eastCounts = east.departments.find((d: any) => d.id === departments.east.id);
    expect(eastCounts.missing.map((u: any) => u.id).sort()).toEqual([a.user.id, b.user.id, e.user.id].sort());
    expect(eastCounts.counts).toMatchObject({ submitted: 1, late: 1 });
    expect(east.people.find((p: any) => p.user.id === a.user.id).cells[1].reportId).toBe(late.id);

    // Support's view of the same week: b counts there from Thursday, where daily reports are not required.
    const support = ok(await admin.get(`/api/reports/status?departmentId=${departments.support.id}&kind=daily&view=week&date=${wed}`));
    expect(statuses(support, b.user.id)).toEqual(['elsewhere', 'elsewhere', 'elsewhere', 'not_required', 'not_required', 'not_required', 'not_required']);
    expect(statuses(support, c.user.id)?.every((x: string) => x === 'not_required')).toBe(true);

    // The month grid: a column per day, the holiday among them; weekly reports: the weeks of the month.
    const month = ok(await m.api.get(`/api/reports/status?departmentId=${departments.east.id}&kind=daily&view=month&date=${wed}`));
    const monthPeriod = periodOf('monthly', wed);
    expect(month.periods).toHaveLength(Number(monthPeriod.end.slice(8)));
    // The days of the week above that fall in the month show the same calendar.
    const inMonth = east.periods.filter((p: any) => p.start.slice(0, 7) === wed.slice(0, 7));
    expect(inMonth.length).toBeGreaterThan(0);
    for (const day of inMonth) expect(month.periods.find((p: any) => p.start === day.start)).toEqual(day);
    // … and the same cells (the month is read from report_submission_months, kept by a trigger, also through the UPDATE above; the week from the reports).
    const cellsOn = (view: any, userId: string, days: string[]) => days.map((d) => view.people.find((p: any) => p.user.id === userId).cells[view.periods.findIndex((p: any) => p.start === d)]);
    for (const person of [a, b]) expect(cellsOn(month, person.user.id, inMonth.map((d: any) => d.start))).toEqual(cellsOn(east, person.user.id, inMonth.map((d: any) => d.start)));
    const weekly = ok(await m.api.get(`/api/reports/status?departmentId=${departments.east.id}&kind=weekly&view=month&date=${wed}`));
    expect(weekly.periods[0].start <= monthPeriod.start && weekly.periods.at(-1).end >= monthPeriod.end).toBe(true);
    expect(statuses(weekly, a.user.id)).toContain('missing');
    const single = ok(await e.api.get(`/api/reports/status?departmentId=${departments.east.id}&kind=daily&view=day&date=${tue}`));
    expect(single.periods).toHaveLength(1);
    expect(statuses(single, a.user.id)).toEqual(['late']);

    // Only managers of the subtree (and administrators) see it; a 404 for everyone else.
    expect((await e.api.get(`/api/reports/status?departmentId=${departments.support.id}&kind=daily&date=${wed}`)).status).toBe(404);
    expect((await a.api.get(`/api/reports/status?departmentId=${departments.east.id}&kind=daily&date=${wed}`)).status).toBe(404);
    expect((await a.api.get(`/api/reports/status?kind=daily&date=${wed}`)).status).toBe(404);
    expect((await a.api.get(`/api/reports/status/export?departmentId=${departments.east.id}&kind=daily&date=${wed}`)).status).toBe(404);
    expect(ok(await e.api.get(`/api/reports/status?kind=daily&date=${wed}`)).departments[0].id).toBe(departments.east.id);

    // The grid as CSV for Excel: BOM, a column per day, statuses in the reader's language.
    const res = await fetch(`${server.url}/api/reports/status/export?departmentId=${departments.east.id}&kind=daily&view=week&date=${wed}`, { headers: { authorization: `Bearer ${e.api.token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['Name', 'E-mail', 'Department', 'Moved', mon, tue, wed, thu, fri, sat, sun]);
    expect(rows.find((r) => r[1] === a.user.email)).toEqual([a.user.displayName, a.user.email, departments.east.name, 'no', 'not required', 'late', 'not required', 'missing', 'submitted', 'missing', 'not required']);
  });

  it('"remind now" reminds only those of the subtree who owe the period’s report, once per person and period', async () => {
    const { a, e, departments } = org;
    const today = dayFromToday(0);
    ok(await admin.put(`/api/reports/holidays/${today}`, { kind: 'workday', name: 'Working today' }));
    const before = async (api: ApiClient) => ok(await api.get('/api/notifications?limit=50')).items.filter((n: any) => n.kind === 'reminder' && n.data?.periodStart === today).length;
    await submitDaily(a.api, today);
    const first = ok(await e.api.post('/api/reports/status/remind', { departmentId: departments.east.id, kind: 'daily', date: today }));
    // e (a manager is staff too) still owes it; a has submitted; b has left for Support.
    expect(first.reminded).toBe(1);
    expect(await before(e.api)).toBe(1);
    expect(await before(a.api)).toBe(0);
    expect(ok(await e.api.post('/api/reports/status/remind', { departmentId: departments.east.id, kind: 'daily', date: today })).reminded).toBe(0);
    expect((await a.api.post('/api/reports/status/remind', { departmentId: departments.east.id, kind: 'daily', date: today })).status).toBe(404);
  });
});
