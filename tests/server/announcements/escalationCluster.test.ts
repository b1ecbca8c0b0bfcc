import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ApiClient, ok } from '../../support/api.js';
import { createTestDatabase } from '../../support/database.js';
import { seedCrowd } from '../../support/crowd.js';
import { startServerProcess, type RunningServerProcess } from '../../support/process.js';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { SmtpSink } from '../../support/smtpSink.js';
import { fastJobsEnv, eventually } from '../../support/timing.js';
import { announcementBody } from '../../support/announcements.js';

// One SMTP server per process, so that the test knows which process is sending what.
const sinkA = new SmtpSink();
const sinkB = new SmtpSink();
let a: RunningServerProcess | undefined;
let b: TestServer | undefined;
afterAll(async () => {
  sinkA.hold = undefined;
  await a?.stop('SIGKILL');
  await b?.close();
  await sinkA.stop();
  await sinkB.stop();
});

describe('an escalation step with two server processes', () => {
  it('reaches each unacknowledged person exactly once, though the process sending it is killed (SIGKILL) mid-run', { timeout: 90_000 }, async () => {
    await sinkA.start();
    await sinkB.start();
    const databaseUrl = await createTestDatabase();
    const env = { ...fastJobsEnv, DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, FANOUT_CHUNK_SIZE: '20', SMTP_POOL_SIZE: '2' };
    // A is a process of its own (to be killed); B a server in this process, on the same database.
    a = await startServerProcess({ ...env, SMTP_URL: sinkA.url });
    b = await startTestServer({ ...env, SMTP_URL: sinkB.url }, { databaseUrl });
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rootId, members } = await seedCrowd(db, { users: 300, departments: 16, prefix: 'ladder' });
      // Nobody wants e-mail about announcements and nobody has quiet hours: only the ladder's e-mail step sends.
      await db.query(`DELETE FROM notification_settings`);
      await db.query(`INSERT INTO notification_settings (user_id, preferences, quiet_hours, updated_at) SELECT id, '{"announcement": {"email": false, "sms": false}}', NULL, now() FROM users`);
      const admin = new ApiClient(a.url);
      await admin.login(ADMIN.email, ADMIN.password);
      const title = 'Fire exits must stay clear';
      const directive = ok(
        await admin.post('/api/announcements', announcementBody(title, { departmentIds: [rootId] }, { category: 'directive', requiresAck: true, escalation: { steps: [{ channel: 'email', afterMinutes: 30 }], repeat: null } })),
        201,
      );
      expect(directive.recipientCount).toBe(300);
      // Twenty of them acknowledge at once: the step must leave them out.
      const acknowledged = members.slice(0, 20);
      await db.query(`UPDATE announcement_recipients SET acknowledged_at = now(), acknowledged_version = 1 WHERE announcement_id = $1 AND user_id = ANY($2::bigint[])`, [directive.id, acknowledged.map((m) => m.id)]);

      // A's SMTP server holds what A sends: A dies with messages on the wire, before the server's 250.
      let release!: () => void;
      sinkA.hold = new Promise<void>((resolve) => (release = resolve));
      const held = new Promise<void>((resolve) => (sinkA.heldOnce = resolve));
      // The step falls due as if 30 minutes had passed and its job had been lost: whichever process's sweep comes first fires it.
      await db.query(`UPDATE announcement_escalations SET due_at = now() - interval '1 minute' WHERE announcement_id = $1`, [directive.id]);
      await held;
      await a.stop('SIGKILL');
      await eventually(() => sinkA.heldConnectionsClosed(), { what: 'A’s SMTP connections to close' });
      sinkA.hold = undefined;
      release();

      // B finishes: the parts of the fan-out A had not written, and the deliveries A had claimed once their claim runs out.
      const pending = members.filter((m) => !acknowledged.includes(m));
      const received = () => [...sinkA.messages, ...sinkB.messages].filter((m) => m.parsed.subject?.includes(`Please acknowledge: ${title}`));
      await eventually(() => received().length >= pending.length, { timeoutMs: 60_000, what: 'an e-mail for everyone not yet acknowledged' });
      await b.jobs.sweep();
      await b.jobs.dispatcher.dispatchBatch();
      const perPerson = new Map<string, number>();
      for (const mail of received()) for (const to of mail.to) perPerson.set(to, (perPerson.get(to) ?? 0) + 1);
      expect([...perPerson.keys()].sort()).toEqual(pending.map((m) => m.email).sort());
      expect([...perPerson.values()].every((n) => n === 1)).toBe(true);
      // A sent some of them before it died (or held them when it did), B the rest.
      expect(sinkB.messages.length).toBeGreaterThan(0);
      const { rows } = await db.query<{ fired: number; notified: number; notices: number; people: number; emails: number; sent: number }>(
        `SELECT (SELECT count(*)::int FROM announcement_escalations WHERE announcement_id = $1 AND fired_at IS NOT NULL) AS fired,
                (SELECT notified FROM announcement_escalations WHERE announcement_id = $1) AS notified,
                (SELECT count(*)::int FROM notifications WHERE data->>'announcementId' = $1::text AND data->>'event' = 'reminder') AS notices,
                (SELECT count(DISTINCT recipient_id)::int FROM notifications WHERE data->>'announcementId' = $1::text AND data->>'event' = 'reminder') AS people,
                (SELECT count(*)::int FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.data->>'announcementId' = $1::text) AS emails,
                (SELECT count(*)::int FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.data->>'announcementId' = $1::text AND d.status = 'sent') AS sent`,
        [directive.id],
      );
      expect(rows[0]).toEqual({ fired: 1, notified: 280, notices: 280, people: 280, emails: 280, sent: 280 });
    } finally {
      await db.end();
    }
  });
});
