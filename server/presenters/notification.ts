import type { NotificationDTO } from '../../shared/dto.js';
import { notificationKinds, type NotificationKind } from '../../shared/notifications.js';
import type { NotificationSettingsDTO } from '../../shared/reminders.js';
import type { Notification } from '../entities/Notification.js';
import type { ChannelPreference, NotificationSettings } from '../entities/NotificationSettings.js';

/** A notification as its recipient sees it (from its entity, or a row with the same fields). */
export function presentNotification(n: Pick<Notification, 'id' | 'kind' | 'title' | 'body' | 'link' | 'data' | 'urgent' | 'readAt' | 'createdAt'>): NotificationDTO {
  return {
    id: String(n.id),
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: n.link ?? null,
    data: n.data ?? null,
    urgent: n.urgent,
    readAt: n.readAt ? n.readAt.toISOString() : null,
    createdAt: n.createdAt.toISOString(),
  };
}

/** A user's delivery choices, every kind listed (the defaults where they chose nothing). */
export function presentNotificationSettings(settings: NotificationSettings | null, defaults: Record<NotificationKind, ChannelPreference>): NotificationSettingsDTO {
  return {
    preferences: Object.fromEntries(notificationKinds.map((k) => [k, { ...defaults[k], ...settings?.preferences[k] }])),
    quietHours: settings?.quietHours ?? null,
  };
}
