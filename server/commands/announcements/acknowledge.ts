import { announcementStream } from '../../../shared/announcements.js';
import { userStream } from '../../../shared/realtime.js';
import { conflict, forbidden } from '../../errors.js';
import { requireVisibleAnnouncement } from '../../policies/announcements.js';
import { appendEvent, type CommandContext } from '../context.js';
import { notificationsReader } from '../notifications/read.js';

/** The user's unread notifications about their copy of one announcement (not those telling a head about their people). */
async function unreadNoticeIds(cx: CommandContext, announcementId: string): Promise<string[]> {
  const rows = await cx.em.execute<{ id: string }[]>(
    `SELECT id::text AS id FROM notifications WHERE kind = 'announcement' AND data->>'announcementId' = ? AND recipient_id = ? AND read_at IS NULL AND data->>'event' IS DISTINCT FROM 'head'`,
    [announcementId, cx.actor.id],
  );
  return rows.map((r) => r.id);
}

/**
 * The recipient opened the announcement: their first read is recorded (once), and its notifications
 * are marked read on all their devices. Anyone else who may see it (publisher, administrators) reads
 * it without a trace in the ledger.
 */
export async function announcementReader(cx: CommandContext, id: string): Promise<void> {
  const a = await requireVisibleAnnouncement(cx.em, cx.actor, id);
  if (!a.recipient) return;
  const now = cx.clock.now();
  const first = await cx.em.execute(`UPDATE announcement_recipients SET first_read_at = ? WHERE announcement_id = ? AND user_id = ? AND first_read_at IS NULL RETURNING 1`, [now, id, cx.actor.id]);
  if (first.length) {
    await appendEvent(cx, userStream(cx.actor.id), 'announcement.read', { announcementId: id, at: now.toISOString() });
    await appendEvent(cx, announcementStream(id), 'ledger.changed', { change: 'read' });
  }
  const unread = await unreadNoticeIds(cx, id);
  if (unread.length) await notificationsReader(cx, unread);
}

/**
 * A recipient acknowledges (确认) the version that counts, optionally with a short reply. Doing it
 * again changes nothing (the first acknowledgement and its reply stay). Their e-mail and SMS about
 * it that have not gone out yet (deferred by quiet hours, or a later step) are cancelled, and its
 * notifications marked read. Only one's own copy can be acknowledged: someone who sees the
 * announcement without being a recipient is refused (403), anyone else does not find it (404).
 */
export async function announcementAcknowledger(cx: CommandContext, id: string, reply: string | undefined): Promise<{ acknowledgedAt: string; version: number; changed: boolean }> {
  const a = await requireVisibleAnnouncement(cx.em, cx.actor, id);
  if (!a.recipient) throw forbidden('Only its recipients acknowledge an announcement, each their own copy');
  if (!a.requiresAck || a.ackVersion === null) throw conflict('This announcement does not ask to be acknowledged');
  const now = cx.clock.now();
  const updated = await cx.em.execute<{ acknowledged_version: number }[]>(
    `UPDATE announcement_recipients SET acknowledged_at = ?, acknowledged_version = ?, reply = ?, first_read_at = coalesce(first_read_at, ?)
     WHERE announcement_id = ? AND user_id = ? AND (acknowledged_version IS NULL OR acknowledged_version < ?)
     RETURNING acknowledged_version`,
    [now, a.ackVersion, reply?.trim() || null, now, id, cx.actor.id, a.ackVersion],
  );
  if (updated.length === 0) {
    const [current] = await cx.em.execute<{ acknowledged_at: Date; acknowledged_version: number }[]>(
      `SELECT acknowledged_at, acknowledged_version FROM announcement_recipients WHERE announcement_id = ? AND user_id = ?`,
      [id, cx.actor.id],
    );
    return { acknowledgedAt: new Date(current.acknowledged_at).toISOString(), version: current.acknowledged_version, changed: false };
  }
  // Not a row a dispatcher holds right now: that one is on the wire, and its outcome will be recorded.
  await cx.em.execute(
    `UPDATE deliveries d SET status = 'cancelled', last_error = 'Not sent: acknowledged before it went out', updated_at = now()
     FROM notifications n
     WHERE n.kind = 'announcement' AND n.data->>'announcementId' = ? AND n.recipient_id = ? AND n.data->>'event' IS DISTINCT FROM 'head' AND d.notification_id = n.id
       AND d.status = 'queued' AND (d.claimed_until IS NULL OR d.claimed_until < now())`,
    [id, cx.actor.id],
  );
  await appendEvent(cx, userStream(cx.actor.id), 'announcement.acknowledged', { announcementId: id, version: a.ackVersion, at: now.toISOString() });
  await appendEvent(cx, announcementStream(id), 'ledger.changed', { change: 'acknowledged' });
  const unread = await unreadNoticeIds(cx, id);
  if (unread.length) await notificationsReader(cx, unread);
  return { acknowledgedAt: now.toISOString(), version: a.ackVersion, changed: true };
}
