import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { createTestDatabase } from '../../support/database.js';
import { createUser, rootDepartment } from '../../support/factories.js';
import { SmtpSink } from '../../support/smtpSink.js';
import { TWILIO, TwilioStandIn } from '../../support/twilioStandIn.js';
import { startServerProcess } from '../../support/process.js';
import { fastJobsEnv, localIn, eventually } from '../../support/timing.js';

const sink = new SmtpSink();
const twilio = new TwilioStandIn();
beforeAll(async () => {
  await sink.start();
  await twilio.start();
});
afterAll(async () => {
  await sink.stop();
  await twilio.stop();
});

const env = () => ({
  ...fastJobsEnv,
  SMTP_URL: sink.url,
  TWILIO_ACCOUNT_SID: TWILIO.accountSid,
  TWILIO_AUTH_TOKEN: TWILIO.authToken,
  TWILIO_FROM: TWILIO.from,
  TWILIO_API_BASE_URL: twilio.url,
});

/**
 * Creates `count` reminders for the user, all due at the same second, `leadMs` from now: created
 * together, as a loaded machine could otherwise reach the due time before the last one is made.
 */
async function burst(api: ApiClient, prefix: string, count: number, channels: string[], leadMs: number) {
  const dtstart = localIn('Asia/Shanghai', leadMs);
  const titles = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const created = await Promise.all(titles.map((title) => api.post('/api/reminders', { title, dtstart, timeZone: 'Asia/Shanghai', channels })));
  for (const res of created) ok(res, 201);
  return titles;
}

const countBy = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});

describe('exactly once', () => {
  let a: TestServer | undefined;
  let b: TestServer | undefined;
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('two server processes on one database and a burst of due reminders: each e-mail and SMS goes out once', async () => {
    a = await startTestServer(env());
    b = await startTestServer(env(), { databaseUrl: a.databaseUrl });
    const admin = await a.admin();
    const mobile = '+8613900139000';
    const { user, api } = await createUser(admin, (await rootDepartment(admin)).id, { mobile, locale: 'en' });
    const titles = await burst(api, 'burst', 40, ['email', 'sms'], 5000);

    await eventually(() => sink.to(user.email).length >= titles.length && twilio.accepted(mobile).length >= titles.length, { timeoutMs: 20_000, what: 'all e-mails and SMS' });
    // Let both processes sweep and poll once more: nothing may go out again.
    await Promise.all([a.jobs.sweep(), b.jobs.sweep(), a.jobs.dispatcher.dispatchBatch(), b.jobs.dispatcher.dispatchBatch()]);
    const mails = countBy(sink.to(user.email).map((m) => m.parsed.subject!.replace('[Huitong] ', '')));
    const texts = countBy(twilio.accepted(mobile).map((r) => /\] (burst-\d+)/.exec(r.body)![1]));
    for (const title of titles) {
      expect(mails[title], title).toBe(1);
      expect(texts[title], title).toBe(1);
    }
    const [row] = await a.orm.em.fork().execute<{ sent: string; all: string; fired: string }[]>(
      `SELECT (SELECT count(*) FROM deliveries WHERE status = 'sent') AS sent, (SELECT count(*) FROM deliveries) AS all,
              (SELECT count(*) FROM reminder_occurrences WHERE fired_at IS NOT NULL) AS fired`,
    );
    expect(row).toEqual({ sent: String(titles.length * 2), all: String(titles.length * 2), fired: String(titles.length) });
  });

  it('a process killed (SIGKILL) mid-dispatch and restarted: every e-mail still goes out exactly once', async () => {
    const databaseUrl = await createTestDatabase();
    const childEnv = { ...env(), DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SMTP_POOL_SIZE: '3' };
    let release!: () => void;
    sink.hold = new Promise<void>((resolve) => (release = resolve));
    const held = new Promise<void>((resolve) => (sink.heldOnce = resolve));
    let child = await startServerProcess(childEnv);
    try {
      const admin = new ApiClient(child.url);
      await admin.login(ADMIN.email, ADMIN.password);
      const { user, api } = await createUser(admin, (await rootDepartment(admin)).id, { locale: 'en' });
      const titles = await burst(api, 'crash', 20, ['email'], 5000);

      // The SMTP server holds the first DATA: the process dies while messages are on the wire, unacknowledged.
      await held;
      await child.stop('SIGKILL');
      await eventually(() => sink.heldConnectionsClosed(), { what: 'the SMTP server to see the dead connections' });
      sink.hold = undefined;
      release();

      child = await startServerProcess(childEnv);
      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        await eventually(async () => (await db.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'sent'`)).rows[0].n === titles.length, { timeoutMs: 30_000, what: 'every delivery sent after the restart' });
        const { rows } = await db.query(`SELECT count(*)::int AS n, max(attempts) AS most FROM deliveries`);
        expect(rows[0].n).toBe(titles.length);
        // Some delivery was in flight when the first process died and was sent again by the second.
        expect(rows[0].most).toBeGreaterThanOrEqual(2);
      } finally {
        await db.end();
      }
      const mails = countBy(sink.to(user.email).map((m) => m.parsed.subject!.replace('[Huitong] ', '')));
      expect(mails).toEqual(Object.fromEntries(titles.map((t) => [t, 1])));
    } finally {
      sink.hold = undefined;
      release();
      await child.stop('SIGTERM');
    }
  });
});
