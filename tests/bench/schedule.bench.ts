/**
 * `npm run bench:schedule`: 1,000,000 schedule entries and 50,000 customers (with their feed)
 * on an embedded PostgreSQL. Times the product's own query functions (SQL, expansion and
 * presentation included) beside the equivalent hand-written SQL in the same run:
 * a month of a 200-person department, a customer's visits over a year, the team feed's first page.
 * The hand-written SQL applies the same visibility rules and must answer the same rows (checked).
 * BENCH_ENTRIES / BENCH_CUSTOMERS change the sizes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { medianTime } from './stats.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres } from '../../server/db/embedded.js';
import { applyMigrations, openOrm } from '../../server/db/orm.js';
import { User } from '../../server/entities/User.js';
import { customerVisits, departmentEntries } from '../../server/queries/schedule.js';
import { teamFeed } from '../../server/queries/feed.js';
import { freePort } from '../support/globalSetup.js';
import { seedCustomersAndEntries } from './scheduleSeed.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 50_000);
const DEPARTMENTS = 25;
const PER_DEPARTMENT = 200;
const USERS = DEPARTMENTS * PER_DEPARTMENT;
const RUNS = 25;

// The hand-written queries return what the product's answer holds: the entry, its owner, customer name and annotation count.
const SAME_COLUMNS = `e.*, u.display_name, u.email, c.name AS customer_name, (SELECT count(*) FROM annotations a WHERE a.entry_id = e.id AND a.parent_id IS NULL) AS annotation_count`;
// The product's visibility rules written out by hand: the departments a viewer manages (and all below them), and who
// sees a customer (everyone, or per the organisation setting only its owners and their superiors).
const managedBy = (viewer: string) =>
  `WITH RECURSIVE m(id) AS (SELECT department_id FROM department_managers WHERE user_id = ${viewer} UNION SELECT d.id FROM departments d JOIN m ON d.parent_id = m.id) SELECT id FROM m`;
const customerVisible = (customer: string, viewer: string) => `(coalesce((SELECT value #>> '{}' FROM org_settings WHERE key = 'customerVisibility'), 'everyone') = 'everyone'
  OR EXISTS (SELECT 1 FROM customer_owners o JOIN users ou ON ou.id = o.user_id WHERE o.customer_id = ${customer} AND (o.user_id = ${viewer} OR ou.department_id IN (${managedBy(viewer)}))))`;
const time = (run: () => Promise<unknown>) => medianTime(run, RUNS, 3);

async function seed(db: pg.Client) {
  const started = Date.now();
  await db.query(`INSERT INTO departments (id, name, parent_id, created_at) VALUES (1, 'HQ', NULL, now())`);
  await db.query(`INSERT INTO departments (id, name, parent_id, created_at) SELECT d + 1, 'Dept ' || d, 1, now() FROM generate_series(1, $1) d`, [DEPARTMENTS]);
  await db.query(
    `INSERT INTO users (id, email, display_name, password_hash, department_id, created_at, updated_at)
     SELECT u, 'user' || u || '@bench.test', '员工' || u, 'x', 2 + (u - 1) / $2, now(), now() FROM generate_series(1, $1) u`,
    [USERS, PER_DEPARTMENT],
  );
  // The first user of each department manages it.
  await db.query(`INSERT INTO department_managers (department_id, user_id) SELECT 2 + d, 1 + d * $1 FROM generate_series(0, $2 - 1) d`, [PER_DEPARTMENT, DEPARTMENTS]);
  await db.query(`SELECT setval('users_id_seq', $1)`, [USERS]);
  await db.query(`SELECT setval('departments_id_seq', $1)`, [DEPARTMENTS + 1]);
  await seedCustomersAndEntries(db, { users: USERS, customers: CUSTOMERS, entries: ENTRIES });
  await db.query('ANALYZE');
  const [{ count }] = (await db.query(`SELECT count(*)::int AS count FROM schedule_entries`)).rows;
  const [{ feed }] = (await db.query(`SELECT count(*)::int AS feed FROM feed_items`)).rows;
  console.log(`seeded ${count} entries, ${CUSTOMERS} customers, ${feed} feed items, ${USERS} users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-bench-schedule-'));
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'huitong_bench' });
  const databaseUrl = process.env.DATABASE_URL ?? embedded!.url;
  const orm = await openOrm(databaseUrl);
  await applyMigrations(orm);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    await seed(db);
    const em = orm.em.fork() as EntityManager;
    const manager = await em.findOneOrFail(User, '1'); // manages department 2, 200 people
    const busiest = (await db.query(`SELECT customer_id FROM schedule_entries WHERE customer_id IS NOT NULL AND kind = 'visit' GROUP BY customer_id ORDER BY count(*) DESC LIMIT 1`)).rows[0].customer_id;
    // The hand-written SQL runs on a connection of its own, not the one that loaded the data: a PostgreSQL backend answers
    // small queries about 0.4 ms slower until it has once freed a large allocation (glibc then raises its mmap threshold),
    // which loading had done for that connection and nothing had for the product's pooled one. Both sides get the same warm-up.
    const warmUp = `SELECT length(repeat('x', 4000000))`;
    await em.execute(warmUp);
    await sql.query(warmUp);
    const month = { from: new Date('2026-03-01T00:00:00+08:00'), to: new Date('2026-04-01T00:00:00+08:00') };
    const year = { from: new Date('2025-06-01T00:00:00+08:00'), to: new Date('2026-06-01T00:00:00+08:00') };

    let rows = { dept: 0, visits: 0 };
    const deptMs = await time(async () => (rows.dept = (await departmentEntries(em, manager, '2', month, false)).data.length));
    // Its manager sees every entry of the department. Entries up to 36 hours long (all but the month plans) can only
    // overlap the month if they start at most 36 hours before it, which the (owner_id, starts_at) index bounds.
    const deptSql = () =>
      sql.query(
        `SELECT ${SAME_COLUMNS} FROM schedule_entries e JOIN users u ON u.id = e.owner_id LEFT JOIN customers c ON c.id = e.customer_id
         WHERE u.department_id = $3 AND $3 IN (${managedBy('$4')}) AND NOT e.long AND e.starts_at >= $1::timestamptz - interval '36 hours' AND e.starts_at < $2 AND e.ends_at > $1
         UNION ALL
         SELECT ${SAME_COLUMNS} FROM schedule_entries e JOIN users u ON u.id = e.owner_id LEFT JOIN customers c ON c.id = e.customer_id
         WHERE u.department_id = $3 AND $3 IN (${managedBy('$4')}) AND e.long AND e.starts_at < $2 AND e.ends_at > $1
         ORDER BY starts_at`,
        [month.from, month.to, 2, manager.id],
      );
    const deptSqlMs = await time(deptSql);
    const visitsMs = await time(async () => (rows.visits = (await customerVisits(em, manager, String(busiest), year, ['visit'])).data.length));
    const visitsSql = () =>
      sql.query(
        `SELECT ${SAME_COLUMNS} FROM schedule_entries e JOIN users u ON u.id = e.owner_id LEFT JOIN customers c ON c.id = e.customer_id
         WHERE e.customer_id = $1 AND e.kind = 'visit' AND e.starts_at < $3 AND e.ends_at > $2 AND ${customerVisible('$1', '$4')} ORDER BY e.starts_at`,
        [busiest, year.from, year.to, manager.id],
      );
    const visitsSqlMs = await time(visitsSql);
    const feedMs = await time(() => teamFeed(em, manager, { limit: 30, valuableFirst: 'false' }));
    // One more than the page, as the product asks, to know whether another page follows.
    const feedSql = () =>
      sql.query(
        `SELECT f.*, c.name, c.tier, c.prospect_class, u.display_name, u.email FROM feed_items f JOIN customers c ON c.id = f.customer_id JOIN users u ON u.id = f.actor_id
         WHERE ${customerVisible('c.id', '$1')} ORDER BY f.id DESC LIMIT 31`,
        [manager.id],
      );
    const feedSqlMs = await time(feedSql);
    // Both sides must answer the same rows, or the comparison means nothing.
    const ids = (rows: { id: unknown }[]) => rows.map((r) => String(r.id));
    const same = (what: string, product: string[], sql: string[]) => {
      if (product.join() !== sql.join()) throw new Error(`${what}: the product answered ${product.length} rows, the hand-written SQL ${sql.length}, not the same ones`);
    };
    const sorted = (list: string[]) => [...list].sort();
    same('department month', sorted(ids((await departmentEntries(em, manager, '2', month, false)).data)), sorted(ids((await deptSql()).rows)));
    same('customer visits', sorted(ids((await customerVisits(em, manager, String(busiest), year, ['visit'])).data)), sorted(ids((await visitsSql()).rows)));
    same('team feed', ids((await teamFeed(em, manager, { limit: 30, valuableFirst: 'false' })).items), ids((await feedSql()).rows).slice(0, 30));
    const ratios = [deptMs / deptSqlMs, visitsMs / visitsSqlMs, feedMs / feedSqlMs];
    console.log(`department month (${rows.dept} entries): ${deptMs.toFixed(2)} ms, hand-written SQL ${deptSqlMs.toFixed(2)} ms`);
    console.log(`customer visits over a year (${rows.visits}): ${visitsMs.toFixed(2)} ms, hand-written SQL ${visitsSqlMs.toFixed(2)} ms`);
    console.log(`team feed first page: ${feedMs.toFixed(2)} ms, hand-written SQL ${feedSqlMs.toFixed(2)} ms`);
    console.log(`RESULT dept_month_ms=${deptMs.toFixed(1)} customer_year_ms=${visitsMs.toFixed(1)} team_feed_ms=${feedMs.toFixed(1)} worst_ratio_to_sql=${Math.max(...ratios).toFixed(2)}`);
  } finally {
    await sql.end();
    await db.end();
    await orm.close();
    await embedded?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
