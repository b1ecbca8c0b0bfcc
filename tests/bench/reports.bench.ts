/**
 * `npm run bench:reports`: 5,000 people in 300 departments four levels deep, a year of daily
 * reports on working days (about 1.2 million, some missing, one in ten late), a year of weekly
 * reports, receivers and reads as submission and reading leave them, and three annotations (one on
 * a passage, one with a reply) on one report in ten — seeded with set-based SQL. Times the product's
 * own query functions (SQL, presentation and, for the status views, the calendar work in JavaScript
 * included) beside hand-written SQL that answers the same rows on the same data in the same run:
 * the status of a 500-person subtree for a day and for a month, a department head's first inbox
 * page of 50 with unread markers, and one report with its annotations, replies and read list.
 * The product's month grid reads the submitted reports from report_submission_months (kept by a
 * trigger on reports, filled by the seed); its hand-written SQL reads the reports themselves, so the
 * month's ratio compares a precomputed read with the query over the source tables.
 * BENCH_RUNS changes the number of timed runs (median). With DATABASE_URL it runs on that database,
 * and BENCH_SEEDED=1 takes it as seeded by an earlier run (to study plans without seeding again).
 * BENCH_DATA_DIR=<dir> keeps the embedded cluster in that directory after the run; a later run with
 * the same directory finds the reports there and skips the seeding (~7 minutes on 2 cores). Migrations
 * added since the seeding are applied to the kept data at start, as on any upgraded installation.
 */
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../../server/entities/User.js';
import { reportStatus } from '../../server/queries/reportStatus.js';
import { reportDetail, reportInbox } from '../../server/queries/reports.js';
import { openBenchDatabase, runBenchmark } from './cluster.js';
import { median } from './stats.js';
import { REPORTS_BENCH, seedReports } from './reportsSeed.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const { SUBTREE, HEAD, DAY } = REPORTS_BENCH;

/**
 * Median times of the product's call and of the hand-written SQL, run alternately (after three
 * warm-up runs of each): on a CPU shared with other work the load drifts within seconds, and timing
 * one side's runs all before the other's would put the drift into the ratio.
 */
async function time(ours: () => Promise<unknown>, theirs: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < 3; i++) (await ours(), await theirs());
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    for (const [side, run] of [ours, theirs].entries()) {
      const started = performance.now();
      await run();
      samples[side].push(performance.now() - started);
    }
  }
  return [median(samples[0]), median(samples[1])];
}

// The status rules written out by hand: Monday to Friday are working days (no holidays in the
// bench), daily reports are due 18:00 in Shanghai; a person counts where they are.
const statusSql = `
  WITH RECURSIVE sub(id) AS (SELECT $1::bigint UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id),
  people AS (SELECT u.id, u.display_name FROM users u WHERE u.department_id IN (SELECT id FROM sub) AND u.active),
  days AS (SELECT d::date AS day FROM generate_series($2::date, $3::date, interval '1 day') d),
  submitted AS (
    SELECT r.* FROM people p CROSS JOIN LATERAL (
      SELECT r.id, r.author_id, r.period_start, r.submitted_at, r.deadline_at FROM reports r
      WHERE r.author_id = p.id AND r.kind = 'daily' AND r.period_start BETWEEN $2 AND $3 AND r.status = 'submitted') r
  )
  SELECT p.id::text AS user_id, days.day::text AS day,
         CASE WHEN r.id IS NOT NULL THEN CASE WHEN r.submitted_at > r.deadline_at THEN 'late' ELSE 'submitted' END
              WHEN extract(isodow FROM days.day) > 5 THEN 'not_required'
              WHEN (days.day + time '18:00') AT TIME ZONE 'Asia/Shanghai' < now() THEN 'missing' ELSE 'pending' END AS status,
         r.id::text AS report_id
  FROM people p CROSS JOIN days LEFT JOIN submitted r ON r.author_id = p.id AND r.period_start = days.day
  ORDER BY p.display_name, p.id, days.day`;

// The head's inbox by hand: the submitted reports sent to them, newest first, with the same columns.
const inboxSql = `
  SELECT r.id, r.author_id, au.display_name, au.email, r.department_id, d.name, r.kind, r.period_start, r.period_end, r.status, r.submitted_at, r.deadline_at, r.version, left(r.text, 200), r.updated_at,
         NOT EXISTS (SELECT 1 FROM report_reads x WHERE x.report_id = r.id AND x.user_id = $1) AS unread,
         (SELECT count(*) FROM annotations a WHERE a.report_id = r.id AND a.parent_id IS NULL AND a.deleted_at IS NULL) AS annotations,
         (SELECT count(*) FROM report_reads x WHERE x.report_id = r.id) AS reads
  FROM report_receivers v JOIN reports r ON r.id = v.report_id JOIN users au ON au.id = r.author_id LEFT JOIN departments d ON d.id = r.department_id
  WHERE v.user_id = $1 AND v.submitted_at IS NOT NULL AND r.status = 'submitted' AND r.author_id <> $1
  ORDER BY v.submitted_at DESC, v.report_id DESC LIMIT 51`;

// One report by hand: its row with its annotations (and replies), receivers with their reads, the read list, versions and links.
const reportSql = `
  SELECT r.*, au.display_name, au.email, d.name AS department_name,
    (SELECT json_agg(v.version) FROM report_versions v WHERE v.report_id = r.id) AS versions,
    (SELECT json_agg(json_build_object('entry', e.title, 'customer', c.name)) FROM report_links l JOIN schedule_entries e ON e.id = l.entry_id LEFT JOIN customers c ON c.id = l.customer_id WHERE l.report_id = r.id) AS links,
    (SELECT json_agg(json_build_object('id', a.id, 'parent', a.parent_id, 'author', u.display_name, 'body', a.body, 'text', a.text, 'quote', a.quote, 'mark', a.mark_id, 'at', a.created_at) ORDER BY a.id)
       FROM annotations a JOIN users u ON u.id = a.author_id WHERE a.report_id = r.id) AS annotations,
    (SELECT json_agg(json_build_object('user', ru.display_name, 'role', rr.role, 'read', rd.read_at) ORDER BY rr.position)
       FROM report_receivers rr JOIN users ru ON ru.id = rr.user_id LEFT JOIN report_reads rd ON rd.report_id = rr.report_id AND rd.user_id = rr.user_id WHERE rr.report_id = r.id) AS receivers,
    (SELECT json_agg(json_build_object('user', xu.display_name, 'at', x.read_at) ORDER BY x.read_at) FROM report_reads x JOIN users xu ON xu.id = x.user_id WHERE x.report_id = r.id) AS reads
  FROM reports r JOIN users au ON au.id = r.author_id LEFT JOIN departments d ON d.id = r.department_id
  WHERE r.id = $1 AND (r.author_id = $2 OR EXISTS (SELECT 1 FROM report_receivers v WHERE v.report_id = r.id AND v.user_id = $2))`;

async function main() {
  const { kept, dataDir, databaseUrl, orm, close } = await openBenchDatabase('reports');
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const [{ seeded }] = (await db.query(`SELECT count(*)::int AS seeded FROM reports`)).rows;
    if (process.env.BENCH_SEEDED === '1' || seeded > 0) console.log(`reusing the ${seeded} reports seeded earlier${kept ? ` in ${dataDir}` : ''}`);
    else await seedReports(db);
    const em = orm.em.fork() as EntityManager;
    const head = await em.findOneOrFail(User, HEAD);
    // See schedule.bench.ts: both sides warm up the same way on connections that did not load the data.
    const warmUp = `SELECT length(repeat('x', 4000000))`;
    await em.execute(warmUp);
    await sql.query(warmUp);
    const month = { start: '2025-11-01', end: '2025-11-30' };
    const [{ id: reportId }] = (await sql.query(
      `SELECT r.id::text AS id FROM reports r JOIN report_receivers v ON v.report_id = r.id AND v.user_id = $1 WHERE r.kind = 'daily' AND r.period_start = $2 AND EXISTS (SELECT 1 FROM annotations a WHERE a.report_id = r.id) LIMIT 1`,
      [HEAD, DAY],
    )).rows;

    const statusDay = () => reportStatus(em, { departmentId: SUBTREE, kind: 'daily', view: 'day', date: DAY });
    const statusMonth = () => reportStatus(em, { departmentId: SUBTREE, kind: 'daily', view: 'month', date: DAY });
    const inbox = () => reportInbox(em, head, { limit: 50 });
    const report = () => reportDetail(em, head, reportId);
    // Prepared, as the product prepares its statements: both sides are planned once per connection.
    const statusDaySql = () => sql.query({ name: 'status', text: statusSql, values: [SUBTREE, DAY, DAY] });
    const statusMonthSql = () => sql.query({ name: 'status', text: statusSql, values: [SUBTREE, month.start, month.end] });
    const inboxSqlRun = () => sql.query({ name: 'inbox', text: inboxSql, values: [HEAD] });
    const reportSqlRun = () => sql.query({ name: 'report', text: reportSql, values: [reportId, HEAD] });

    // Both sides must answer the same rows, or the comparison means nothing.
    const cells = (s: Awaited<ReturnType<typeof statusDay>>) => s.people.flatMap((p) => p.cells.map((c, i) => `${p.user.id}|${s.periods[i].start}|${c.status}|${c.reportId ?? ''}`)).sort();
    const sqlCells = (rows: { user_id: string; day: string; status: string; report_id: string | null }[]) => rows.map((r) => `${r.user_id}|${r.day}|${r.status}|${r.report_id ?? ''}`).sort();
    const same = (what: string, product: string[], hand: string[]) => {
      if (product.join() !== hand.join()) throw new Error(`${what}: the product answered ${product.length} rows, the hand-written SQL ${hand.length}, not the same ones`);
    };
    const day = await statusDay();
    same('status of a day', cells(day), sqlCells((await statusDaySql()).rows));
    same('status of a month', cells(await statusMonth()), sqlCells((await statusMonthSql()).rows));
    same('inbox', (await inbox()).items.map((r) => r.id), (await inboxSqlRun()).rows.slice(0, 50).map((r) => String(r.id)));
    const detail = (await report())!;
    const hand = (await reportSqlRun()).rows[0];
    same('report', [detail.id, String(detail.annotations.length + detail.annotations.reduce((n, a) => n + a.replies.length, 0)), String(detail.reads.length)], [String(hand.id), String(hand.annotations.length), String(hand.reads?.length ?? 0)]);

    const results = {
      status_day: await time(statusDay, statusDaySql),
      status_month: await time(statusMonth, statusMonthSql),
      inbox: await time(inbox, inboxSqlRun),
      report: await time(report, reportSqlRun),
    };
    console.log(`subtree of department ${SUBTREE}: ${day.people.length} people`);
    const notes: Record<string, string> = { status_month: ' (ours reads report_submission_months, the hand-written SQL the reports)' };
    for (const [name, [ours, theirs]] of Object.entries(results)) console.log(`${name}: ${ours.toFixed(2)} ms, hand-written SQL ${theirs.toFixed(2)} ms, ratio ${(ours / theirs).toFixed(2)}${notes[name] ?? ''}`);
    const worst = Math.max(...Object.values(results).map(([ours, theirs]) => ours / theirs));
    console.log(
      `RESULT status_day_ms=${results.status_day[0].toFixed(1)} status_month_ms=${results.status_month[0].toFixed(1)} inbox_ms=${results.inbox[0].toFixed(1)} report_ms=${results.report[0].toFixed(1)} worst_ratio_to_sql=${worst.toFixed(2)}`,
    );
  } finally {
    await sql.end();
    await db.end();
    await close();
  }
}

runBenchmark(main);
