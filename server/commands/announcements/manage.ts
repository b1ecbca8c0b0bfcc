import { announcementStream, MANUAL_REMIND_INTERVAL_MS, type EscalationLadder } from '../../../shared/announcements.js';
import type { User } from '../../entities/User.js';
import { AppError, conflict, rateLimited } from '../../errors.js';
import { announcementJob } from '../../jobs/queue.js';
import { requireAnnouncementManager, requireVisibleAnnouncement } from '../../policies/announcements.js';
import { appendEvent, type CommandContext } from '../context.js';
import { notifyRevision, notifyUnacknowledged, type NoticeSource } from './notices.js';
import { checkBody, scheduleLadder } from './publish.js';

type SourceRow = { id: string; title: string; body_text: string; category: string; priority: NoticeSource['priority']; requires_ack: boolean; ack_version: number | null; escalation: EscalationLadder | null };

async function noticeSource(cx: CommandContext<User | null>, id: string): Promise<NoticeSource & { escalation: EscalationLadder | null }> {
  const [a] = await cx.em.execute<SourceRow[]>(
    `SELECT id::text AS id, title, body_text, category, priority, requires_ack, ack_version, escalation FROM announcements WHERE id = ?`,
    [id],
  );
  return { id: a.id, title: a.title, bodyText: a.body_text, category: a.category, priority: a.priority, requiresAck: a.requires_ack, ackVersion: a.ack_version, escalation: a.escalation };
}

/**
 * Processes an announcement's expiry once it is due: its e-mail and SMS still waiting (quiet hours,
 * retries) are cancelled and its ladder stops (steps still due are closed unsent). Returns false
 * when it is not due, or was processed already.
 */
export async function announcementExpirer(cx: CommandContext<User | null>, id: string): Promise<boolean> {
  const now = cx.clock.now();
  const rows = await cx.em.execute(
    `UPDATE announcements SET expired_at = ?, updated_at = ? WHERE id = ? AND status = 'published' AND expired_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ? RETURNING 1`,
    [now, now, id, now],
  );
  if (rows.length === 0) return false;
  await cx.em.execute(
    `UPDATE deliveries d SET status = 'cancelled', last_error = 'Not sent: the announcement expired first', updated_at = now()
     FROM notifications n
     WHERE n.kind = 'announcement' AND n.data->>'announcementId' = ? AND d.notification_id = n.id AND d.status = 'queued' AND (d.claimed_until IS NULL OR d.claimed_until < now())`,
    [id],
  );
  await cx.em.execute(`UPDATE announcement_escalations SET fired_at = ?, notified = 0 WHERE announcement_id = ? AND fired_at IS NULL`, [now, id]);
  await appendEvent(cx, announcementStream(id), 'ledger.changed', { change: 'expired' });
  return true;
}

/** Pins or unpins an announcement, or moves its expiry (an expiry now or earlier takes effect at once). */
export async function announcementUpdater(cx: CommandContext, id: string, input: { pinned?: boolean; expiresAt?: string | null }): Promise<void> {
  const a = await requireVisibleAnnouncement(cx.em, cx.actor, id, { lock: true });
  requireAnnouncementManager(cx.actor, a);
  const now = cx.clock.now();
  if (input.pinned !== undefined) await cx.em.execute(`UPDATE announcements SET pinned = ?, updated_at = ? WHERE id = ?`, [input.pinned, now, id]);
  if (input.expiresAt !== undefined) {
    const expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt);
    const [current] = await cx.em.execute<{ expired_at: Date | null; publish_at: Date | null }[]>(`SELECT expired_at, publish_at FROM announcements WHERE id = ?`, [id]);
    if (current.expired_at) throw conflict('The announcement has expired; its expiry cannot move any more');
    if (expiresAt && current.publish_at && expiresAt.getTime() <= new Date(current.publish_at).getTime()) {
      throw new AppError(400, 'validation_failed', 'The request is not valid: expiresAt: must be after the publication', [{ path: 'expiresAt', code: 'before_publish', message: 'must be after the publication' }]);
    }
    // A time already past means "expire it now".
    const at = expiresAt && expiresAt.getTime() < now.getTime() ? now : expiresAt;
    await cx.em.execute(`UPDATE announcements SET expires_at = ?, updated_at = ? WHERE id = ?`, [at, now, id]);
    if (at && a.status === 'published' && at.getTime() <= now.getTime()) await announcementExpirer(cx, id);
    else if (at) await cx.jobs.insert([announcementJob({ task: 'expire', announcementId: id }, at)]);
  }
}

/**
 * A new version of a policy: the current text becomes the next version (the earlier ones stay
 * readable), every recipient is told, and when the publisher asks, everyone must acknowledge the new
 * version again — its ladder, if it has one, starts over for that version.
 */
export async function announcementReviser(cx: CommandContext, id: string, input: { title?: string; body: unknown; requireReacknowledge: boolean }): Promise<number> {
  const a = await requireVisibleAnnouncement(cx.em, cx.actor, id, { lock: true });
  requireAnnouncementManager(cx.actor, a);
  if (a.category !== 'policy') throw conflict('Only policies have versions; publish a new notice or directive instead');
  if (a.status !== 'published') throw conflict('A scheduled policy is not published yet; there is nothing to revise');
  const now = cx.clock.now();
  if (a.expiresAt && a.expiresAt.getTime() <= now.getTime()) throw conflict('The policy has expired');
  if (input.requireReacknowledge && !a.requiresAck) throw new AppError(400, 'validation_failed', 'The request is not valid: requireReacknowledge: the policy does not ask to be acknowledged', [{ path: 'requireReacknowledge', code: 'needs_acknowledgement', message: 'the policy does not ask to be acknowledged' }]);
  const { body, bodyText } = checkBody(input.body);
  const version = a.version + 1;
  const [current] = await cx.em.execute<{ title: string }[]>(`SELECT title FROM announcements WHERE id = ?`, [id]);
  const title = input.title ?? current.title;
  await cx.em.execute(`INSERT INTO announcement_versions (announcement_id, version, title, body, body_text, requires_reacknowledge, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
    id, version, title, JSON.stringify(body), bodyText, input.requireReacknowledge, cx.actor.id, now,
  ]);
  await cx.em.execute(
    `UPDATE announcements SET version = ?, title = ?, body = ?, body_text = ?, ack_version = CASE WHEN ? THEN ? ELSE ack_version END, updated_at = ? WHERE id = ?`,
    [version, title, JSON.stringify(body), bodyText, input.requireReacknowledge, version, now, id],
  );
  const source = await noticeSource(cx, id);
  if (input.requireReacknowledge) {
    // The old ladder chased the old version: its steps not yet fired are dropped (their jobs find nothing).
    await cx.em.execute(`DELETE FROM announcement_escalations WHERE announcement_id = ? AND fired_at IS NULL`, [id]);
    if (source.escalation) await scheduleLadder(cx, id, source.escalation, version, now);
  }
  await notifyRevision(cx, source, version, input.requireReacknowledge);
  await appendEvent(cx, announcementStream(id), 'ledger.changed', { change: 'revised' });
  return version;
}

/**
 * The publisher (or an administrator) reminds everyone who has not acknowledged, by hand, on one
 * channel: at most once every 5 minutes per announcement (429 with the wait otherwise), counted in
 * the announcement's row so that two servers cannot both let one through.
 */
export async function announcementReminder(cx: CommandContext, id: string, channel: 'app' | 'email' | 'sms'): Promise<{ reminded: number }> {
  const a = await requireVisibleAnnouncement(cx.em, cx.actor, id, { lock: true });
  requireAnnouncementManager(cx.actor, a);
  const now = cx.clock.now();
  if (!a.requiresAck || a.status !== 'published') throw conflict('Only a published announcement that asks to be acknowledged can be reminded of');
  if (a.expiresAt && a.expiresAt.getTime() <= now.getTime()) throw conflict('The announcement has expired');
  if (a.lastRemindedAt && now.getTime() - a.lastRemindedAt.getTime() < MANUAL_REMIND_INTERVAL_MS) {
    throw rateLimited(Math.ceil((a.lastRemindedAt.getTime() + MANUAL_REMIND_INTERVAL_MS - now.getTime()) / 1000));
  }
  await cx.em.execute(`UPDATE announcements SET last_reminded_at = ?, updated_at = ? WHERE id = ?`, [now, now, id]);
  const reminded = await notifyUnacknowledged(cx, await noticeSource(cx, id), channel, { manual: true });
  await appendEvent(cx, announcementStream(id), 'ledger.changed', { change: 'reminded' });
  return { reminded };
}
