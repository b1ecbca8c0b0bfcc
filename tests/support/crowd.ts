import type pg from 'pg';

/** Time zones the crowd lives in: with DST, with half-hour DST, and without. */
export const CROWD_ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'UTC'];

export type CrowdMember = { id: string; departmentId: string; timeZone: string; mobile: string | null; email: string };

/**
 * A large organisation written straight into the database (the API would take minutes): a tree of
 * `departments` (a root, 20 divisions, the rest as teams under them) and `users` spread over the
 * teams, with their time zones, mobile numbers for every other one, and delivery preferences and
 * quiet hours for a share of them (see crowdSettings). Returns the members in id order.
 */
export async function seedCrowd(db: pg.Client, options: { users: number; departments: number; prefix?: string }): Promise<{ rootId: string; members: CrowdMember[] }> {
  const prefix = options.prefix ?? 'crowd';
  const { rows: root } = await db.query<{ id: string }>(`INSERT INTO departments (name, parent_id, created_at) VALUES ($1, NULL, now()) RETURNING id::text AS id`, [`${prefix} root`]);
  const divisions = Math.min(20, options.departments - 1);
  const { rows: divisionRows } = await db.query<{ id: string }>(
    `INSERT INTO departments (name, parent_id, created_at) SELECT $1 || ' division ' || i, $2, now() FROM generate_series(1, $3) i RETURNING id::text AS id`,
    [prefix, root[0].id, divisions],
  );
  const teams = options.departments - 1 - divisions;
  const { rows: teamRows } = await db.query<{ id: string }>(
    `INSERT INTO departments (name, parent_id, created_at)
     SELECT $1 || ' team ' || i, (SELECT id FROM unnest($2::bigint[]) WITH ORDINALITY d(id, n) WHERE n = 1 + i % $3), now() FROM generate_series(1, $4) i
     RETURNING id::text AS id`,
    [prefix, divisionRows.map((d) => d.id), divisions, teams],
  );
  const homes = teamRows.length ? teamRows : divisionRows;
  // Zones go round by fives, settings (below) by ones, so that every setting meets every zone: at any
  // hour someone's nightly quiet hours are on, whatever the day and time the test runs.
  const { rows: users } = await db.query<CrowdMember>(
    `INSERT INTO users (email, display_name, password_hash, locale, time_zone, mobile, department_id, role, active, created_at, updated_at)
     SELECT $1 || i || '@crowd.test', $1 || ' ' || i, 'not-a-hash', 'en', ($2::text[])[1 + (i / 5) % cardinality($2::text[])],
            CASE WHEN i % 2 = 0 THEN '+86139' || lpad(i::text, 8, '0') END, ($3::bigint[])[1 + i % cardinality($3::bigint[])], 'member', true, now(), now()
     FROM generate_series(1, $4) i ORDER BY i
     RETURNING id::text AS id, department_id::text AS "departmentId", time_zone AS "timeZone", mobile, email`,
    [prefix, CROWD_ZONES, homes.map((d) => d.id), options.users],
  );
  users.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  await db.query(
    `INSERT INTO notification_settings (user_id, preferences, quiet_hours, updated_at)
     SELECT u.id, s.preferences, s.quiet_hours, now() FROM unnest($1::bigint[]) WITH ORDINALITY u(id, n)
     CROSS JOIN LATERAL (SELECT * FROM jsonb_to_record(CASE WHEN jsonb_typeof(($2::jsonb)->((u.n % 5)::int)) = 'object' THEN ($2::jsonb)->((u.n % 5)::int) ELSE '{}'::jsonb END) AS x(preferences jsonb, quiet_hours jsonb)) s
     WHERE s.preferences IS NOT NULL`,
    [users.map((u) => u.id), JSON.stringify(crowdSettings)],
  );
  return { rootId: root[0].id, members: users };
}

/**
 * Delivery settings by the member's position in id order (1-based) modulo 5: 0 wants no e-mail for
 * system messages, 1 wants SMS too, 2 has nightly quiet hours, 3 quiet hours and weekends, 4 the defaults.
 */
export const crowdSettings: ({ preferences: Record<string, { email: boolean; sms: boolean }>; quiet_hours: { start: string; end: string; weekends: boolean } | null } | null)[] = [
  { preferences: { system: { email: false, sms: false } }, quiet_hours: null },
  { preferences: { system: { email: true, sms: true } }, quiet_hours: null },
  { preferences: {}, quiet_hours: { start: '22:00', end: '08:00', weekends: false } },
  { preferences: {}, quiet_hours: { start: '09:00', end: '17:30', weekends: true } },
  null,
];

/** The settings seedCrowd gave the member at `index` (0-based, id order). */
export const settingsOf = (index: number) => crowdSettings[(index + 1) % 5];
