import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ApiClient, ok } from '../../support/api.js';
import { createTestDatabase } from '../../support/database.js';
import { seedCrowd } from '../../support/crowd.js';
import { startServerProcess, type RunningServerProcess } from '../../support/process.js';
import { ADMIN } from '../../support/server.js';
import { fastJobsEnv, eventually } from '../../support/timing.js';
import { waitFor } from '../../support/wait.js';

const started: RunningServerProcess[] = [];
afterAll(async () => {
  for (const server of started) await server.stop('SIGTERM');
});

describe('a fan-out above FANOUT_CHUNK_SIZE', () => {
  it('is handed to jobs in parts and written exactly once, with two server processes and one killed (SIGKILL) mid-run', async () => {
    const databaseUrl = await createTestDatabase();
    const env = { ...fastJobsEnv, DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, FANOUT_CHUNK_SIZE: '50' };
    // One after the other: the first creates the administrator on the empty database.
    const a = await startServerProcess(env);
    started.push(a);
    const b = await startServerProcess(env);
    started.push(b);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rootId, members } = await seedCrowd(db, { users: 3000, departments: 40, prefix: 'handover' });
      const admin = new ApiClient(a.url);
      await admin.login(ADMIN.email, ADMIN.password);

      // The request only queues the parts (60 of 50), in its own transaction, and answers at once.
      const sent = ok(await admin.post('/api/notifications/system', { departmentIds: [rootId], title: 'handover', body: 'to a whole division' }), 201);
      expect(sent).toEqual({ sent: 3000 });
      const remaining = async () => Number((await db.query(`SELECT count(*) AS n FROM fanout_chunks`)).rows[0].n);
      const written = async () => Number((await db.query(`SELECT count(*) AS n FROM notifications WHERE title = 'handover'`)).rows[0].n);

      // Both processes write parts; one dies while parts remain.
      await waitFor(async () => (await written()) >= 200, { timeoutMs: 30_000, intervalMs: 10, what: 'the first parts to be written' });
      const leftWhenKilled = await remaining();
      await a.stop('SIGKILL');
      expect(leftWhenKilled).toBeGreaterThan(0);

      // The survivor writes the rest, including what the dead process had taken (its sweep offers those again).
      await eventually(async () => (await remaining()) === 0 && (await written()) === 3000, { timeoutMs: 60_000, what: 'every part written by the surviving process' });
      const { rows } = await db.query<{ notifications: number; people: number; emails: number; events: number; gaps: number }>(
        `SELECT (SELECT count(*)::int FROM notifications WHERE title = 'handover') AS notifications,
                (SELECT count(DISTINCT recipient_id)::int FROM notifications WHERE title = 'handover') AS people,
                (SELECT count(*)::int FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.title = 'handover' AND d.channel = 'email') AS emails,
                (SELECT count(*)::int FROM stream_events WHERE type = 'notification.created' AND payload #>> '{notification,title}' = 'handover') AS events,
                (SELECT count(*)::int FROM stream_heads h WHERE h.stream LIKE 'user:%' AND h.last_seq <> (SELECT count(*) FROM stream_events e WHERE e.stream = h.stream)) AS gaps`,
      );
      // Exactly once each; e-mail for everyone but the fifth who turned system e-mail off; no stream with a hole in its sequence.
      expect(rows[0]).toEqual({ notifications: 3000, people: 3000, emails: 2400, events: 3000, gaps: 0 });
      const recipients = await db.query<{ id: string }>(`SELECT recipient_id::text AS id FROM notifications WHERE title = 'handover'`);
      expect(new Set(recipients.rows.map((r) => r.id))).toEqual(new Set(members.map((m) => m.id)));
    } finally {
      await db.end();
    }
  });
});
