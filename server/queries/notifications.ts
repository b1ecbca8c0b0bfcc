import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedQuery } from '../db/prepared.js';
import type { NotificationDTO, Page } from '../../shared/dto.js';
import type { DeliveryDTO, NotificationSettingsDTO } from '../../shared/reminders.js';
import { defaultPreferences, type NotificationKind } from '../../shared/notifications.js';
import { Notification } from '../entities/Notification.js';
import { NotificationSettings } from '../entities/NotificationSettings.js';
import { presentNotification, presentNotificationSettings } from '../presenters/notification.js';
import { presentDelivery, type DeliveryRow } from '../presenters/reminder.js';
import { deliveryColumns } from './deliveries.js';
import { pageOf } from './pagination.js';

/** Unread notifications of one user. */
export async function unreadCount(em: EntityManager, userId: string): Promise<number> {
  const [row] = await em.execute<{ count: string }[]>(`SELECT count(*) AS count FROM notifications WHERE recipient_id = ? AND read_at IS NULL`, [userId]);
  return Number(row.count);
}

/** One page of a user's notifications, newest first (the cursor is the last one's id, for `before`). */
export async function listNotifications(em: EntityManager, userId: string, query: { before?: string; limit: number; unread?: 'true' | 'false' }): Promise<Page<NotificationDTO>> {
  const where: Record<string, unknown> = { recipient: userId };
  if (query.before) where.id = { $lt: query.before };
  if (query.unread === 'true') where.readAt = null;
  const rows = await em.find(Notification, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
  return pageOf(rows, query.limit, (page) => page.map(presentNotification), (n) => String(n.id));
}

/** The user's delivery choices per kind of notification and quiet hours. */
export async function notificationSettings(em: EntityManager, userId: string): Promise<NotificationSettingsDTO> {
  return presentNotificationSettings(await em.findOne(NotificationSettings, { user: userId }), defaultPreferences);
}

/** How one of the user's notifications reached them, or null when it is not theirs. */
export async function notificationDeliveries(em: EntityManager, userId: string, notificationId: string): Promise<{ app: 'delivered'; deliveries: DeliveryDTO[] } | null> {
  const owned = await em.execute(`SELECT 1 FROM notifications WHERE id = ? AND recipient_id = ?`, [notificationId, userId]);
  if (owned.length === 0) return null;
  const rows = await em.execute<DeliveryRow[]>(`SELECT ${deliveryColumns} FROM deliveries d WHERE d.notification_id = ? ORDER BY d.channel`, [notificationId]);
  return { app: 'delivered', deliveries: rows.map(presentDelivery) };
}

/**
 * The newest unread notifications of each of the given kinds, at most `perKind` of each, newest
 * first, in one statement (the workbench's mentions, fired reminders and annotations); `about` keeps
 * only those of a kind whose data names a key (annotations about a report: `reportId`).
 */
export async function unreadNotificationsOfKinds(
  em: EntityManager,
  userId: string,
  kinds: NotificationKind[],
  perKind: number,
  about: { kind: NotificationKind; key: string } | null = null,
): Promise<Map<NotificationKind, NotificationDTO[]>> {
  const rows = await preparedQuery<{ id: string; kind: NotificationKind; title: string; body: string; link: string | null; data: Record<string, unknown> | null; urgent: boolean; read_at: Date | null; created_at: Date }>(
    em,
    `SELECT n.id::text AS id, n.kind, n.title, n.body, n.link, n.data, n.urgent, n.read_at, n.created_at FROM (
       SELECT n.*, row_number() OVER (PARTITION BY n.kind ORDER BY n.id DESC) AS place FROM notifications n
       WHERE n.recipient_id = ? AND n.read_at IS NULL AND n.kind = ANY(?::text[]) AND (n.kind <> ? OR n.data->>(?::text) IS NOT NULL)) n
     WHERE n.place <= ? ORDER BY n.id DESC`,
    [userId, `{${kinds.join(',')}}`, about?.kind ?? '', about?.key ?? '', perKind],
  );
  const out = new Map<NotificationKind, NotificationDTO[]>(kinds.map((k) => [k, []]));
  for (const r of rows) {
    out.get(r.kind)!.push(presentNotification({ id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link ?? undefined, data: r.data ?? undefined, urgent: r.urgent, readAt: r.read_at ? new Date(r.read_at) : undefined, createdAt: new Date(r.created_at) }));
  }
  return out;
}
