import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { Temporal } from 'temporal-polyfill';
import { customerTiers, customerTypes } from '../../../shared/customers.js';
import { defaultPreferences } from '../../../shared/notifications.js';
import { DemoSeedRefused, seedDemo } from '../../../server/db/seedDemo.js';
import { openOrm } from '../../../server/db/orm.js';
import { ensureFirstAdmin } from '../../../server/db/bootstrap.js';
import { startJobQueue } from '../../../server/jobs/queue.js';
import { customerCreator } from '../../../server/commands/customers/customers.js';
import { User } from '../../../server/entities/User.js';
import { CommandRunner } from '../../../server/commands/context.js';
import { RealtimeEmitter } from '../../../server/realtime/emitter.js';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { createTestDatabase } from '../../support/database.js';
import { cleanEnv, repoRoot } from '../../support/process.js';
import { DEMO_PASSWORD, DEMO_USERS, seedDemoInto, tableCounts } from '../../support/demo.js';
import { spawn } from 'node:child_process';
import sharp from 'sharp';

// One "now" for both seeded databases, so that the two stories can be compared.
const now = new Date();
const zone = 'Asia/Shanghai';
const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate();
const dayStart = (offset: number) => new Date(today.add({ days: offset }).toZonedDateTime({ timeZone: zone }).epochMilliseconds);

let server: TestServer;
let seededFrom: Date;
let seededUntil: Date;
let attempts: PromiseSettledResult<unknown>[];

beforeAll(async () => {
  server = await startTestServer();
  seededFrom = new Date();
  // Two seeds started together: one tells the story, the other must refuse without writing anything.
  attempts = await Promise.allSettled([seedDemoInto(server, now), seedDemoInto(server, now)]);
  seededUntil = new Date();
  const told = attempts.find((a) => a.status === 'fulfilled');
  if (!told) throw (attempts[0] as PromiseRejectedResult).reason;
  // The tests look at what the seed wrote: no seeded reminder may fire meanwhile (one can fall due in minutes).
  await server.jobs.stop();
  // The seed took 94 s on a loaded machine before it also rebuilt the search index.
}, 240_000);
afterAll(async () => {
  await server?.close();
});

const signIn = async (email: string) => {
  const api = new ApiClient(server.url);
  await api.login(email, DEMO_PASSWORD);
  return api;
};
const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []) => server.orm.em.fork().execute<T[]>(query, params);
const count = async (query: string, params: unknown[] = []) => Number((await sql<{ n: string }>(query, params))[0].n);

describe('the demo company', () => {
  it('has customers of every type, value tier and prospect class, with contacts, owners, followers and birthdays in the week ahead', async () => {
    const api = await signIn(DEMO_USERS.salesperson.email);
    const customers = ok<{ items: any[] }>(await api.get('/api/customers?limit=100')).items;
    expect(new Set(customers.map((c: any) => c.type))).toEqual(new Set(customerTypes));
    expect(new Set(customers.filter((c: any) => c.tier).map((c: any) => c.tier))).toEqual(new Set(customerTiers));
    expect(new Set(customers.filter((c: any) => c.prospectClass).map((c: any) => c.prospectClass))).toEqual(new Set(['A', 'B', 'C']));
    expect(customers.every((c: any) => c.owners.length > 0)).toBe(true);
    expect(customers.some((c: any) => /[\u4e00-\u9fff]/.test(c.name) && c.name === '华信科技有限公司')).toBe(true);

    const huaxin = ok(await api.get(`/api/customers/${customers.find((c: any) => c.name === '华信科技有限公司').id}`));
    expect(huaxin.contacts.length).toBeGreaterThanOrEqual(2);
    expect(huaxin.contacts.every((c: any) => c.name && c.title && c.phone && c.email)).toBe(true);

    // Birthdays today and in the days ahead, whose owners have care reminders.
    const week = Array.from({ length: 7 }, (_, i) => today.add({ days: i }).toString().slice(5));
    const birthdays = await sql<{ id: string }>(`SELECT id::text AS id FROM contacts WHERE substr(birthday, 6) = ANY(?::text[])`, [`{${week.join(',')}}`]);
    expect(birthdays.length).toBeGreaterThanOrEqual(3);
    expect(await count(`SELECT count(*) AS n FROM care_reminders WHERE contact_id = ANY(?::bigint[])`, [`{${birthdays.map((b) => b.id).join(',')}}`])).toBeGreaterThanOrEqual(birthdays.length);

    const manager = await signIn(DEMO_USERS.manager.email);
    expect(ok<{ items: any[] }>(await manager.get('/api/customers?following=true&limit=100')).items.length).toBeGreaterThan(3);
    // A valuable customer nobody contacted for a month.
    expect(ok<{ items: any[] }>(await api.get('/api/customers/neglected?days=30')).items.map((c) => c.name)).toContain('东盛电气集团华东分公司');
  });

  it('has four weeks of schedules for the sales and service staff: visits, calls, meetings and tasks, plans, recurring entries, results and annotations', async () => {
    const manager = await signIn(DEMO_USERS.manager.email);
    const team = ok<{ data: any[] }>(await manager.get(`/api/schedule/team?from=${dayStart(-14).toISOString()}&to=${dayStart(14).toISOString()}`)).data;
    const owners = new Set(team.map((e) => e.owner.email));
    for (const login of ['chenjing', 'zhaolei', 'sunli']) expect(owners).toContain(`${login}@example.com`);
    expect(new Set(team.map((e) => e.kind))).toEqual(new Set(['visit', 'call', 'meeting', 'task']));
    const past = team.filter((e) => new Date(e.endsAt) < dayStart(0) && !e.allDay && !e.rrule);
    const coming = team.filter((e) => new Date(e.startsAt) >= dayStart(1) && !e.allDay);
    expect(past.filter((e) => e.status === 'done' && e.resultText).length).toBeGreaterThan(20);
    expect(past.some((e) => e.status === 'cancelled')).toBe(true);
    expect(coming.length).toBeGreaterThan(15);
    expect(coming.every((e) => e.status === 'planned')).toBe(true);
    expect(team.filter((e) => e.customer && e.contactIds.length).length).toBeGreaterThan(20);

    // Every service person has entries too (the after-sales manager's superior sees them).
    const serviceHead = await signIn('huangmin@example.com');
    const service = ok<{ data: any[] }>(await serviceHead.get(`/api/schedule/team?from=${dayStart(-14).toISOString()}&to=${dayStart(14).toISOString()}`)).data;
    for (const login of ['xuhui', 'heping', 'guoyan']) expect(service.some((e) => e.owner.email === `${login}@example.com`)).toBe(true);

    expect((await sql<{ p: string }>(`SELECT DISTINCT plan_period AS p FROM schedule_entries WHERE plan_period IS NOT NULL`)).map((r) => r.p).sort()).toEqual(['day', 'month', 'quarter', 'week', 'year']);
    expect(await count(`SELECT count(*) AS n FROM schedule_entries WHERE rrule IS NOT NULL`)).toBeGreaterThanOrEqual(4);
    expect(await count(`SELECT count(*) AS n FROM schedule_entries WHERE master_id IS NOT NULL AND status = 'done'`)).toBeGreaterThanOrEqual(2);
    expect(await count(`SELECT count(*) AS n FROM annotations WHERE parent_id IS NULL`)).toBeGreaterThanOrEqual(10);
    expect(await count(`SELECT count(*) AS n FROM annotations WHERE parent_id IS NOT NULL`)).toBeGreaterThanOrEqual(3);
    // Coming entries keep their reminders.
    expect(await count(`SELECT count(*) AS n FROM entry_reminders`)).toBeGreaterThan(10);
  });

  it('has group and direct conversations with a few hundred messages, mentions, replies and unread ones', async () => {
    expect(await count(`SELECT count(*) AS n FROM messages WHERE kind = 'text'`)).toBeGreaterThanOrEqual(250);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE jsonb_array_length(mentions) > 0`)).toBeGreaterThanOrEqual(10);
    expect(await count(`SELECT count(*) AS n FROM messages WHERE reply_to_id IS NOT NULL`)).toBeGreaterThanOrEqual(10);
    // The company-wide group's owner announced the all-hands meeting to everyone (@所有人): each other member was told once.
    expect(
      await count(
        `SELECT count(*) AS n FROM notifications n JOIN messages m ON m.id = (n.data->>'messageId')::bigint
         WHERE n.kind = 'mention' AND m.body @> '{"root":{"children":[{"children":[{"type":"mention","userId":"all"}]}]}}'`,
      ),
    ).toBe(14);
    const api = await signIn(DEMO_USERS.salesperson.email);
    const conversations = ok<any[]>(await api.get('/api/conversations'));
    expect(conversations.filter((c) => c.kind === 'group').length).toBeGreaterThanOrEqual(3);
    expect(conversations.filter((c) => c.kind === 'direct').length).toBeGreaterThanOrEqual(3);
    expect(conversations.filter((c) => c.unreadCount > 0).length).toBeGreaterThanOrEqual(2);
    expect(conversations.some((c) => c.unreadCount === 0 && c.lastMessage)).toBe(true);
    expect(ok<{ unreadCount: number }>(await api.get('/api/notifications/unread-count')).unreadCount).toBeGreaterThan(0);
  });

  it('has two weeks of daily reports drafted from the schedules, weekly reports, reads, passage annotations with replies, rules and a template', async () => {
    const manager = await signIn(DEMO_USERS.manager.email);
    const inbox = ok<{ items: any[] }>(await manager.get('/api/reports/inbox?limit=100')).items;
    expect(new Set(inbox.map((r) => r.author.email))).toEqual(new Set(['chenjing@example.com', 'zhaolei@example.com', 'sunli@example.com']));
    expect(new Set(inbox.map((r) => r.kind))).toEqual(new Set(['daily', 'weekly']));
    expect(inbox.some((r) => r.late)).toBe(true);
    expect(inbox.some((r) => !r.unread) && inbox.some((r) => r.annotationCount > 0)).toBe(true);
    const annotated = ok(await manager.get(`/api/reports/${inbox.find((r) => r.annotationCount > 0 && r.kind === 'daily').id}`));
    expect(annotated.links.length + annotated.reads.length).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM annotations WHERE report_id IS NOT NULL AND mark_id IS NOT NULL`)).toBeGreaterThanOrEqual(5);
    expect(await count(`SELECT count(*) AS n FROM annotations WHERE report_id IS NOT NULL AND parent_id IS NOT NULL`)).toBeGreaterThanOrEqual(2);
    expect(await count(`SELECT count(*) AS n FROM reports WHERE status = 'submitted' AND kind = 'daily'`)).toBeGreaterThan(60);
    // The department status shows who wrote; after-sales write in their own template.
    const status = ok(await manager.get(`/api/reports/status?kind=daily&view=week&date=${today.add({ days: -7 }).toString()}`));
    expect(status.people.length).toBeGreaterThanOrEqual(4);
    expect(status.totals.submitted + status.totals.late).toBeGreaterThan(5);
    expect(await count(`SELECT count(*) AS n FROM reports r JOIN report_templates t ON t.id = r.template_id WHERE t.name = '售后服务日报'`)).toBeGreaterThan(5);
    expect(await count(`SELECT count(*) AS n FROM report_rules WHERE reminder_id IS NOT NULL`)).toBe(2);
  });

  it('has one-off and recurring reminders with fired history, and every pending occurrence has its pg-boss job', async () => {
    expect(await count(`SELECT count(*) AS n FROM reminders r WHERE rrule IS NULL AND NOT EXISTS (SELECT 1 FROM entry_reminders e WHERE e.reminder_id = r.id)`)).toBeGreaterThanOrEqual(3);
    expect(await count(`SELECT count(*) AS n FROM reminders r WHERE rrule IS NOT NULL AND NOT EXISTS (SELECT 1 FROM care_reminders c WHERE c.reminder_id = r.id)`)).toBeGreaterThanOrEqual(6);
    expect(await count(`SELECT count(*) AS n FROM reminders WHERE status = 'paused'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM reminder_occurrences o WHERE fired_at IS NOT NULL AND EXISTS (SELECT 1 FROM notifications n WHERE n.data->>'occurrenceId' = o.id::text)`)).toBeGreaterThanOrEqual(10);
    expect(await count(`SELECT count(*) AS n FROM reminder_occurrences o WHERE fired_at IS NULL AND NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.data->>'occurrenceId' = o.id::text)`)).toBe(0);
    // Some are due later today: the seed picks one-offs at slots up to 21:30 that are at least half an hour away.
    const due = await count(`SELECT count(*) AS n FROM reminders WHERE next_due_at >= ? AND next_due_at < ?`, [now, dayStart(1)]);
    const hoursLeft = (dayStart(1).getTime() - now.getTime()) / 3600_000;
    expect(due).toBeGreaterThanOrEqual(hoursLeft > 5 ? 2 : hoursLeft > 3 ? 1 : 0);
    // Birthdays in the days ahead have their care reminders coming up.
    expect(await count(`SELECT count(*) AS n FROM reminders r JOIN care_reminders c ON c.reminder_id = r.id WHERE r.next_due_at < ?`, [dayStart(6)])).toBeGreaterThanOrEqual(3);
    const api = await signIn(DEMO_USERS.salesperson.email);
    expect(ok<any>(await api.get('/api/reminders')).items.length).toBeGreaterThanOrEqual(3);
  });

  it('shows it all in the customer feeds: entries, results, contact records, comments, annotations, tier changes, reports, threads that mention the customer and files', async () => {
    expect((await sql<{ kind: string }>(`SELECT DISTINCT kind FROM feed_items ORDER BY kind`)).map((r) => r.kind)).toEqual(['annotation', 'comment', 'contact_record', 'entry', 'files', 'report', 'result', 'thread', 'tier_change']);
    const api = await signIn(DEMO_USERS.salesperson.email);
    const [huaxin] = ok<{ items: any[] }>(await api.get(`/api/customers?q=${encodeURIComponent('华信')}`)).items;
    const feed = ok<{ items: any[] }>(await api.get(`/api/customers/${huaxin.id}/feed?limit=100`)).items;
    expect(new Set(feed.map((i: any) => i.kind)).size).toBeGreaterThanOrEqual(4);
    const times = feed.map((i: any) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const teamFeed = ok<{ items: any[] }>(await api.get('/api/customers/team-feed?valuableFirst=true')).items;
    expect(teamFeed[0].tier).toBe('platinum');
  });

  it('has files: a contract photo in a group chat (its GPS position stripped), a customer’s tender documents and price sheet, a policy PDF on its announcement', async () => {
    const api = await signIn(DEMO_USERS.salesperson.email);
    expect((await sql<{ host_kind: string; n: number }>(`SELECT host_kind, count(*)::int AS n FROM attachments GROUP BY host_kind ORDER BY host_kind`))).toEqual([
      { host_kind: 'announcement', n: 1 },
      { host_kind: 'customer', n: 2 },
      { host_kind: 'message', n: 1 },
    ]);
    const [{ message_id }] = await sql<{ message_id: string }>(`SELECT host_id::text AS message_id FROM attachments WHERE host_kind = 'message'`);
    const [{ conversation_id }] = await sql<{ conversation_id: string }>(`SELECT conversation_id::text AS conversation_id FROM messages WHERE id = ?`, [message_id]);
    const history = ok<{ items: any[] }>(await api.get(`/api/conversations/${conversation_id}/messages?limit=100`)).items;
    const photo = history.find((m: any) => m.id === message_id).attachments[0];
    expect(photo).toMatchObject({ name: '华信合同盖章页.jpg', mime: 'image/jpeg', width: 1000, height: 1300 });
    const image = await fetch(server.url + photo.url, { headers: { authorization: `Bearer ${api.token}` } });
    expect(image.status).toBe(200);
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).exif).toBeUndefined();
    const [huaxin] = ok<{ items: any[] }>(await api.get(`/api/customers?q=${encodeURIComponent('华信')}`)).items;
    const files = ok<{ items: any[] }>(await api.get(`/api/attachments/customer/${huaxin.id}`)).items;
    expect(files.map((f: any) => [f.name, f.mime])).toEqual([['华信科技-招标文件.pdf', 'application/pdf'], ['报价单.csv', 'text/csv']]);
  });

  it('has announcements: a pinned policy revised to be acknowledged again, notices, an urgent directive whose ladder fired in the story, and one scheduled', async () => {
    const sunli = await signIn('sunli@example.com');
    const feed = ok<any>(await sunli.get('/api/announcements'));
    expect(feed.pinned.map((a: any) => a.title)).toEqual(['差旅费报销制度']);
    expect(feed.items.map((a: any) => a.title)).toEqual(expect.arrayContaining(['本周五前完成重点客户回访登记', '元旦放假安排', '华东区客户拜访路线调整', '差旅费报销制度']));
    // sunli acknowledged the first version of the policy, not the second; the urgent directive waits in her banner.
    const policy = feed.pinned[0];
    expect(ok<any>(await sunli.get(`/api/announcements/${policy.id}`))).toMatchObject({ version: 2, ackVersion: 2, receipt: { acknowledgedVersion: 1, mustAcknowledge: true } });
    expect(ok<any>(await sunli.get('/api/announcements/attention')).urgent.map((a: any) => a.title)).toEqual(['本周五前完成重点客户回访登记']);
    const versions = ok<any[]>(await sunli.get(`/api/announcements/${policy.id}/versions`));
    expect(versions[0].changes.filter((c: any) => c.change === 'added').map((c: any) => c.value).join('')).toContain('550');

    // The publisher of the directive sees its ledger: acknowledged by three of seven so far; its ladder is still ahead.
    const liuyang = await signIn('liuyang@example.com');
    const directive = ok<any>(await liuyang.get('/api/announcements?box=sent')).items.find((a: any) => a.title === '本周五前完成重点客户回访登记');
    const ledger = ok<any>(await liuyang.get(`/api/announcements/${directive.id}/ledger`));
    expect(ledger).toMatchObject({ total: 7, acknowledged: 3, read: 1, unread: 3, scope: 'all', channels: { email: { logged: 7 }, sms: { failed: 7 } } });
    expect(ledger.departments.map((d: any) => d.name).sort()).toEqual(['华东销售部', '华南销售部'].sort());
    const rows = ok<any>(await liuyang.get(`/api/announcements/${directive.id}/ledger/rows?state=acknowledged`)).items;
    expect(rows.map((r: any) => r.reply).filter(Boolean).sort()).toEqual(['华东已安排', '收到，周四前完成'].sort());
    expect(await count(`SELECT count(*) AS n FROM announcement_escalations WHERE announcement_id = ? AND fired_at IS NULL AND due_at > ?`, [directive.id, now])).toBe(6);
    // Every ladder step and the scheduled training notice have their pg-boss job.
    expect(await count(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'announcement-due' AND data->>'task' = 'escalate'`)).toBe(6);
    expect(await count(`SELECT count(*) AS n FROM announcements WHERE status = 'scheduled' AND publish_at > ?`, [now])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'announcement-due' AND data->>'task' = 'publish'`)).toBe(1);
  });

  it('has boards of every openness with threads, replies, quotes, reactions, moderation, anonymity, customer links and unread markers', async () => {
    const api = await signIn(DEMO_USERS.salesperson.email);
    const index = ok<any[]>(await api.get('/api/boards'));
    expect(new Set(index.map((b) => b.openness))).toEqual(new Set(['open', 'semi_open', 'closed']));
    expect(index.some((b) => b.readOnly)).toBe(true);
    expect(index.some((b) => b.unread.unreadThreads + b.unread.newThreads > 0)).toBe(true);
    const byName = (name: string) => index.find((b) => b.name === name);
    const general = ok<{ items: any[] }>(await api.get(`/api/boards/${byName('综合讨论').id}/threads`)).items;
    expect(general.length).toBeGreaterThanOrEqual(3);
    expect(general.some((t) => t.unread.isNew || t.unread.newReplies > 0)).toBe(true);
    // The suggestion box: a salesperson who posted nothing sees nothing; a viewer sees every suggestion, anonymous ones as 匿名.
    expect(ok<{ items: any[] }>(await api.get(`/api/boards/${byName('意见箱').id}/threads`)).items).toEqual([]);
    const viewer = await signIn('huangmin@example.com');
    const suggestions = ok<{ items: any[] }>(await viewer.get(`/api/boards/${byName('意见箱').id}/threads`)).items;
    expect(suggestions.length).toBe(3);
    expect(suggestions.filter((t) => t.anonymous && t.author === null).length).toBe(2);
    // The sales centre's closed board is not the after-sales head's.
    expect((await viewer.get(`/api/boards/${byName('销售中心内部').id}`)).status).toBe(404);
    const [huaxin] = ok<{ items: any[] }>(await api.get(`/api/customers?q=${encodeURIComponent('华信')}`)).items;
    expect(ok<{ items: any[] }>(await api.get(`/api/customers/${huaxin.id}/feed?limit=100`)).items.some((i) => i.kind === 'thread')).toBe(true);
    expect(ok<{ items: any[] }>(await viewer.get(`/api/customers/${huaxin.id}/feed?limit=100`)).items.some((i) => i.kind === 'thread')).toBe(false);
    expect(await count(`SELECT count(*) AS n FROM board_replies WHERE quote_id IS NOT NULL`)).toBeGreaterThanOrEqual(4);
    expect(await count(`SELECT count(*) AS n FROM board_replies WHERE hidden_at IS NOT NULL`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM board_reactions`)).toBeGreaterThanOrEqual(8);
    expect(await count(`SELECT count(*) AS n FROM board_threads WHERE pinned`)).toBeGreaterThanOrEqual(2);
    expect(await count(`SELECT count(*) AS n FROM notifications WHERE kind IN ('board_reply', 'board_quote', 'board_moderation')`)).toBeGreaterThan(5);
  });

  it('opens to a populated workbench for the salesperson and her manager, and the manager’s dashboard', async () => {
    // Blocks with something in them (the days of the week differ: a weekend has fewer entries).
    const filled = (wb: any) =>
      [wb.entries.today.length + wb.entries.tomorrow.length, wb.chat.conversations.length + wb.chat.mentions.length, wb.reminders.due.length + wb.reminders.upcoming.length,
        wb.reports.periods.length, wb.announcements.items.length, wb.customers.items.length, wb.threads.length].filter((n) => n > 0).length;
    const sales = ok<any>(await (await signIn(DEMO_USERS.salesperson.email)).get('/api/workbench'));
    const manager = await signIn(DEMO_USERS.manager.email);
    const mine = ok<any>(await manager.get('/api/workbench'));
    expect(filled(sales)).toBeGreaterThanOrEqual(4);
    expect(filled(mine)).toBeGreaterThanOrEqual(4);
    expect(sales.reports.periods.map((p: any) => p.kind)).toContain('weekly');
    // She watches 综合讨论, and one of her customers has gone without contact for over a month.
    expect(mine.threads.length).toBeGreaterThan(0);
    expect(mine.customers.items.length).toBeGreaterThan(0);
    const board = ok<any>(await manager.get('/api/dashboard'));
    expect(board.reports.people.map((p: any) => p.user.displayName)).toContain(DEMO_USERS.salesperson.name);
    expect(board.directives.length).toBeGreaterThan(0);
    expect(board.customers.items.length).toBeGreaterThan(0);
    expect(board.load.reduce((n: number, l: any) => n + l.planned, 0)).toBeGreaterThan(0);
    expect((await (await signIn(DEMO_USERS.salesperson.email)).get('/api/dashboard')).status).toBe(404);
  });

  it('dates everything in the story: no row or pushed event carries the time the seed ran', async () => {
    const columns = await sql<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type = 'timestamp with time zone'
       AND column_name NOT IN ('starts_at', 'ends_at', 'original_start', 'series_ends_at', 'due_at', 'next_due_at', 'expires_at', 'claimed_until')`,
    );
    for (const { table_name, column_name } of columns) {
      // Sessions are today's sign-ins of this test, not the story.
      if (table_name === 'sessions') continue;
      const n = await count(`SELECT count(*) AS n FROM "${table_name}" WHERE "${column_name}" BETWEEN ? AND ?`, [seededFrom, seededUntil]);
      expect(n, `${table_name}.${column_name}`).toBe(0);
    }
    const mismatched = await count(
      `SELECT count(*) AS n FROM stream_events e
       LEFT JOIN feed_items f ON e.type = 'feed.item' AND f.id = (e.payload->'item'->>'id')::bigint
       LEFT JOIN notifications n ON e.type = 'notification.created' AND n.id = (e.payload->'notification'->>'id')::bigint
       LEFT JOIN messages m ON e.type = 'message.created' AND m.id = (e.payload->'message'->>'id')::bigint
       WHERE (e.payload->'item'->>'createdAt')::timestamptz IS DISTINCT FROM date_trunc('milliseconds', f.created_at) AND f.id IS NOT NULL
          OR (e.payload->'notification'->>'createdAt')::timestamptz IS DISTINCT FROM date_trunc('milliseconds', n.created_at) AND n.id IS NOT NULL
          OR (e.payload->'message'->>'createdAt')::timestamptz IS DISTINCT FROM date_trunc('milliseconds', m.created_at) AND m.id IS NOT NULL`,
    );
    expect(mismatched).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM feed_items WHERE created_at > ?`, [now])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM feed_items WHERE created_at < ?`, [dayStart(-15)])).toBeGreaterThan(0);
  });

  it('keeps delivery logs of its notifications, none left to send: e-mail logged, SMS failed for want of a number; history is read, the latest are not', async () => {
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE channel = 'email' AND status = 'logged'`)).toBeGreaterThan(50);
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE channel = 'sms' AND status = 'failed' AND last_error = 'The recipient has no mobile number'`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE NOT (channel = 'email' AND status = 'logged' OR channel = 'sms' AND status = 'failed')`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM users WHERE mobile IS NOT NULL`)).toBe(0);
    // Every notification has its delivery log, except those of kinds that send neither e-mail nor SMS by default (watched threads' replies).
    const silent = Object.entries(defaultPreferences).filter(([, p]) => !p.email && !p.sms).map(([kind]) => kind);
    expect(await count(`SELECT count(*) AS n FROM notifications n WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.notification_id = n.id) AND NOT kind = ANY(?::text[])`, [`{${silent.join(',')}}`])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM notifications WHERE read_at IS NOT NULL`)).toBeGreaterThan(50);
    expect(await count(`SELECT count(*) AS n FROM notifications WHERE read_at IS NULL`)).toBeGreaterThan(3);
    expect(await count(`SELECT count(*) AS n FROM notifications WHERE read_at IS NULL AND created_at < ?`, [dayStart(-4)])).toBe(0);
    const admin = await server.admin();
    expect(ok<{ items: any[] }>(await admin.get('/api/admin/outbox')).items.length).toBeGreaterThan(10);
  });
});

describe('seeding a database that holds data', () => {
  it('refuses a second time, through the function and the command, and changes nothing', async () => {
    const em = server.orm.em.fork();
    const before = await tableCounts(em);
    const second = seedDemoInto(server, now);
    await expect(second).rejects.toBeInstanceOf(DemoSeedRefused);
    await expect(second).rejects.toThrow(/already holds data.*Nothing was changed/);

    const cli = await runSeedCli(server.databaseUrl);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/already holds data \(16 users, 7 departments, 31 customers, 19 conversations/);
    expect(await tableCounts(em)).toEqual(before);
  }, 60_000);

  it('refuses a database with nothing but a customer of the administrator', async () => {
    const url = await createTestDatabase();
    const orm = await openOrm(url);
    const boss = await startJobQueue(url, pino({ level: 'silent' }));
    try {
      await ensureFirstAdmin(orm.em.fork(), { email: ADMIN.email, password: ADMIN.password });
      const em = orm.em.fork();
      const admin = await em.findOneOrFail(User, { email: ADMIN.email });
      const runner = new CommandRunner({ emitter: new RealtimeEmitter(), boss: () => boss, settings: { fanOutChunkSize: 500 } });
      await runner.run(em, admin, (cx) => customerCreator(cx, { name: '某客户', type: 'end_customer', tier: 'gold', prospectClass: null, address: '', notes: '', contacts: [] }));
      const before = await tableCounts(orm.em.fork());
      await expect(seedDemo({ orm, boss, files: server.files })).rejects.toThrow(/already holds data \(1 customers\)/);
      expect(await tableCounts(orm.em.fork())).toEqual(before);
    } finally {
      await boss.stop({ graceful: false, wait: true });
      await orm.close();
    }
  });
});

describe('two seeds started together', () => {
  it('one tells the story, the other refuses (and the counts above show it wrote nothing)', () => {
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0].reason).toBeInstanceOf(DemoSeedRefused);
  });
});

/** Runs `npm run seed:demo`'s script against a database and returns its exit code and output. */
function runSeedCli(databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './server/compat/node20.mjs', 'server/db/seedDemoCli.ts'], {
      cwd: repoRoot, env: cleanEnv({ DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
