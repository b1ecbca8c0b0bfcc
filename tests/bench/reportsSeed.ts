/**
 * The data of `npm run bench:reports`, shared with `npm run bench:dashboard`: 5,000 people in 300
 * departments four levels deep, a year (2025) of daily reports on working days (about 1.2 million,
 * some missing, one in ten late), weekly reports, receivers, reads and annotations, inserted with
 * set-based SQL (triggers off, as pg_restore does: report_submission_months is filled at the end).
 */
import pg from 'pg';
import { reportSubmissionMonthsFill } from '../../migrations/Migration20261206151508_report_submission_months.js';

/**
 * Sizes and the people the benchmarks look at. Department ids: 1 the company; 2–11 divisions;
 * 12–51 regions (four per division); 52–300 teams (round-robin over the regions). User i (i ≤ 300)
 * manages department i and belongs to it; everyone else is in a team.
 */
export const REPORTS_BENCH = {
  USERS: 5000,
  DEPARTMENTS: 300,
  /** A division of about 500 people. */
  SUBTREE: '2',
  /** Its head. */
  HEAD: '2',
  /** The day the benchmarks look at (a Wednesday). */
  DAY: '2025-11-12',
} as const;
const { USERS, DEPARTMENTS } = REPORTS_BENCH;

/** The "done" section of an unannotated daily report (the same for all: the bench is about rows, not texts). */
const plainDone = JSON.stringify({ root: { type: 'root', version: 1, direction: null, format: '', indent: 0, children: [{ type: 'paragraph', version: 1, direction: null, format: '', indent: 0, textFormat: 0, textStyle: '', children: [{ type: 'text', version: 1, text: 'Visited customers and recorded results', format: 0, detail: 0, mode: 'normal', style: '' }] }] } });
/** The "done" section of an annotated one, with the passage mark `__MARK__` (replaced per report). */
const markedDone = JSON.stringify({ root: { type: 'root', version: 1, direction: null, format: '', indent: 0, children: [{ type: 'paragraph', version: 1, direction: null, format: '', indent: 0, textFormat: 0, textStyle: '', children: [
  { type: 'text', version: 1, text: 'Visited three customers; ', format: 0, detail: 0, mode: 'normal', style: '' },
  { type: 'mark', version: 1, direction: null, format: '', indent: 0, ids: ['__MARK__'], children: [{ type: 'text', version: 1, text: 'signed the framework contract', format: 0, detail: 0, mode: 'normal', style: '' }] },
] }] } });

/** Seeds the reports benchmark's organisation and its year of reports (see the constants above) into an empty, migrated database. */
export async function seedReports(db: pg.Client) {
  const started = Date.now();
  // A bulk load of rows consistent by construction: foreign-key triggers (a lookup per row, most of
  // the load's time) are skipped for this session, as pg_restore does.
  await db.query(`SET session_replication_role = replica`);
  await db.query(`INSERT INTO departments (id, name, parent_id, created_at) VALUES (1, '汇通', NULL, now())`);
  await db.query(`INSERT INTO departments (id, name, parent_id, created_at) SELECT d, '事业部 ' || d, 1, now() FROM generate_series(2, 11) d`);
  await db.query(`INSERT INTO departments (id, name, parent_id, created_at) SELECT d, '大区 ' || d, 2 + (d - 12) / 4, now() FROM generate_series(12, 51) d`);
  await db.query(`INSERT INTO departments (id, name, parent_id, created_at) SELECT d, '小组 ' || d, 12 + (d - 52) % 40, now() FROM generate_series(52, $1) d`, [DEPARTMENTS]);
  await db.query(`SELECT setval('departments_id_seq', $1)`, [DEPARTMENTS]);
  // User i (i ≤ 300) manages department i and belongs to it; everyone else is in a team.
  await db.query(
    `INSERT INTO users (id, email, display_name, password_hash, department_id, department_since, created_at, updated_at)
     SELECT u, 'user' || u || '@bench.test', '员工' || u, 'x', CASE WHEN u <= $2 THEN u ELSE 52 + (u - $2 - 1) % ($2 - 51) END, '2024-01-01', now(), now()
     FROM generate_series(1, $1) u`,
    [USERS, DEPARTMENTS],
  );
  await db.query(`SELECT setval('users_id_seq', $1)`, [USERS]);
  await db.query(`INSERT INTO department_managers (department_id, user_id) SELECT d, d FROM generate_series(1, $1) d`, [DEPARTMENTS]);
  // Everyone's superiors with their level (0 the direct head), as submission records them.
  await db.query(`CREATE TEMP TABLE superiors AS
    WITH RECURSIVE chain(user_id, department_id, level) AS (
      SELECT u.id, u.department_id, 0 FROM users u
      UNION ALL
      SELECT c.user_id, d.parent_id, c.level + 1 FROM chain c JOIN departments d ON d.id = c.department_id WHERE d.parent_id IS NOT NULL
    )
    SELECT c.user_id, dm.user_id AS superior_id, min(c.level) AS level FROM chain c JOIN department_managers dm ON dm.department_id = c.department_id
    WHERE dm.user_id <> c.user_id GROUP BY c.user_id, dm.user_id`);
  await db.query(`CREATE INDEX ON superiors (user_id)`);
  const [{ sections }] = (await db.query(`SELECT sections FROM report_templates WHERE built_in AND kinds @> '["daily"]'`)).rows;
  // Daily reports on working days of 2025: about 8 % missing, one in ten submitted three hours after the 18:00 deadline.
  await db.query(
    `INSERT INTO reports (author_id, kind, period_start, period_end, template_id, sections, content, text, status, revision, version, department_id, deadline_at, submitted_at, first_read_at, created_at, updated_at)
     SELECT u.id, 'daily', d::date, d::date, NULL, $1::jsonb,
            CASE WHEN (u.id + extract(doy FROM d)::int) % 10 = 0 THEN jsonb_build_object('done', replace($2::text, '__MARK__', 'm' || u.id || '-' || d::date)::jsonb) ELSE $3::jsonb END,
            'Done today: visited customers and recorded results', 'submitted', 1, 1, u.department_id,
            (d::date + time '18:00') AT TIME ZONE 'Asia/Shanghai',
            (d::date + time '17:00' + CASE WHEN (u.id * 7 + extract(doy FROM d)::int) % 10 = 0 THEN interval '4 hours' ELSE interval '0' END) AT TIME ZONE 'Asia/Shanghai',
            -- The direct head reads four reports in five, two hours after they come in (report_reads below).
            CASE WHEN (u.id + extract(doy FROM d)::int * 3) % 5 <> 0 THEN (d::date + time '19:00' + CASE WHEN (u.id * 7 + extract(doy FROM d)::int) % 10 = 0 THEN interval '4 hours' ELSE interval '0' END) AT TIME ZONE 'Asia/Shanghai' END,
            now(), now()
     FROM users u CROSS JOIN generate_series(date '2025-01-01', date '2025-12-31', interval '1 day') d
     WHERE extract(isodow FROM d) < 6 AND (u.id * 7919 + extract(doy FROM d)::int * 31) % 100 >= 8`,
    [JSON.stringify(sections), markedDone, JSON.stringify({ done: JSON.parse(plainDone) })],
  );
  await db.query(
    `INSERT INTO reports (author_id, kind, period_start, period_end, sections, content, text, status, department_id, deadline_at, submitted_at, created_at, updated_at)
     SELECT u.id, 'weekly', w::date, w::date + 6, $1::jsonb, '{}', 'Done this week', 'submitted', u.department_id,
            (w::date + 4 + time '18:00') AT TIME ZONE 'Asia/Shanghai', (w::date + 4 + time '16:00') AT TIME ZONE 'Asia/Shanghai', now(), now()
     FROM users u CROSS JOIN generate_series(date '2024-12-30', date '2025-12-22', interval '7 days') w`,
    [JSON.stringify(sections)],
  );
  await db.query(`INSERT INTO report_receivers (report_id, user_id, role, position, submitted_at) SELECT r.id, s.superior_id, 'superior', s.level, r.submitted_at FROM reports r JOIN superiors s ON s.user_id = r.author_id`);
  await db.query(
    `INSERT INTO report_reads (report_id, user_id, read_at)
     SELECT r.id, s.superior_id, r.first_read_at FROM reports r JOIN superiors s ON s.user_id = r.author_id AND s.level = (SELECT min(level) FROM superiors x WHERE x.user_id = r.author_id)
     WHERE r.first_read_at IS NOT NULL`,
  );
  // Three annotations by the direct head on one daily report in ten (the marked ones): on the passage, on the whole, and one the author answers.
  await db.query(
    `INSERT INTO annotations (report_id, author_id, body, text, section_key, mark_id, quote, created_at)
     SELECT r.id, h.superior_id, replace($1::text, 'Visited customers and recorded results', 'Remark ' || n)::jsonb, 'Remark ' || n,
            CASE WHEN n = 1 THEN 'done' END, CASE WHEN n = 1 THEN 'm' || r.author_id || '-' || r.period_start END, CASE WHEN n = 1 THEN 'signed the framework contract' END,
            r.submitted_at + n * interval '1 hour'
     FROM reports r JOIN LATERAL (SELECT superior_id FROM superiors s WHERE s.user_id = r.author_id ORDER BY level LIMIT 1) h ON true
     CROSS JOIN generate_series(1, 3) n
     WHERE r.kind = 'daily' AND (r.author_id + extract(doy FROM r.period_start)::int) % 10 = 0`,
    [plainDone],
  );
  await db.query(
    `INSERT INTO annotations (report_id, parent_id, author_id, body, text, created_at)
     SELECT a.report_id, a.id, r.author_id, a.body, 'Thanks, will do', a.created_at + interval '30 minutes'
     FROM annotations a JOIN reports r ON r.id = a.report_id WHERE a.section_key IS NULL AND a.text = 'Remark 3'`,
  );
  // The trigger that keeps the status views' report_submission_months did not fire either.
  await db.query(reportSubmissionMonthsFill);
  await db.query(`RESET session_replication_role`);
  await db.query('VACUUM (ANALYZE)');
  await db.query('CHECKPOINT');
  const counts = (await db.query(`SELECT (SELECT count(*) FROM reports WHERE kind = 'daily')::int AS daily, (SELECT count(*) FROM reports WHERE kind = 'weekly')::int AS weekly,
    (SELECT count(*) FROM report_receivers)::int AS receivers, (SELECT count(*) FROM report_reads)::int AS reads, (SELECT count(*) FROM annotations)::int AS annotations`)).rows[0];
  console.log(`seeded ${counts.daily} daily and ${counts.weekly} weekly reports, ${counts.receivers} receivers, ${counts.reads} reads, ${counts.annotations} annotations and replies, ${USERS} users in ${DEPARTMENTS} departments in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

