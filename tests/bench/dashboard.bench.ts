/**
 * `npm run bench:dashboard`: the reports benchmark's data (5,000 people in 300 departments, a year of
 * daily and weekly reports) plus the schedule benchmark's 50,000 customers and 1,000,000 entries, and
 * three directives to everyone that a third have not acknowledged. Times the product's own functions
 * — the workbench of a staff member and the dashboard of the head of a 500-person subtree, every
 * block with its SQL, presentation and calendar work — beside hand-written SQL answering the same
 * numbers on the same data in the same run, its statements run together on a pool of the same size
 * as the product's. BENCH_RUNS changes the number of timed runs (median); BENCH_ENTRIES and
 * BENCH_CUSTOMERS the schedule's sizes. The seeding takes many minutes: BENCH_DATA_DIR=<dir> keeps the
 * embedded cluster there, and a later run with the same directory finds it seeded and re-measures in a
 * minute or two. With DATABASE_URL it runs on that database, and BENCH_SEEDED=1 takes it as seeded by
 * an earlier run. BENCH_EACH=1 also times each hand-written statement alone. Ends with `RESULT workbench_ms=… dashboard_ms=… worst_ratio_to_sql=…`.
 */
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../../server/entities/User.js';
import { workbench } from '../../server/queries/workbench.js';
import { dashboard } from '../../server/queries/workbenchDashboard.js';
import { openBenchDatabase, runBenchmark } from './cluster.js';
import { medianTime } from './stats.js';
import { REPORTS_BENCH, seedReports } from './reportsSeed.js';
import { seedCustomersAndEntries } from './scheduleSeed.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);
const { USERS, SUBTREE, HEAD } = REPORTS_BENCH;
/** A member of a team inside the subtree (department 253, under region 13 of division 2). */
const STAFF = '1000';
/** Wednesday 12 November 2025, 16:00 in Shanghai: the reports' year is 2025. */
const NOW = new Date('2025-11-12T08:00:00Z');
const POOL = 10;

const time = (run: () => Promise<unknown>) => medianTime(run, RUNS, 3);

async function seedDirectives(db: pg.Client) {
  await db.query(
    `INSERT INTO announcements (publisher_id, title, body, body_text, category, priority, requires_ack, scope, status, published_at, version, ack_version, recipient_count, created_at, updated_at)
     SELECT 1, '安全指令 ' || n, '{}', '请确认', 'directive', CASE WHEN n = 1 THEN 'urgent' ELSE 'normal' END, true, '{"everyone": true, "departmentIds": [], "userIds": []}', 'published',
            $1::timestamptz - n * interval '1 day', 1, 1, $2, $1::timestamptz, $1::timestamptz
     FROM generate_series(1, 3) n`,
    [NOW, USERS],
  );
  await db.query(
    `INSERT INTO announcement_recipients (announcement_id, user_id, via, received_at, first_read_at, acknowledged_at, acknowledged_version)
     SELECT a.id, u.id, 'publish', a.published_at, CASE WHEN u.id % 3 <> 0 THEN a.published_at + interval '1 hour' END,
            CASE WHEN u.id % 3 <> 0 THEN a.published_at + interval '1 hour' END, CASE WHEN u.id % 3 <> 0 THEN 1 END
     FROM announcements a CROSS JOIN users u`,
  );
}

// The subtree of the dashboard and the instants of its week (Monday 10 to Sunday 16 November in Shanghai).
const subtree = `WITH RECURSIVE sub(id) AS (SELECT $1::bigint UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id) SELECT id FROM sub`;

/** The dashboard's numbers by hand, as statements run together. */
const dashboardSql = {
  // Daily reports of the last four weeks, per person and status (weekdays only, no holidays in the bench, 18:00 Shanghai deadlines).
  reports: `
    WITH people AS (SELECT u.id FROM users u WHERE u.department_id IN (${subtree}) AND u.active),
    days AS (SELECT d::date AS day FROM generate_series($2::date, $3::date, interval '1 day') d),
    submitted AS (
      SELECT r.* FROM people p CROSS JOIN LATERAL (
        SELECT r.id, r.author_id, r.period_start, r.submitted_at, r.deadline_at FROM reports r
        WHERE r.author_id = p.id AND r.kind = 'daily' AND r.period_start BETWEEN $2 AND $3 AND r.status = 'submitted') r),
    cells AS (
      SELECT p.id, days.day,
        CASE WHEN r.id IS NOT NULL THEN CASE WHEN r.submitted_at > r.deadline_at THEN 'late' ELSE 'submitted' END
             WHEN extract(isodow FROM days.day) > 5 OR (days.day)::timestamp AT TIME ZONE 'Asia/Shanghai' > $4 THEN 'not_required'
             WHEN (days.day + time '18:00') AT TIME ZONE 'Asia/Shanghai' < $4 THEN 'missing' ELSE 'pending' END AS status
      FROM people p CROSS JOIN days LEFT JOIN submitted r ON r.author_id = p.id AND r.period_start = days.day)
    SELECT date_trunc('week', day)::date::text AS week, status, count(*)::int AS n, count(DISTINCT id) FILTER (WHERE status = 'missing')::int AS people FROM cells GROUP BY 1, 2`,
  directives: `
    SELECT a.id, a.title, count(*)::int AS total, count(*) FILTER (WHERE r.acknowledged_version IS NULL OR r.acknowledged_version < a.ack_version)::int AS unacknowledged,
      (array_agg(u.display_name ORDER BY u.display_name, u.id) FILTER (WHERE r.acknowledged_version IS NULL OR r.acknowledged_version < a.ack_version))[1:10] AS people
    FROM announcements a JOIN announcement_recipients r ON r.announcement_id = a.id JOIN users u ON u.id = r.user_id AND u.active AND u.department_id IN (${subtree})
    WHERE a.status = 'published' AND a.requires_ack AND (a.expires_at IS NULL OR a.expires_at > $2)
      AND (a.publisher_id = $3 OR EXISTS (SELECT 1 FROM announcement_recipients v WHERE v.announcement_id = a.id AND v.user_id = $3))
    GROUP BY a.id HAVING count(*) FILTER (WHERE r.acknowledged_version IS NULL OR r.acknowledged_version < a.ack_version) > 0
    ORDER BY a.published_at DESC, a.id DESC LIMIT 20`,
  customers: `
    WITH RECURSIVE sub(id) AS (SELECT $1::bigint UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id),
    owned AS (SELECT DISTINCT o.customer_id FROM customer_owners o JOIN users u ON u.id = o.user_id WHERE u.active AND u.department_id IN (SELECT id FROM sub))
    SELECT c.id, c.name, c.tier, c.last_contact_at,
      (SELECT json_agg(json_build_object('id', u.id, 'name', u.display_name) ORDER BY u.display_name) FROM customer_owners o JOIN users u ON u.id = o.user_id WHERE o.customer_id = c.id) AS owners
    FROM owned JOIN customers c ON c.id = owned.customer_id
    WHERE c.tier_rank IN (1, 2) AND (c.last_contact_at IS NULL OR c.last_contact_at < now() - interval '30 days')
    ORDER BY c.last_contact_at NULLS FIRST, c.tier_rank, c.id LIMIT 21`,
  // Short entries through (owner, starts_at) from 36 hours before the week; long ones (month plans) through their own index.
  load: `
    WITH RECURSIVE sub(id) AS (SELECT $1::bigint UNION SELECT d.id FROM departments d JOIN sub ON d.parent_id = sub.id),
    people AS (SELECT u.id, u.display_name FROM users u WHERE u.department_id IN (SELECT id FROM sub) AND u.active),
    week AS (
      SELECT e.owner_id, e.status, e.ends_at FROM people p JOIN schedule_entries e ON e.owner_id = p.id AND NOT e.long
        AND e.starts_at >= $2::timestamptz - interval '36 hours' AND e.starts_at < $3 AND e.ends_at > $2 AND e.status <> 'cancelled'
      UNION ALL
      SELECT e.owner_id, e.status, e.ends_at FROM people p JOIN schedule_entries e ON e.owner_id = p.id AND e.long
        AND e.starts_at < $3 AND e.ends_at > $2 AND e.status <> 'cancelled')
    SELECT p.id, p.display_name, count(w.owner_id)::int AS planned, count(*) FILTER (WHERE w.status = 'done')::int AS done,
      count(*) FILTER (WHERE w.status = 'planned' AND w.ends_at <= $4)::int AS without_result
    FROM people p LEFT JOIN week w ON w.owner_id = p.id
    GROUP BY p.id, p.display_name ORDER BY p.display_name, p.id`,
  overdue: `
    SELECT u.id, count(*)::int AS n, min(n.created_at) AS oldest
    FROM users u JOIN notifications n ON n.recipient_id = u.id AND n.read_at IS NULL AND n.kind = 'reminder'
    JOIN reminders rm ON rm.id = (n.data->>'reminderId')::bigint AND rm.owner_id = $2
    WHERE u.department_id IN (${subtree}) AND u.active AND u.id <> $2 GROUP BY u.id LIMIT 20`,
};

/** The workbench's numbers by hand. */
const workbenchSql = {
  entries: `
    SELECT e.*, u.display_name, c.name AS customer_name, (SELECT count(*) FROM annotations a WHERE a.entry_id = e.id AND a.parent_id IS NULL) AS annotations
    FROM schedule_entries e JOIN users u ON u.id = e.owner_id LEFT JOIN customers c ON c.id = e.customer_id
    WHERE e.owner_id = $1 AND e.starts_at < $3 AND e.ends_at > $2 ORDER BY e.starts_at`,
  conversations: `
    SELECT c.id, c.name, (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.id > coalesce(cm.last_read_message_id, 0) AND m.author_id <> cm.user_id AND m.deleted_at IS NULL) AS unread
    FROM conversation_members cm JOIN conversations c ON c.id = cm.conversation_id WHERE cm.user_id = $1 ORDER BY c.last_message_at DESC LIMIT 200`,
  notifications: `SELECT * FROM notifications WHERE recipient_id = $1 AND read_at IS NULL AND kind IN ('mention', 'reminder', 'annotation') ORDER BY id DESC LIMIT 60`,
  reminders: `SELECT * FROM reminders WHERE owner_id = $1 AND status = 'active' AND next_due_at < $2 ORDER BY next_due_at, id LIMIT 8`,
  reports: `
    SELECT DISTINCT ON (r.kind) r.id, r.kind, r.period_start, r.status, r.submitted_at, r.deadline_at,
      (SELECT count(*) FROM annotations a WHERE a.report_id = r.id AND a.parent_id IS NULL) AS annotations, (SELECT count(*) FROM report_reads x WHERE x.report_id = r.id) AS reads,
      (SELECT json_agg(o) FROM report_rules o WHERE o.department_id IS NULL OR o.department_id = (SELECT department_id FROM users WHERE id = $1)) AS rules,
      (SELECT json_agg(h) FROM org_holidays h WHERE h.day BETWEEN $2::date - 40 AND $2::date + 40) AS holidays
    FROM reports r WHERE r.author_id = $1 ORDER BY r.kind, r.period_start DESC`,
  announcements: `
    SELECT a.id, a.title, a.priority, r.first_read_at, r.acknowledged_version, p.display_name,
      (SELECT count(*) FROM announcement_recipients x WHERE x.user_id = $1 AND x.first_read_at IS NULL) AS unread
    FROM announcement_recipients r JOIN announcements a ON a.id = r.announcement_id JOIN users p ON p.id = a.publisher_id
    WHERE r.user_id = $1 AND (a.expires_at IS NULL OR a.expires_at > $2) AND (r.first_read_at IS NULL OR (a.requires_ack AND (r.acknowledged_version IS NULL OR r.acknowledged_version < a.ack_version)))
    ORDER BY CASE a.priority WHEN 'urgent' THEN 0 WHEN 'important' THEN 1 ELSE 2 END, a.published_at DESC, a.id DESC LIMIT 8`,
  customers: `
    SELECT c.id, c.name, c.tier, c.last_contact_at,
      (SELECT json_agg(json_build_object('id', u.id, 'name', u.display_name)) FROM customer_owners o2 JOIN users u ON u.id = o2.user_id WHERE o2.customer_id = c.id) AS owners
    FROM customers c JOIN customer_owners o ON o.customer_id = c.id AND o.user_id = $1
    WHERE c.last_contact_at IS NULL OR c.last_contact_at < now() - interval '30 days' ORDER BY c.tier_rank, c.last_contact_at NULLS FIRST, c.id LIMIT 8`,
  threads: `
    SELECT t.id, t.title FROM board_threads t JOIN board_thread_subscriptions s ON s.thread_id = t.id AND s.user_id = $1 AND s.level = 'watching'
    WHERE t.last_activity_at > now() - interval '14 days' ORDER BY t.last_activity_at DESC LIMIT 8`,
};

async function main() {
  const { kept, databaseUrl, orm, close } = await openBenchDatabase('dashboard');
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL });
  try {
    // A kept cluster counts as seeded once the last step (the directives) is in.
    const [{ directives: seededDirectives }] = (await db.query(`SELECT count(*)::int AS directives FROM announcements WHERE category = 'directive'`)).rows;
    if (process.env.BENCH_SEEDED !== '1' && seededDirectives === 0) {
      const started = Date.now();
      await seedReports(db);
      await db.query(`SET session_replication_role = replica`);
      await seedCustomersAndEntries(db, { users: USERS, customers: CUSTOMERS, entries: ENTRIES });
      await seedDirectives(db);
      await db.query(`RESET session_replication_role`);
      await db.query('VACUUM (ANALYZE)');
      await db.query('CHECKPOINT');
      console.log(`seeded the schedule (${ENTRIES} entries, ${CUSTOMERS} customers) and three directives to everyone; ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
    } else console.log(`Reusing the data seeded in ${kept ?? databaseUrl.replace(/:[^:@]*@/, ':…@')}`);

    const em = orm.em.fork() as EntityManager;
    const [staff, head] = await Promise.all([em.findOneOrFail(User, STAFF), em.findOneOrFail(User, HEAD)]);
    const warmUp = `SELECT length(repeat('x', 4000000))`;
    await em.execute(warmUp);
    await Promise.all(Array.from({ length: POOL }, () => pool.query(warmUp)));

    const ours = { workbench: () => workbench(em, staff, NOW), dashboard: () => dashboard(em, head, undefined, NOW) };
    const day = (offset: number) => new Date(Date.parse('2025-11-12T00:00:00+08:00') + offset * 86400_000);
    const byHand = {
      workbench: () =>
        Promise.all([
          pool.query({ name: 'wb_entries', text: workbenchSql.entries, values: [STAFF, day(0), day(2)] }),
          pool.query({ name: 'wb_conversations', text: workbenchSql.conversations, values: [STAFF] }),
          pool.query({ name: 'wb_notifications', text: workbenchSql.notifications, values: [STAFF] }),
          pool.query({ name: 'wb_reminders', text: workbenchSql.reminders, values: [STAFF, new Date(NOW.getTime() + 48 * 3600_000)] }),
          pool.query({ name: 'wb_reports', text: workbenchSql.reports, values: [STAFF, '2025-11-12'] }),
          pool.query({ name: 'wb_announcements', text: workbenchSql.announcements, values: [STAFF, NOW] }),
          pool.query({ name: 'wb_customers', text: workbenchSql.customers, values: [STAFF] }),
          pool.query({ name: 'wb_threads', text: workbenchSql.threads, values: [STAFF] }),
        ]),
      dashboard: () =>
        Promise.all([
          pool.query({ name: 'db_reports', text: dashboardSql.reports, values: [SUBTREE, '2025-10-20', '2025-11-16', NOW] }),
          pool.query({ name: 'db_directives', text: dashboardSql.directives, values: [SUBTREE, NOW, HEAD] }),
          pool.query({ name: 'db_customers', text: dashboardSql.customers, values: [SUBTREE] }),
          pool.query({ name: 'db_load', text: dashboardSql.load, values: [SUBTREE, day(-2), day(5), NOW] }),
          pool.query({ name: 'db_overdue', text: dashboardSql.overdue, values: [SUBTREE, HEAD] }),
        ]),
    };

    // Both sides must answer the same numbers, or the comparison means nothing.
    const same = (what: string, product: unknown, hand: unknown) => {
      if (JSON.stringify(product) !== JSON.stringify(hand)) throw new Error(`${what}: the product answered ${JSON.stringify(product).slice(0, 300)}, the hand-written SQL ${JSON.stringify(hand).slice(0, 300)}`);
    };
    const board = await ours.dashboard();
    const [reports, directives, customers, load] = await byHand.dashboard();
    const weekTotals = (week: string) => Object.fromEntries(reports.rows.filter((r) => r.week === week).map((r) => [r.status, r.n]));
    for (const w of board.reports.trend) {
      const hand = weekTotals(w.weekStart);
      same(`report totals of the week of ${w.weekStart}`, (['submitted', 'late', 'missing'] as const).map((s) => w.totals[s]), ['submitted', 'late', 'missing'].map((s) => hand[s] ?? 0));
    }
    same('directives', board.directives.map((d) => [d.announcement.id, d.total, d.unacknowledged]), directives.rows.map((r) => [String(r.id), r.total, r.unacknowledged]));
    same('neglected customers', board.customers.items.map((c) => c.id), customers.rows.slice(0, 20).map((r) => String(r.id)));
    same('schedule load', board.load.map((l) => [l.user.id, l.planned, l.done, l.withoutResult]), load.rows.map((r) => [String(r.id), r.planned, r.done, r.without_result]));
    const bench = await ours.workbench();
    const [entries, , , , , announcements, mine] = await byHand.workbench();
    same('entries of today and tomorrow', [...new Set([...bench.entries.today, ...bench.entries.tomorrow].map((e) => e.id))].sort(), entries.rows.map((r) => String(r.id)).sort());
    same('announcements', bench.announcements.items.map((a) => a.id), announcements.rows.map((r) => String(r.id)));
    same('customers to contact', bench.customers.items.map((c) => c.id), mine.rows.map((r) => String(r.id)));

    if (process.env.BENCH_EACH === '1') {
      const each = { reports: [SUBTREE, '2025-10-20', '2025-11-16', NOW], directives: [SUBTREE, NOW, HEAD], customers: [SUBTREE], load: [SUBTREE, day(-2), day(5), NOW], overdue: [SUBTREE, HEAD] } as const;
      for (const [name, values] of Object.entries(each)) console.log(`hand-written ${name}: ${(await time(() => pool.query({ name: `db_${name}`, text: dashboardSql[name as keyof typeof dashboardSql], values: [...values] }))).toFixed(1)} ms`);
    }
    const results = {
      workbench: [await time(ours.workbench), await time(byHand.workbench)],
      dashboard: [await time(ours.dashboard), await time(byHand.dashboard)],
    };
    console.log(`staff member ${STAFF}: ${bench.entries.today.length + bench.entries.tomorrow.length} entries, ${bench.announcements.items.length} announcements, ${bench.customers.items.length} customers; head of department ${SUBTREE}: ${board.load.length} people, ${board.directives.length} directives, ${board.customers.items.length} customers`);
    for (const [name, [product, hand]] of Object.entries(results)) console.log(`${name}: ${product.toFixed(2)} ms, hand-written SQL ${hand.toFixed(2)} ms, ratio ${(product / hand).toFixed(2)}`);
    const worst = Math.max(...Object.values(results).map(([product, hand]) => product / hand));
    console.log(`RESULT workbench_ms=${results.workbench[0].toFixed(1)} dashboard_ms=${results.dashboard[0].toFixed(1)} worst_ratio_to_sql=${worst.toFixed(2)}`);
  } finally {
    await pool.end();
    await db.end();
    await close();
  }
}

runBenchmark(main);
