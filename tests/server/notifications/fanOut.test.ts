import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { defaultPreferences } from '../../../shared/notifications.js';
import { CommandRunner } from '../../../server/commands/context.js';
import { notify } from '../../../server/commands/notifications/notify.js';
import { recipients } from '../../../server/commands/notifications/recipients.js';
import { openOrm } from '../../../server/db/orm.js';
import { RealtimeEmitter } from '../../../server/realtime/emitter.js';
import { seedCrowd, settingsOf, type CrowdMember } from '../../support/crowd.js';
import { startCountingCluster, type CountingCluster } from '../../support/statementCounter.js';
import { quietHoursEnd } from '../deliveries/quietHoursReference.js';

let cluster: CountingCluster;
let db: pg.Client;
let orm: MikroORM;
let members: CrowdMember[];
let runner: CommandRunner;

beforeAll(async () => {
  cluster = await startCountingCluster();
  db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  ({ members } = await seedCrowd(db, { users: 5000, departments: 300 }));
  // One connection, opened before counting: a new connection's own set-up statements are not the fan-out's.
  orm = await openOrm(cluster.databaseUrl, { poolMax: 1 });
  await orm.em.fork().execute('SELECT 1');
  // No sockets and no job queue here: everything below must be written inline, in the caller's transaction.
  runner = new CommandRunner({
    emitter: new RealtimeEmitter(),
    boss: () => {
      throw new Error('this test notifies inline only');
    },
    settings: { fanOutChunkSize: 10_000 },
  });
}, 120_000);
afterAll(async () => {
  await orm?.close();
  await db?.end();
  await cluster?.stop();
});

/** Notifies the first `n` members of the crowd with one system message, counting the statements. */
async function fanOut(n: number) {
  const to = recipients.sql(`SELECT id AS user_id FROM users WHERE email LIKE 'crowd%' ORDER BY id LIMIT ?`, [n]);
  return cluster.count(() => runner.run(orm.em.fork(), null, (cx) => notify(cx, to, { kind: 'system', title: `fan-out ${n}`, body: 'to many', link: '/notifications' })));
}

describe('notify', () => {
  it('issues the same few statements for 10, 1,000 and 5,000 recipients (counted by pg_stat_statements)', async () => {
    const counts: Record<number, number> = {};
    for (const n of [10, 1000, 5000]) {
      const { statements, result } = await fanOut(n);
      expect(result).toEqual({ recipients: n, queued: false });
      counts[n] = statements;
    }
    // BEGIN, recipients, stream heads, notifications + deliveries + events, COMMIT.
    expect(counts).toEqual({ 10: 5, 1000: 5, 5000: 5 });
  });

  it('gives every recipient exactly one notification, one event with their unread count, and the deliveries their preferences and quiet hours call for', async () => {
    const { rows: notes } = await db.query<{ recipient_id: string; n: number; id: string; created_at: Date }>(
      `SELECT recipient_id::text AS recipient_id, count(*)::int AS n, max(id)::text AS id, max(created_at) AS created_at FROM notifications WHERE title = 'fan-out 5000' GROUP BY recipient_id`,
    );
    expect(notes.length).toBe(5000);
    expect(notes.every((row) => row.n === 1)).toBe(true);
    expect(new Set(notes.map((row) => row.recipient_id))).toEqual(new Set(members.map((m) => m.id)));
    const createdAt = new Date(notes[0].created_at);

    // The stream event of each: the notification, and the unread count after it (3 for the first 10, who got all three fan-outs).
    const { rows: events } = await db.query<{ stream: string; seq: string; last_seq: string; payload: any }>(
      `SELECT e.stream, e.seq, h.last_seq, e.payload FROM stream_events e JOIN stream_heads h ON h.stream = e.stream
       WHERE e.type = 'notification.created' AND e.payload #>> '{notification,title}' = 'fan-out 5000'`,
    );
    expect(events.length).toBe(5000);
    const noteOf = new Map(notes.map((row) => [row.recipient_id, row.id]));
    members.forEach((member, index) => {
      const event = events.find((e) => e.stream === `user:${member.id}`)!;
      expect(event.seq).toBe(event.last_seq);
      expect(event.payload).toEqual({
        notification: { id: noteOf.get(member.id), kind: 'system', title: 'fan-out 5000', body: 'to many', link: '/notifications', data: null, urgent: false, readAt: null, createdAt: createdAt.toISOString() },
        unreadCount: index < 10 ? 3 : index < 1000 ? 2 : 1,
      });
    });

    // Deliveries as the rules say, member by member (the quiet hours computed by the JavaScript reference).
    const expected: string[] = [];
    members.forEach((member, index) => {
      const settings = settingsOf(index);
      const preference = settings?.preferences.system ?? defaultPreferences.system;
      const notBefore = quietHoursEnd(createdAt, member.timeZone, settings?.quiet_hours ?? null).toISOString();
      if (preference.email) expected.push(`${member.id} email queued ${member.email} ${notBefore}`);
      if (preference.sms) expected.push(member.mobile ? `${member.id} sms queued ${member.mobile} ${notBefore}` : `${member.id} sms failed  ${notBefore}`);
    });
    const { rows: deliveries } = await db.query<{ line: string }>(
      `SELECT d.recipient_id || ' ' || d.channel || ' ' || d.status || ' ' || d.address || ' ' || to_char(d.not_before AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS line
       FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.title = 'fan-out 5000'`,
    );
    expect(deliveries.map((d) => d.line).sort()).toEqual(expected.sort());
    // The rules were exercised: some e-mail deferred by quiet hours, some SMS, some failed for want of a number.
    expect(expected.some((line) => !line.endsWith(createdAt.toISOString()))).toBe(true);
    expect(expected.filter((line) => line.includes(' sms queued ')).length).toBeGreaterThan(0);
    expect(expected.filter((line) => line.includes(' sms failed ')).length).toBeGreaterThan(0);
  });

  it('leaves out deactivated users and names each recipient once, whatever the selection repeats', async () => {
    const [first, second, gone] = members;
    await db.query(`UPDATE users SET active = false WHERE id = $1`, [gone.id]);
    const to = recipients.union(recipients.users([first.id, first.id, gone.id]), recipients.sql(`SELECT id AS user_id FROM users WHERE id = ANY(?::bigint[])`, [`{${first.id},${second.id}}`]));
    const result = await runner.run(orm.em.fork(), null, (cx) => notify(cx, to, { kind: 'system', title: 'once each' }));
    expect(result).toEqual({ recipients: 2, queued: false });
    const { rows } = await db.query<{ recipient_id: string }>(`SELECT recipient_id::text AS recipient_id FROM notifications WHERE title = 'once each' ORDER BY recipient_id`);
    expect(rows.map((r) => r.recipient_id)).toEqual([first.id, second.id].sort());
  });
});
