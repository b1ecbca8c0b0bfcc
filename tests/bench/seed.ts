/**
 * Data for the benchmark: many users inserted at once through SQL (one argon2 hash computed once),
 * signed in over HTTP, extra sessions (devices) inserted with known tokens, group conversations
 * created through the API, and a million-message history bulk-inserted with generate_series.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { hashPassword } from '../../server/auth/passwords.js';
import { documentFromPlainText } from '../../shared/richText/index.js';

export const BENCH_PASSWORD = 'bench-password-1';

export type BenchUser = { id: string; email: string; token: string };

/** Inserts `count` users in the root department; returns their ids and e-mails, in order. */
export async function insertUsers(db: pg.Client, count: number): Promise<{ id: string; email: string }[]> {
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const { rows: roots } = await db.query(`SELECT id FROM departments WHERE parent_id IS NULL ORDER BY id LIMIT 1`);
  if (!roots.length) throw new Error('no root department: the server did not create its first administrator');
  const { rows } = await db.query(
    `INSERT INTO users (email, display_name, password_hash, department_id, created_at, updated_at)
     SELECT 'bench' || g || '@huitong.bench', '压测用户 ' || g, $1, $2, now(), now() FROM generate_series(1, $3::int) g
     RETURNING id::text AS id, email`,
    [passwordHash, roots[0].id, count],
  );
  return rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

/** Signs every user in through POST /api/auth/login, a few at a time (argon2 is deliberately slow). */
export async function loginAll(baseUrl: string, users: { id: string; email: string }[], concurrency = 6): Promise<BenchUser[]> {
  const out: BenchUser[] = new Array(users.length);
  let next = 0;
  const lane = async () => {
    while (next < users.length) {
      const i = next++;
      const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: users[i].email, password: BENCH_PASSWORD }) });
      const body = (await res.json()) as any;
      if (res.status !== 200) throw new Error(`login of ${users[i].email} failed: ${res.status} ${JSON.stringify(body)}`);
      out[i] = { ...users[i], token: body.data.token };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return out;
}

/** Inserts `perUser` further sessions for each user (as many devices), returning their tokens. */
export async function insertSessions(db: pg.Client, userIds: string[], perUser: number): Promise<{ userId: string; token: string }[]> {
  const sessions = userIds.flatMap((userId) => Array.from({ length: perUser }, () => ({ userId, token: randomBytes(32).toString('base64url') })));
  const hashes = sessions.map((s) => createHash('sha256').update(s.token).digest('hex'));
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at, created_at, user_agent)
     SELECT h, u, now() + interval '1 day', now(), 'bench' FROM unnest($1::text[], $2::bigint[]) AS s(h, u)`,
    [hashes, sessions.map((s) => s.userId)],
  );
  return sessions;
}

/** Creates a group through the API as its owner; returns the conversation. */
export async function createGroup(baseUrl: string, owner: BenchUser, name: string, memberIds: string[]): Promise<{ id: string; seq: number }> {
  const res = await fetch(`${baseUrl}/api/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
    body: JSON.stringify({ name, memberIds }),
  });
  const body = (await res.json()) as any;
  if (res.status !== 201) throw new Error(`creating group ${name} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

/**
 * Fills a conversation with `count` text messages in one INSERT … SELECT generate_series, points the
 * conversation at the newest, VACUUM ANALYZEs and checkpoints; returns the newest and the middle message ids.
 */
export async function bulkInsertHistory(db: pg.Client, conversationId: string, authorIds: string[], count: number) {
  const template = JSON.stringify(documentFromPlainText('历史消息 #__N__ from the bulk insert, a message of an ordinary length'));
  await db.query(
    `INSERT INTO messages (conversation_id, author_id, client_id, kind, body, text, created_at)
     SELECT $1::bigint, ($2::bigint[])[1 + g % cardinality($2::bigint[])], 'bulk-' || g, 'text',
            replace($3::text, '__N__', g::text)::jsonb,
            '历史消息 #' || g || ' from the bulk insert, a message of an ordinary length',
            now() - make_interval(secs => ($4::int - g))
     FROM generate_series(1, $4::int) g`,
    [conversationId, authorIds, template, count],
  );
  const { rows } = await db.query(`SELECT max(id)::text AS newest, count(*)::int AS total FROM messages WHERE conversation_id = $1`, [conversationId]);
  await db.query(`UPDATE conversations SET last_message_id = $2, last_message_at = now() WHERE id = $1`, [conversationId, rows[0].newest]);
  // Settle the table as a live database would be: statistics, visibility map and a checkpoint now,
  // rather than autovacuum and the checkpointer working during the timed requests.
  await db.query(`VACUUM (ANALYZE) messages`);
  await db.query(`CHECKPOINT`);
  const { rows: mid } = await db.query(`SELECT id::text AS id FROM messages WHERE conversation_id = $1 ORDER BY id OFFSET $2 LIMIT 1`, [conversationId, Math.floor(count / 2)]);
  return { newest: rows[0].newest as string, total: rows[0].total as number, middle: mid[0].id as string };
}
