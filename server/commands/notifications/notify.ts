import { defaultPreferences, type NotificationKind } from '../../../shared/notifications.js';
import type { StreamEvent } from '../../../shared/realtime.js';
import type { ReminderChannel } from '../../entities/Reminder.js';
import type { User } from '../../entities/User.js';
import { FANOUT_QUEUE, type FanOutJob } from '../../jobs/queue.js';
import type { CommandContext } from '../context.js';
import { normalised, type Recipients } from './recipients.js';

/** What every recipient of one fan-out gets. */
export type NotificationSpec = {
  kind: NotificationKind;
  title: string;
  body?: string;
  /** A path inside the app the notification opens (`/chat/7?message=9`). */
  link?: string | null;
  /** Data of the notification (each recipient's own `data` is merged in). */
  data?: Record<string, unknown> | null;
  /** Urgent notifications ignore quiet hours. */
  urgent?: boolean;
  /** Channels the command asks for (a reminder's own choice); the recipients' preferences still apply. Absent: the preferences alone. */
  channels?: ReminderChannel[];
  /**
   * The `channels` are the sender's demand, sent whatever the recipients' preferences for the kind
   * (an urgent directive, a step of an escalation ladder the administrator allowed). Quiet hours
   * still apply unless `urgent`; someone without a mobile number still gets a failed SMS in the log.
   */
  insist?: boolean;
};

export type NotifyResult = { recipients: number; queued: boolean };

export type ResolvedRow = { user_id: string; occurrence_id: string | null; data: Record<string, unknown> | null };

/** The SELECT of the active users a selection names, each once, in id order. */
const resolvedSql = (to: Recipients) => `SELECT DISTINCT ON (r.user_id) r.user_id, r.occurrence_id, r.data
  FROM (${normalised(to.sql)}) r JOIN users u ON u.id = r.user_id AND u.active
  ORDER BY r.user_id`;

/** The active users a selection names, each once, in id order. */
export async function resolveRecipients(cx: CommandContext<User | null>, to: Recipients): Promise<ResolvedRow[]> {
  return cx.em.execute<ResolvedRow[]>(`SELECT r.user_id::text AS user_id, r.occurrence_id::text AS occurrence_id, r.data FROM (${resolvedSql(to)}) r`, to.params);
}

/**
 * Up to `limit` + 1 rows of the selection as they come (no sorting, duplicates included): when there
 * are no more than `limit`, they are all of its active users (returned once each, in id order);
 * otherwise the selection is large (`rows` is null) and nothing more was read.
 */
async function probeRecipients(cx: CommandContext<User | null>, to: Recipients, limit: number): Promise<ResolvedRow[] | null> {
  const rows = await cx.em.execute<ResolvedRow[]>(
    `SELECT r.user_id::text AS user_id, r.occurrence_id::text AS occurrence_id, r.data FROM (${normalised(to.sql)}) r JOIN users u ON u.id = r.user_id AND u.active LIMIT ?`,
    [...to.params, limit + 1],
  );
  if (rows.length > limit) return null;
  const once = new Map<string, ResolvedRow>();
  for (const row of rows) if (!once.has(String(row.user_id))) once.set(String(row.user_id), { ...row, user_id: String(row.user_id) });
  return [...once.values()].sort((a, b) => (BigInt(a.user_id) < BigInt(b.user_id) ? -1 : 1));
}

/**
 * Notifies many people of one thing — the one way anything notifies anyone. Per recipient a
 * notification is stored, pushed on their stream `user:<id>` (with their new unread count), and
 * its e-mail / SMS / push (one per subscribed device) planned in the delivery log per their
 * preferences for the kind and deferred to the end of their quiet hours unless urgent; the dispatcher sends them after the commit.
 *
 * The work is a fixed number of statements whatever the number of recipients: one resolves them
 * (active users, each once), one moves all their stream heads, one writes the notifications, the
 * deliveries and the stream events (an INSERT … SELECT each, in one statement). Above
 * `settings.fanOutChunkSize` recipients it is handed to background jobs instead, in parts of that
 * size committed with the caller's transaction, so that a request never holds a long transaction
 * (see fanOutChunkDeliverer: each part is written exactly once, whichever process runs it); the
 * first statement then reads only one row more than a part holds, and the parts are written from
 * the selection by one INSERT … SELECT, so thousands of recipients never travel to this process.
 */
export async function notify(cx: CommandContext<User | null>, to: Recipients, spec: NotificationSpec): Promise<NotifyResult> {
  // One row more than a part holds tells the two roads apart without bringing thousands of rows here.
  const rows = await probeRecipients(cx, to, cx.settings.fanOutChunkSize);
  const stored = storedSpec(spec);
  if (rows === null) {
    const queued = await queueChunks(cx, stored, to);
    return { recipients: queued, queued: queued > 0 };
  }
  if (rows.length === 0) return { recipients: 0, queued: false };
  cx.events.push(...(await writeNotifications(cx, stored, rows)));
  return { recipients: rows.length, queued: false };
}

/** A spec as stored in a queued part: everything filled in and bounded. */
export type StoredSpec = Required<Omit<NotificationSpec, 'channels' | 'insist'>> & { channels: ReminderChannel[] | null; insist?: boolean };

function storedSpec(spec: NotificationSpec): StoredSpec {
  return {
    kind: spec.kind,
    title: spec.title.slice(0, 200),
    body: spec.body ?? '',
    link: spec.link ?? null,
    data: spec.data ?? null,
    urgent: spec.urgent ?? false,
    channels: spec.channels ?? null,
    insist: (spec.insist ?? false) && spec.channels !== undefined,
  };
}

/** Parts of a large fan-out: rows of `fanout_chunks` written from the selection in one statement, and one job each, in the caller's transaction. Returns how many recipients they hold. */
async function queueChunks(cx: CommandContext<User | null>, spec: StoredSpec, to: Recipients): Promise<number> {
  const chunks = await cx.em.execute<{ id: string; n: number }[]>(
    `WITH r AS (
       SELECT r.*, (row_number() OVER (ORDER BY r.user_id) - 1) / ?::int AS part FROM (${resolvedSql(to)}) r
     )
     INSERT INTO fanout_chunks (spec, recipients, offered_at, created_at)
     SELECT ?::jsonb, jsonb_agg(jsonb_build_object('user_id', user_id, 'occurrence_id', occurrence_id, 'data', data) ORDER BY user_id), now(), now()
     FROM r GROUP BY part ORDER BY part
     RETURNING id::text AS id, jsonb_array_length(recipients) AS n`,
    [cx.settings.fanOutChunkSize, ...to.params, JSON.stringify(spec)],
  );
  await cx.jobs.insert(chunks.map((c) => ({ name: FANOUT_QUEUE, data: { chunkId: c.id } satisfies FanOutJob })));
  return chunks.reduce((sum, c) => sum + Number(c.n), 0);
}

/**
 * Writes the notifications of resolved recipients (at most one chunk): their heads first, so that
 * each head is locked before the unread counts are read (the statement after sees every
 * transaction that appended to these streams before), then notifications, deliveries and events.
 */
export async function writeNotifications(cx: CommandContext<User | null>, spec: StoredSpec, rows: ResolvedRow[]): Promise<StreamEvent<'user'>[]> {
  const recipients = JSON.stringify(rows);
  // In stream order, the order every fan-out and batch takes head locks in.
  await cx.em.execute(
    `INSERT INTO stream_heads (stream, last_seq)
     SELECT 'user:' || r.user_id, 1 FROM jsonb_to_recordset(?::jsonb) AS r(user_id bigint) ORDER BY 1
     ON CONFLICT (stream) DO UPDATE SET last_seq = stream_heads.last_seq + 1`,
    [recipients],
  );
  const at = new Date();
  const atIso = at.toISOString();
  const events = await cx.em.execute<{ stream: string; seq: string; payload: StreamEvent<'user'>['data'] }[]>(
    `WITH r AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(user_id bigint, occurrence_id bigint, data jsonb)
     ), spec AS (
       SELECT ?::text AS kind, ?::text AS title, ?::text AS body, ?::text AS link, ?::jsonb AS data, ?::boolean AS urgent,
              ?::text[] AS channels, ?::jsonb AS default_preference, ?::timestamptz AS at, ?::boolean AS insist
     ), n AS (
       INSERT INTO notifications (recipient_id, kind, title, body, link, data, urgent, created_at)
       SELECT r.user_id, spec.kind, spec.title, spec.body, spec.link,
              CASE WHEN r.data IS NULL THEN spec.data ELSE coalesce(spec.data, '{}'::jsonb) || r.data END, spec.urgent, spec.at
       FROM r, spec ORDER BY r.user_id
       RETURNING id, recipient_id, data
     ), planned AS (
       INSERT INTO deliveries (notification_id, occurrence_id, recipient_id, channel, push_subscription_id, provider, address, status, last_error, not_before, queued_at, failed_at, updated_at)
       SELECT n.id, r.occurrence_id, n.recipient_id, c.channel, c.subscription_id, 'pending', coalesce(c.address, ''),
              CASE WHEN c.address IS NULL THEN 'failed' ELSE 'queued' END,
              CASE WHEN c.address IS NULL THEN 'The recipient has no mobile number' END,
              CASE WHEN spec.urgent OR s.quiet_hours IS NULL THEN spec.at ELSE quiet_hours_end(spec.at, u.time_zone, s.quiet_hours) END,
              spec.at, CASE WHEN c.address IS NULL THEN spec.at END, spec.at
       FROM n JOIN r ON r.user_id = n.recipient_id CROSS JOIN spec
       JOIN users u ON u.id = n.recipient_id
       LEFT JOIN notification_settings s ON s.user_id = n.recipient_id
       -- E-mail, SMS, and a push to each device subscribed in a sign-in that is still valid (the row names the device).
       CROSS JOIN LATERAL (
         VALUES ('email', u.email, NULL::bigint), ('sms', u.mobile, NULL::bigint)
         UNION ALL
         SELECT 'push', ps.label, ps.id FROM push_subscriptions ps JOIN sessions se ON se.id = ps.session_id AND se.expires_at > spec.at
         WHERE ps.user_id = n.recipient_id
       ) AS c(channel, address, subscription_id)
       -- A kind the user set, else the default; a channel their saved choice predates (push) takes the default too.
       -- A command that insists (an escalation step) sends its e-mail / SMS whatever the preferences.
       WHERE ((spec.insist AND c.channel <> 'push') OR coalesce((s.preferences -> spec.kind ->> c.channel)::boolean, (spec.default_preference ->> c.channel)::boolean, false))
         -- A command's channels (a reminder's choice) narrow e-mail and SMS; push goes with the in-app notification.
         AND (spec.channels IS NULL OR c.channel = 'push' OR c.channel = ANY(spec.channels))
     ), e AS (
       INSERT INTO stream_events (stream, seq, type, payload, created_at)
       SELECT h.stream, h.last_seq, 'notification.created',
              jsonb_build_object(
                'notification', jsonb_build_object('id', n.id::text, 'kind', spec.kind, 'title', spec.title, 'body', spec.body, 'link', spec.link,
                                                   'data', n.data, 'urgent', spec.urgent, 'readAt', NULL::text, 'createdAt', ?::text),
                -- Read under the head lock taken by the statement before; the new notification is not visible to it yet.
                'unreadCount', 1 + (SELECT count(*) FROM notifications x WHERE x.recipient_id = n.recipient_id AND x.read_at IS NULL)),
              spec.at
       FROM n CROSS JOIN spec JOIN stream_heads h ON h.stream = 'user:' || n.recipient_id
       RETURNING stream, seq, payload
     )
     SELECT stream, seq, payload FROM e`,
    [
      recipients,
      spec.kind, spec.title, spec.body, spec.link, spec.data === null ? null : JSON.stringify(spec.data), spec.urgent,
      spec.channels === null ? null : `{${spec.channels.join(',')}}`, JSON.stringify(defaultPreferences[spec.kind] ?? { email: true, sms: false, push: true }), at, spec.insist ?? false,
      atIso,
    ],
  );
  return events.map((row) => ({ stream: row.stream as `user:${string}`, seq: Number(row.seq), type: 'notification.created', data: row.payload, at: atIso }) as StreamEvent<'user'>);
}
