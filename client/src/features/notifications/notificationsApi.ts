import type { NotificationDTO, Page } from '../../../../shared/dto';
import { api } from '../../api/http';

export type NotificationPage = Page<NotificationDTO> & { unreadCount: number };

/** One page of the user's notifications, newest first, with the unread count. */
export function fetchNotifications(before?: string, limit = 20): Promise<NotificationPage> {
  return api.get<NotificationPage>('/api/notifications', { before, limit });
}

/** Marks notifications read on every device; answers the new unread count. */
export function markNotificationsRead(ids: string[]): Promise<{ unreadCount: number }> {
  return api.post('/api/notifications/read', { ids });
}

/** Marks everything read. */
export function markAllNotificationsRead(): Promise<{ unreadCount: number }> {
  return api.post('/api/notifications/read-all');
}
