/**
 * The customers and schedule of `npm run bench:schedule`, shared with `npm run bench:dashboard`:
 * customers of every type and tier (user 1 + c % users owns customer c, created by user 1),
 * entries over two years from 2025 (40 % with a customer, all done), month plans of every tenth
 * user, and the feed items their results leave. Set-based SQL on users 1..users that exist.
 */
import pg from 'pg';

export async function seedCustomersAndEntries(db: pg.Client, { users, customers, entries }: { users: number; customers: number; entries: number }) {
  await db.query(
    `INSERT INTO customers (id, name, type, tier, prospect_class, tier_rank, address, notes, created_by_id, created_at, updated_at)
     SELECT c, '客户 ' || c, (ARRAY['end_customer','channel','supplier','competitor','media','partner'])[1 + c % 6],
            (ARRAY['platinum','gold','silver','regular','poor'])[1 + c % 5], NULL, 1 + c % 5, '', '', 1, now(), now()
     FROM generate_series(1, $1) c`,
    [customers],
  );
  await db.query(`SELECT setval('customers_id_seq', $1)`, [customers]);
  await db.query(`INSERT INTO customer_owners (customer_id, user_id) SELECT c, 1 + c % $2 FROM generate_series(1, $1) c`, [customers, users]);
  // Entries over two years, 40 % linked to a customer; a few long (month plans) ones.
  await db.query(
    `INSERT INTO schedule_entries (owner_id, kind, title, description_text, starts_at, ends_at, all_day, long, customer_id, contact_ids, status, result_text, rrule, time_zone, exdates, reminder_offsets, created_at, updated_at)
     SELECT 1 + i % $2, (ARRAY['visit','call','meeting','task','other'])[1 + i % 5], '日程 ' || i, '',
            s, s + interval '1 hour', false, false, CASE WHEN i % 5 < 2 THEN 1 + (i::bigint * 7919) % $3 END, '[]', 'done', '', NULL, 'Asia/Shanghai', '[]', '[]', now(), now()
     FROM generate_series(1, $1) i, LATERAL (SELECT timestamptz '2025-01-01 00:00+08' + (i::float8 / $1) * interval '730 days' AS s) t`,
    [entries, users, customers],
  );
  await db.query(
    `INSERT INTO schedule_entries (owner_id, kind, title, description_text, starts_at, ends_at, all_day, long, plan_period, contact_ids, status, result_text, time_zone, exdates, reminder_offsets, created_at, updated_at)
     SELECT u, 'task', 'Month plan', '', m, m + interval '1 month', true, true, 'month', '[]', 'planned', '', 'Asia/Shanghai', '[]', '[]', now(), now()
     FROM generate_series(1, $1) u, generate_series(timestamptz '2025-01-01 00:00+08', timestamptz '2026-12-01 00:00+08', interval '1 month') m WHERE u % 10 = 0`,
    [users],
  );
  await db.query(
    `INSERT INTO feed_items (customer_id, kind, actor_id, entry_id, text, data, tier_rank, customer_type, created_at)
     SELECT e.customer_id, 'result', e.owner_id, e.id, '', jsonb_build_object('title', e.title), c.tier_rank, c.type, e.ends_at
     FROM schedule_entries e JOIN customers c ON c.id = e.customer_id ORDER BY e.starts_at`,
  );
}
