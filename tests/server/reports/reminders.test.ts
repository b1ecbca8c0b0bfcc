import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { createTestDatabase } from '../../support/database.js';
import { createDepartment, createUser, rootDepartment } from '../../support/factories.js';
import { buildOrg } from '../../support/org.js';
import { textBody } from '../../support/chat.js';
import { SmtpSink } from '../../support/smtpSink.js';
import { startServerProcess, type RunningServerProcess } from '../../support/process.js';
import { eventually, fastJobsEnv } from '../../support/timing.js';
import { dayFromToday } from '../../support/reports.js';
import { occurrenceJobs } from '../../../server/jobs/queue.js';

const sink = new SmtpSink();
let databaseUrl: string;
let child: RunningServerProcess | undefined;
let a: TestServer | undefined;
let b: TestServer | undefined;
let release = () => {};

// One delivery per claim, so that both processes have e-mails on the wire when one is killed.
const env = () => ({ ...fastJobsEnv, SMTP_URL: sink.url, DELIVERY_BATCH_SIZE: '1', SMTP_POOL_SIZE: '2' });

beforeAll(async () => {
  await sink.start();
  databaseUrl = await createTestDatabase();
});
afterAll(async () => {
  sink.hold = undefined;
  release();
  child?.kill();
  await a?.close();
  await b?.close();
  await sink.stop();
});

/** A local time in the organisation's zone `ms` from now, to the second (a rule's reminder or deadline time). */
function secondsFromNow(ms: number) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + ms));
}
const reminderMails = (email: string, title: string) => sink.to(email).filter((x) => x.parsed.subject?.includes(title));

describe('reminders to submit', () => {
  it('go once to each who owes the report, with two server processes running and one killed (SIGKILL) while sending', { timeout: 90_000 }, async () => {
    child = await startServerProcess({ ...env(), DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    a = await startTestServer(env(), { databaseUrl });
    const admin = new ApiClient(child.url);
    await admin.login(ADMIN.email, ADMIN.password);
    const today = dayFromToday(0);
    ok(await admin.put(`/api/reports/holidays/${today}`, { kind: 'workday', name: 'Working day' }));
    const field = await createDepartment(admin, 'Field', (await rootDepartment(admin)).id);
    const staff = await Promise.all(Array.from({ length: 7 }, () => createUser(admin, field.id, { locale: 'en' })));
    const submitter = await createUser(admin, field.id, { locale: 'en' });
    const draft = ok(await submitter.api.post('/api/reports', { kind: 'daily', date: today }));
    const saved = ok(await submitter.api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody('done'), plan: textBody('plan') } }));
    ok(await submitter.api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));

    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    sink.hold = new Promise<void>((resolve) => (release = resolve));
    let heldCount = 0;
    // Each process sends on at most two connections: a third held message means both are sending.
    sink.heldOnce = () => ++heldCount >= 3 && held();
    const rule = ok(await admin.put('/api/reports/rules', { kind: 'daily', departmentId: field.id, deadlineDay: 0, deadlineTime: '23:59:59', remindRrule: 'FREQ=DAILY', remindTime: secondsFromNow(3000) }));
    expect(rule).toMatchObject({ kind: 'daily', department: { id: field.id }, remindRrule: 'FREQ=DAILY' });

    // Both processes are sending reminder e-mails when the child dies.
    await holding;
    await child.stop('SIGKILL');
    await eventually(() => sink.closedHeldConnections() > 0, { what: 'the SMTP server to see the killed process’s connections close' });
    sink.hold = undefined;
    release();

    const title = `Submit your daily report for ${today}`;
    await eventually(() => staff.every(({ user }) => reminderMails(user.email, title).length >= 1), { timeoutMs: 30_000, what: 'a reminder e-mail to everyone who owes the report' });
    // A second process joins; the same period fires once more (a second occurrence, offered to both): nobody hears twice.
    b = await startTestServer(env(), { databaseUrl });
    const em = a.orm.em.fork();
    const [reminder] = await em.execute<{ id: string }[]>(`SELECT reminder_id::text AS id FROM report_rules WHERE id = ?`, [rule.id]);
    await em.execute(`INSERT INTO reminder_occurrences (reminder_id, due_at, created_at) VALUES (?, now() - interval '10 seconds', now())`, [reminder.id]);
    await Promise.all([a.jobs.sweep(), b.jobs.sweep()]);
    await eventually(async () => (await em.execute(`SELECT 1 FROM reminder_occurrences WHERE reminder_id = ? AND fired_at IS NULL AND due_at < now()`, [reminder.id])).length === 0, { what: 'the second occurrence to fire' });
    await Promise.all([a.jobs.dispatcher.dispatchBatch(), b.jobs.dispatcher.dispatchBatch()]);

    for (const { user } of staff) expect(reminderMails(user.email, title), user.email).toHaveLength(1);
    expect(reminderMails(submitter.user.email, title)).toHaveLength(0);
    const [row] = await em.execute<{ logged: string; notified: string; sent: string }[]>(
      `SELECT (SELECT count(*) FROM report_reminder_log WHERE stage = 'before' AND period_start = ?) AS logged,
              (SELECT count(*) FROM notifications WHERE kind = 'reminder' AND data->>'periodStart' = ?) AS notified,
              (SELECT count(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.kind = 'reminder' AND d.status = 'sent') AS sent`,
      [today, today],
    );
    expect(row).toEqual({ logged: String(staff.length), notified: String(staff.length), sent: String(staff.length) });
    // What the killed process had on the wire was sent again by the other one (a second attempt), and went out once.
    const [{ most }] = await em.execute<{ most: number }[]>(`SELECT max(attempts) AS most FROM deliveries`);
    expect(most).toBeGreaterThanOrEqual(2);
    // The rule's reminders are its editor's, kept by the rule.
    const kept = ok(await (await a.admin()).get('/api/reminders'));
    expect(kept.items.find((r: any) => r.source?.kind === 'report_rule')).toMatchObject({ source: { ruleId: rule.id, reportKind: 'daily', stage: 'before' }, can: { edit: false, delete: false } });
  });

  it('after the deadline: a second reminder to those still missing and to each one’s direct head the names of theirs', async () => {
    const admin = await a!.admin();
    const org = await buildOrg(admin, { locale: 'en' });
    const today = dayFromToday(0);
    const draft = ok(await org.a.api.post('/api/reports', { kind: 'daily', date: today }));
    const saved = ok(await org.a.api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody('done'), plan: textBody('plan') } }));
    ok(await org.a.api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));
    // Due a second ago; the after-deadline run is made due now rather than waited for (its own time is this evening).
    const rule = ok(await org.e.api.put('/api/reports/rules', {
      kind: 'daily', departmentId: org.departments.east.id, deadlineDay: 0, deadlineTime: secondsFromNow(-5000), lateReminder: true, headDigest: true, lateTime: '23:59',
    }));
    const em = a!.orm.em.fork();
    const [{ id: lateReminder }] = await em.execute<{ id: string }[]>(`SELECT late_reminder_id::text AS id FROM report_rules WHERE id = ?`, [rule.id]);
    const [occurrence] = await em.execute<{ id: string }[]>(`INSERT INTO reminder_occurrences (reminder_id, due_at, created_at) VALUES (?, now(), now()) RETURNING id::text AS id`, [lateReminder]);
    await a!.jobs.boss.insert(occurrenceJobs([{ id: occurrence.id, dueAt: new Date() }]));
    const notes = async (who: { api: ApiClient }) => ok(await who.api.get('/api/notifications?limit=50')).items.filter((n: any) => n.data?.periodStart === today);
    await eventually(async () => (await notes(org.m)).length > 0 && (await notes(org.b)).length > 0, { timeoutMs: 20_000, what: 'the missing-report reminders and digests' });
    await Promise.all([a!.jobs.sweep(), b!.jobs.sweep()]);
    const missing = await notes(org.b);
    expect(missing.map((n: any) => [n.kind, n.title])).toEqual([['reminder', `Your daily report for ${today} is missing`]]);
    expect(await notes(org.a)).toEqual([]);
    const head = await notes(org.e);
    expect(head.map((n: any) => n.kind).sort()).toEqual(['reminder', 'report']);
    expect(head.find((n: any) => n.kind === 'report').data.missing).toEqual([org.b.user.displayName]);
    expect((await notes(org.m)).map((n: any) => [n.kind, n.data.missing])).toEqual([['report', [org.e.user.displayName]]]);
  });
});
