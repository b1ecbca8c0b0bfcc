import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { defaultPreferences } from '../../../shared/notifications.js';
import { CommandRunner } from '../../../server/commands/context.js';
import { notify } from '../../../server/commands/notifications/notify.js';
import { recipients } from '../../../server/commands/notifications/recipients.js';
import { openOrm } from '../../../server/db/orm.js';
import { RealtimeEmitter } from '../../../server/realtime/emitter.js';
import { readStreamsEvents } from '../../../server/realtime/streams.js';
import { followableStreams } from '../../../server/policies/streams.js';
import { User } from '../../../server/entities/User.js';
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

  it('the catch-up of a reconnecting client checks and reads 10 or 200 streams with the same statements', async () => {
    const reader = members[10];
    const { rows: conversations } = await db.query<{ id: string }>(
      `INSERT INTO conversations (kind, name, created_by_id, created_at, last_message_at, member_count) SELECT 'group', 'sync ' || i, $1, now(), now(), 1 FROM generate_series(1, 100) i RETURNING id::text AS id`,
      [reader.id],
    );
    await db.query(`INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) SELECT unnest($1::bigint[]), $2, 'owner', now()`, [conversations.map((c) => c.id), reader.id]);
    const { rows: customers } = await db.query<{ id: string }>(
      `INSERT INTO customers (name, type, tier_rank, address, notes, created_by_id, created_at, updated_at) SELECT 'sync ' || i, 'partner', 7, '', '', $1, now(), now() FROM generate_series(1, 100) i RETURNING id::text AS id`,
      [reader.id],
    );
    const streams = [...conversations.map((c) => `conversation:${c.id}`), ...customers.map((c) => `customer:${c.id}`)];
    const user = (await orm.em.fork().findOneOrFail(User, reader.id)) as User;
    // What `sync` does: the policies of each kind of stream asked about, then the events of those allowed.
    const catchUp = (asked: string[]) =>
      cluster.count(async () => {
        const em = orm.em.fork();
        const allowed = await followableStreams(em, user, [...asked, `user:${reader.id}`]);
        return readStreamsEvents(em, [...allowed].map((stream) => ({ stream, afterSeq: 0 })), 2000);
      });
    const few = await catchUp([...streams.slice(0, 5), ...streams.slice(100, 105)]);
    const many = await catchUp(streams);
    expect(few.statements).toBe(3);
    expect(many.statements).toBe(3);
    // The user's own stream holds the notifications of the two fan-outs above that reached them.
    expect(many.result.events.filter((e) => e.stream === `user:${reader.id}`).map((e) => e.type)).toEqual(['notification.created', 'notification.created']);
  });
});
