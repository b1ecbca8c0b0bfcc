import type { EntityManager } from '@mikro-orm/postgresql';
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
export async function listNotifications(em: EntityManager, userId: string, query: { before?: string; limit: number; unread?: 'true' | 'false'; kind?: NotificationKind }): Promise<Page<NotificationDTO>> {
  const where: Record<string, unknown> = { recipient: userId };
  if (query.before) where.id = { $lt: query.before };
  if (query.unread === 'true') where.readAt = null;
  if (query.kind) where.kind = query.kind;
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
