import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { addDays, periodOf } from '../../../shared/reportPeriods.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { mentionBody, textBody } from '../../support/chat.js';
import { dayFromToday } from '../../support/reports.js';
import { publish } from '../../support/announcements.js';
import { createBoard, reply, startThread } from '../../support/boards.js';
import { connectSocket, emitWithAck, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { waitFor } from '../../support/wait.js';

let server: TestServer;
let admin: ApiClient;
let org: Awaited<ReturnType<typeof buildOrg>>;
const sockets: TestSocket[] = [];

const today = dayFromToday(0);
const tomorrow = dayFromToday(1);
const ids = (items: { id: string }[]) => items.map((i) => i.id).sort();

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  org = await buildOrg(admin, { locale: 'en' });
  // The staff joined long before the weeks looked at, and today is a working day whatever the weekday.
  await server.orm.em.fork().execute(`UPDATE users SET department_since = now() - interval '90 days'`);
  ok(await admin.put(`/api/reports/holidays/${today}`, { kind: 'workday', name: 'Working today' }));
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server?.close();
});

async function submitDaily(api: ApiClient, date: string) {
  const draft = ok(await api.post('/api/reports', { kind: 'daily', date }));
  const saved = ok(await api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody(`done ${date}`), plan: textBody('plan') } }));
  return ok(await api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));
}
const entry = (api: ApiClient, title: string, start: string, end: string, extra: Record<string, unknown> = {}) =>
  api.post('/api/schedule/entries', { kind: 'visit', title, start, end, ...extra }).then((r) => ok(r, 201));
const customer = (api: ApiClient, name: string, tier: string, ownerIds: string[]) =>
  api.post('/api/customers', { name, type: 'end_customer', tier, ownerIds }).then((r) => ok(r, 201));
async function follow(api: ApiClient, streams: string[]) {
  const socket = await connectSocket(server.url, { token: api.token });
  sockets.push(socket);
  const ack = await emitWithAck(socket, 'sync', { streams: Object.fromEntries(streams.map((s) => [s, 0])) });
  expect(ack).toMatchObject({ ok: true, data: { refused: [] } });
  return socket;
}

describe('the workbench', () => {
  it('shows each user what the source pages show them, and nothing they hide', async () => {
    const { a, b, c, e } = org;
    // Schedule: two of a's today (one past), one tomorrow, one later; e's own entry is not a's.
    const morning = await entry(a.api, 'Morning visit', `${today}T00:30`, `${today}T01:00`);
    await entry(a.api, 'Late call', `${today}T23:00`, `${today}T23:30`, { kind: 'call' });
    await entry(a.api, 'Tomorrow’s meeting', `${tomorrow}T09:00`, `${tomorrow}T10:00`, { kind: 'meeting' });
    await entry(a.api, 'Later', `${dayFromToday(3)}T09:00`, `${dayFromToday(3)}T10:00`);
    await entry(e.api, 'Head’s own', `${today}T10:00`, `${today}T11:00`);
    // Chat: b writes to a directly and mentions a in a group.
    const direct = ok(await b.api.post('/api/conversations/direct', { userId: a.user.id }));
    ok(await b.api.post(`/api/conversations/${direct.id}/messages`, { clientId: crypto.randomUUID(), body: textBody('hello') }));
    const group = ok(await b.api.post('/api/conversations', { name: 'East team', memberIds: [a.user.id, e.user.id] }), 201);
    ok(await b.api.post(`/api/conversations/${group.id}/messages`, { clientId: crypto.randomUUID(), body: mentionBody('please look ', a.user) }));
    // A reminder in two hours; announcements: an urgent directive and a notice.
    const inTwoHours = new Date(Date.now() + 2 * 3600_000);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }).format(inTwoHours).replace(' ', 'T');
    const reminder = ok(await a.api.post('/api/reminders', { title: 'Call back', dtstart: local, timeZone: 'Asia/Shanghai' }), 201);
    const notice = await publish(admin, 'Canteen notice', { departmentIds: [org.departments.east.id] });
    const urgent = await publish(admin, 'Urgent directive', { departmentIds: [org.departments.east.id] }, { priority: 'urgent', requiresAck: true });
    // Customers: a's platinum (never contacted) and gold (contacted now), c's own.
    const platinum = await customer(a.api, 'Great Wall Machinery', 'platinum', [a.user.id]);
    const gold = await customer(a.api, 'Pearl River Trading', 'gold', [a.user.id]);
    const silver = await customer(a.api, 'Yangtze Supplies', 'silver', [a.user.id]);
    ok(await a.api.post(`/api/customers/${gold.id}/contact-records`, { channel: 'call', body: textBody('called') }), 201);
    const others = await customer(c.api, 'Support’s customer', 'platinum', [c.user.id]);
    // A board thread a watches, with a new reply from b.
    const board = await createBoard(admin, { openness: 'open' });
    const thread = await startThread(b.api, board.id, 'Price list for Q1');
    ok(await a.api.post(`/api/boards/threads/${thread.id}/read`, { number: 0 }));
    ok(await a.api.put(`/api/boards/threads/${thread.id}/subscription`, { level: 'watching' }));
    await reply(b.api, thread.id, 'Updated the list');
    // e reminds East of today's daily report: a's reminder notification.
    ok(await e.api.post('/api/reports/status/remind', { departmentId: org.departments.east.id, kind: 'daily', date: today }));

    const wb = ok(await a.api.get('/api/workbench'));
    expect(wb).toMatchObject({ today, tomorrow, timeZone: 'Asia/Shanghai' });
    // Entries: the schedule's day views of today and tomorrow.
    expect(ids(wb.entries.today)).toEqual(ids(ok(await a.api.get(`/api/schedule/entries?day=${today}`)).data));
    expect(ids(wb.entries.tomorrow)).toEqual(ids(ok(await a.api.get(`/api/schedule/entries?day=${tomorrow}`)).data));
    expect(wb.entries.today.map((x: any) => x.title)).toEqual(['Morning visit', 'Late call']);
    expect(wb.entries.today[0].can.edit).toBe(true);
    // Chat: the conversations the chat list shows with unread messages, and the unread mentions.
    const conversations = ok(await a.api.get('/api/conversations'));
    expect(ids(wb.chat.conversations)).toEqual(ids(conversations.filter((x: any) => x.unreadCount > 0)));
    expect(ids(wb.chat.conversations)).toEqual([direct.id, group.id].sort());
    expect(wb.chat.unreadMessages).toBe(2);
    const notifications = ok(await a.api.get('/api/notifications?unread=true&limit=50')).items;
    expect(ids(wb.chat.mentions)).toEqual(ids(notifications.filter((n: any) => n.kind === 'mention')));
    expect(wb.chat.mentions).toHaveLength(1);
    // Reminders: fired and unread (the report reminder), and the one due in two hours.
    expect(ids(wb.reminders.due)).toEqual(ids(notifications.filter((n: any) => n.kind === 'reminder')));
    expect(wb.reminders.due).toHaveLength(1);
    expect(wb.reminders.upcoming.map((r: any) => r.id)).toEqual([reminder.id]);
    // Reports: today's daily is due and not written; the week's and month's are due too.
    const daily = wb.reports.periods.find((p: any) => p.kind === 'daily');
    expect(daily).toMatchObject({ periodStart: today, required: true, report: null });
    expect(wb.reports.periods.map((p: any) => p.kind)).toEqual(['daily', 'weekly', 'monthly']);
    // Announcements: the urgent directive first, then the notice; the unread count of the feed.
    expect(wb.announcements.items.map((x: any) => x.id)).toEqual([urgent.id, notice.id]);
    expect(wb.announcements.unreadCount).toBe(ok(await a.api.get('/api/announcements?box=inbox')).unreadCount);
    // Customers: a's own not contacted for 30 days, top tiers first; the gold one was just called.
    expect(wb.customers.items.map((x: any) => x.id)).toEqual([platinum.id, silver.id]);
    const mine = ok(await a.api.get('/api/customers?owner=me&limit=100')).items;
    expect(ids(wb.customers.items)).toEqual(ids(mine.filter((x: any) => !x.lastContactAt || Date.parse(x.lastContactAt) < Date.now() - 30 * 86400_000)));
    // Threads: the watched thread with its new reply, as the board's list marks it.
    expect(wb.threads.map((t: any) => t.id)).toEqual([thread.id]);
    const listed = ok(await a.api.get(`/api/boards/${board.id}/threads`)).items.find((t: any) => t.id === thread.id);
    expect(wb.threads[0].unread).toEqual(listed.unread);
    expect(wb.threads[0].unread.newReplies).toBe(1);

    // Another person's workbench shows nothing of a's: c sees none of a's entries, chats or customers.
    ok(await admin.patch('/api/settings', { customerVisibility: 'owners' }));
    const cw = ok(await c.api.get('/api/workbench'));
    expect(cw.entries.today).toEqual([]);
    expect(cw.chat.conversations).toEqual([]);
    expect(cw.customers.items.map((x: any) => x.id)).toEqual([others.id]);
    expect(cw.announcements.items).toEqual([]);
    expect(cw.threads).toEqual([]);
    ok(await admin.patch('/api/settings', { customerVisibility: 'everyone' }));

    // Writing, then submitting today's report; an annotation on it appears; reading and acknowledging clear announcements.
    const draft = ok(await a.api.post('/api/reports', { kind: 'daily', date: today }));
    expect(ok(await a.api.get('/api/workbench')).reports.periods[0].report).toMatchObject({ id: draft.id, status: 'draft' });
    const submitted = await submitDaily(a.api, today);
    ok(await e.api.post(`/api/reports/${submitted.id}/annotations`, { body: textBody('Good progress') }), 201);
    ok(await a.api.post(`/api/announcements/${notice.id}/read`, {}));
    ok(await a.api.post(`/api/announcements/${urgent.id}/acknowledge`, {}));
    ok(await a.api.put(`/api/schedule/entries/${morning.id}/result`, { result: textBody('Signed') }));
    const after = ok(await a.api.get('/api/workbench'));
    expect(after.reports.periods[0].report).toMatchObject({ id: submitted.id, status: 'submitted' });
    expect(after.reports.annotations.map((n: any) => n.data.reportId)).toEqual([submitted.id]);
    expect(after.announcements.items).toEqual([]);
    expect(after.entries.today.find((x: any) => x.id === morning.id).status).toBe('done');
  });
});

describe('the dashboard', () => {
  it('is the status view, the ledger, the neglected customers and the team schedule of the subtree; staff and other subtrees are refused', async () => {
    const { m, e, a, b, s, c, departments } = org;
    // Refusals from the refused side: staff have no dashboard, heads none of another subtree.
    for (const path of ['/api/dashboard', `/api/dashboard?departmentId=${departments.east.id}`, '/api/dashboard/export?block=load']) {
      const res = await a.api.get(path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await e.api.get(`/api/dashboard?departmentId=${departments.support.id}`)).status).toBe(404);
    expect((await s.api.get(`/api/dashboard?departmentId=${departments.sales.id}`)).status).toBe(404);
    expect((await e.api.get('/api/dashboard?departmentId=x')).status).toBe(400);
    expect(ok(await a.api.get('/api/me')).can.viewDashboard).toBe(false);
    expect(ok(await e.api.get('/api/me')).can.viewDashboard).toBe(true);

    await entry(b.api, 'b visit', `${today}T00:10`, `${today}T00:20`);
    const directive = await publish(e.api, 'Safety directive', { departmentIds: [departments.east.id] }, { requiresAck: true });
    const supportDirective = await publish(s.api, 'Support directive', { departmentIds: [departments.support.id] }, { requiresAck: true });

    const east = ok(await e.api.get('/api/dashboard'));
    expect(east.department).toEqual({ id: departments.east.id, name: departments.east.name });
    expect(east.week).toEqual(periodOf('weekly', today));
    // Reports: exactly the status view's week, per person.
    const status = ok(await e.api.get(`/api/reports/status?departmentId=${departments.east.id}&kind=daily&view=week&date=${today}`));
    expect(east.reports.totals).toEqual(status.totals);
    for (const p of status.people) {
      const row = east.reports.people.find((x: any) => x.user.id === p.user.id);
      expect(row.missing).toBe(p.cells.filter((x: any) => x.status === 'missing').length);
      expect(row.submitted).toBe(p.cells.filter((x: any) => x.status === 'submitted').length);
    }
    expect(ids(east.reports.people.map((p: any) => p.user))).toEqual([a.user.id, b.user.id, e.user.id].sort());
    expect(east.reports.trend).toHaveLength(4);
    const counted = ({ not_required: _, ...rest }: any) => rest;
    expect(east.reports.trend.at(-1)).toEqual({ weekStart: status.from, weekEnd: status.to, totals: counted(status.totals) });
    const before = ok(await e.api.get(`/api/reports/status?departmentId=${departments.east.id}&kind=daily&view=week&date=${addDays(today, -7)}`));
    expect(east.reports.trend.at(-2)).toEqual({ weekStart: before.from, weekEnd: before.to, totals: counted(before.totals) });
    // Directives: the ledger's unacknowledged rows in the subtree (a acknowledged the urgent one already).
    const ledgerRows = ok(await e.api.get(`/api/announcements/${directive.id}/ledger/rows?state=unacknowledged&limit=100`)).items;
    const safety = east.directives.find((d: any) => d.announcement.id === directive.id);
    expect(safety).toMatchObject({ total: ok(await e.api.get(`/api/announcements/${directive.id}/ledger`)).total, unacknowledged: ledgerRows.length, canRemind: true });
    expect(ledgerRows.length).toBe(2);
    expect(safety.people.map((p: any) => p.id).sort()).toEqual(ledgerRows.map((r: any) => r.user.id).sort());
    expect(east.directives.map((d: any) => d.announcement.id)).not.toContain(supportDirective.id);
    // Customers: the platinum one a owns, never contacted, with its owner; not Support's.
    const neglected = ok(await e.api.get('/api/customers/neglected?days=30')).items;
    const eastOwned = neglected.filter((x: any) => x.owners.some((o: any) => [a.user.id, b.user.id, e.user.id].includes(o.id)));
    expect(ids(east.customers.items)).toEqual(ids(eastOwned));
    expect(east.customers.items.map((x: any) => x.name)).toEqual(['Great Wall Machinery']);
    expect(east.customers.items[0].owners.map((o: any) => o.id)).toEqual([a.user.id]);
    // Load: the team view's entries of this week, per person.
    const week = periodOf('weekly', today);
    const team = ok(await e.api.get(`/api/schedule/team?from=${encodeURIComponent(new Date(`${week.start}T00:00:00+08:00`).toISOString())}&to=${encodeURIComponent(new Date(`${addDays(week.end, 1)}T00:00:00+08:00`).toISOString())}`)).data;
    for (const who of [a, b]) {
      const theirs = team.filter((x: any) => x.owner.id === who.user.id && x.status !== 'cancelled');
      const row = east.load.find((x: any) => x.user.id === who.user.id);
      expect(row.planned).toBe(theirs.length);
      expect(row.done).toBe(theirs.filter((x: any) => x.status === 'done').length);
      expect(row.withoutResult).toBe(theirs.filter((x: any) => x.status === 'planned' && Date.parse(x.endsAt) <= Date.now()).length);
    }
    // b's visit ended at 00:20 today, Shanghai time: without a result once that has passed (not in the first twenty minutes of the day).
    const visitEnded = Date.parse(`${today}T00:20:00+08:00`) <= Date.now();
    expect(east.load.find((x: any) => x.user.id === b.user.id)).toMatchObject({ planned: 1, done: 0, withoutResult: visitEnded ? 1 : 0 });
    expect(east.overdueReminders).toEqual([]);

    // The head above sees the same people and more; Support's head sees only Support; an administrator any department.
    const sales = ok(await m.api.get('/api/dashboard'));
    expect(sales.department.id).toBe(departments.sales.id);
    expect(ids(sales.reports.people.map((p: any) => p.user))).toEqual([m.user.id, e.user.id, a.user.id, b.user.id].sort());
    const support = ok(await s.api.get('/api/dashboard'));
    expect(ids(support.reports.people.map((p: any) => p.user))).toEqual([s.user.id, c.user.id].sort());
    expect(support.customers.items.map((x: any) => x.name)).toEqual(['Support’s customer']);
    expect(support.load.map((x: any) => x.user.id).sort()).toEqual([s.user.id, c.user.id].sort());
    expect(support.directives.map((d: any) => d.announcement.id)).toEqual([supportDirective.id]);
    expect(ok(await admin.get(`/api/dashboard?departmentId=${departments.support.id}`)).department.id).toBe(departments.support.id);

    // CSV of a block: BOM, the reader's language, the same numbers.
    const res = await fetch(`${server.url}/api/dashboard/export?block=load`, { headers: { authorization: `Bearer ${e.api.token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows[0]).toEqual(['Name', 'E-mail', 'Planned', 'With result', 'Past without result']);
    expect(rows.find((r) => r[1] === b.user.email)).toEqual([b.user.displayName, b.user.email, '1', '0', visitEnded ? '1' : '0']);
  });

  it('changes live: a report submitted, a directive acknowledged, a customer contacted reach the head through the existing streams', async () => {
    const { e, b, departments } = org;
    const directive = await publish(e.api, 'Quality directive', { departmentIds: [departments.east.id] }, { requiresAck: true });
    const neglectedOne = await customer(b.api, 'Yellow River Cement', 'gold', [b.user.id]);
    const first = ok(await e.api.get('/api/dashboard'));
    const bRow = () => first.reports.people.find((p: any) => p.user.id === b.user.id);
    expect(first.directives.find((d: any) => d.announcement.id === directive.id).unacknowledged).toBe(2);
    expect(ids(first.customers.items)).toContain(neglectedOne.id);
    const head = await follow(e.api, [`user:${e.user.id}`, `announcement:${directive.id}`, `customer:${neglectedOne.id}`]);
    const staff = await follow(b.api, [`user:${b.user.id}`, `customer:${neglectedOne.id}`]);

    // b submits today's report: the head's user stream carries its notification; the dashboard counts it.
    const report = await submitDaily(b.api, today);
    await waitForEvent(head, (ev) => ev.type === 'notification.created' && (ev.data as any).notification.kind === 'report', 15_000);
    const afterReport = ok(await e.api.get('/api/dashboard'));
    const row = afterReport.reports.people.find((p: any) => p.user.id === b.user.id);
    // Submitted today (late after the 18:00 deadline, on time before it).
    expect(row.submitted + row.late).toBe(bRow().submitted + bRow().late + 1);
    expect(row.missing).toBeLessThanOrEqual(bRow().missing);
    expect(afterReport.reports.totals.submitted + afterReport.reports.totals.late).toBe(first.reports.totals.submitted + first.reports.totals.late + 1);
    expect(ok(await b.api.get('/api/workbench')).reports.periods[0].report.id).toBe(report.id);

    // b acknowledges the directive: its ledger stream tells the head; one fewer to acknowledge.
    ok(await b.api.post(`/api/announcements/${directive.id}/acknowledge`, {}));
    await waitForEvent(head, (ev) => ev.stream === `announcement:${directive.id}` && ev.type === 'ledger.changed' && (ev.data as any).change === 'acknowledged', 15_000);
    const afterAck = ok(await e.api.get('/api/dashboard')).directives.find((d: any) => d.announcement.id === directive.id);
    expect(afterAck.unacknowledged).toBe(1);
    expect(afterAck.people.map((p: any) => p.id)).not.toContain(b.user.id);

    // b calls the customer: the customer's feed stream tells both; it leaves the head's dashboard and b's workbench.
    expect(ids(ok(await b.api.get('/api/workbench')).customers.items)).toContain(neglectedOne.id);
    ok(await b.api.post(`/api/customers/${neglectedOne.id}/contact-records`, { channel: 'visit', body: textBody('visited') }), 201);
    for (const socket of [head, staff]) await waitForEvent(socket, (ev) => ev.stream === `customer:${neglectedOne.id}` && ev.type === 'feed.item', 15_000);
    expect(ids(ok(await e.api.get('/api/dashboard')).customers.items)).not.toContain(neglectedOne.id);
    await waitFor(async () => !ids(ok(await b.api.get('/api/workbench')).customers.items).includes(neglectedOne.id), { what: 'the customer left the workbench' });
  });
});
