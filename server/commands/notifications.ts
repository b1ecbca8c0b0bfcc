import type { EntityManager } from '@mikro-orm/postgresql';
import { userStream } from '../../shared/realtime.js';
import type { NotificationDTO } from '../../shared/dto.js';
import { Notification } from '../entities/Notification.js';
import { User } from '../entities/User.js';
import { presentNotification } from '../presenters/notification.js';
import { appendStreamEvent } from '../realtime/streams.js';
import type { PendingEvents } from './transaction.js';
import { pgArray } from '../db/sql.js';
import { deliveryPlanner, type DeliveryRequest } from './deliveryPlanner.js';

export type NotificationInput = {
  recipientId: string;
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  data?: Record<string, unknown> | null;
  urgent?: boolean;
} & DeliveryRequest;

/** Unread notifications of one user. */
export async function unreadCount(em: EntityManager, userId: string): Promise<number> {
  const [row] = await em.execute<{ count: string }[]>(`SELECT count(*) AS count FROM notifications WHERE recipient_id = ? AND read_at IS NULL`, [userId]);
  return Number(row.count);
}

/**
 * Stores a notification, appends it to the recipient's stream and queues its e-mail / SMS
 * deliveries, inside the caller's transaction (see inTransaction); every feature notifies through here.
 */
export async function notificationCreator(tx: EntityManager, events: PendingEvents, input: NotificationInput): Promise<NotificationDTO> {
  const notification = tx.create(Notification, {
    recipient: tx.getReference(User, input.recipientId),
    kind: input.kind,
    title: input.title.slice(0, 200),
    body: input.body ?? '',
    link: input.link ?? null,
    data: input.data ?? null,
    urgent: input.urgent ?? false,
  });
  await tx.flush();
  // E-mail and SMS per the recipient's preferences go into the delivery log in this same transaction.
  await deliveryPlanner(tx, { id: notification.id, recipientId: input.recipientId, kind: notification.kind, urgent: notification.urgent }, { channels: input.channels, occurrenceId: input.occurrenceId });
  const dto = presentNotification(notification);
  // The count is read under the stream lock, so the newest event always carries the right badge.
  events.push(await appendStreamEvent(tx, userStream(input.recipientId), 'notification.created', async () => ({ notification: dto, unreadCount: await unreadCount(tx, input.recipientId) })));
  return dto;
}

/** Marks some of the user's notifications read (ids of others' are ignored) and tells their other devices. */
export async function notificationsReader(tx: EntityManager, events: PendingEvents, userId: string, ids: string[]): Promise<number> {
  const readAt = new Date();
  const rows = await tx.execute<{ id: string }[]>(
    `UPDATE notifications SET read_at = ? WHERE recipient_id = ? AND id = ANY(?::bigint[]) AND read_at IS NULL RETURNING id::text AS id`,
    [readAt, userId, pgArray(ids)],
  );
  if (rows.length === 0) return unreadCount(tx, userId);
  let count = 0;
  events.push(
    await appendStreamEvent(tx, userStream(userId), 'notification.read', async () => {
      count = await unreadCount(tx, userId);
      return { ids: rows.map((r) => String(r.id)), readAt: readAt.toISOString(), unreadCount: count };
    }),
  );
  return count;
}

/** Marks every notification of the user read and tells their other devices. */
export async function notificationsAllReader(tx: EntityManager, events: PendingEvents, userId: string): Promise<number> {
  const readAt = new Date();
  const rows = await tx.execute(`UPDATE notifications SET read_at = ? WHERE recipient_id = ? AND read_at IS NULL RETURNING id`, [readAt, userId]);
  if (rows.length === 0) return unreadCount(tx, userId);
  // Counted under the stream lock: a notification committed since the UPDATE stays unread.
  let count = 0;
  events.push(
    await appendStreamEvent(tx, userStream(userId), 'notification.allRead', async () => {
      count = await unreadCount(tx, userId);
      return { readAt: readAt.toISOString(), unreadCount: count };
    }),
  );
  return count;
}

/** One page of a user's notifications, newest first. */
export async function listNotifications(em: EntityManager, userId: string, query: { before?: string; limit: number; unread?: 'true' | 'false' }) {
  const where: Record<string, unknown> = { recipient: userId };
  if (query.before) where.id = { $lt: query.before };
  if (query.unread === 'true') where.readAt = null;
  const items = await em.find(Notification, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
  const page = items.slice(0, query.limit);
  return { data: page.map(presentNotification), nextCursor: items.length > query.limit ? String(page[page.length - 1].id) : null };
}
