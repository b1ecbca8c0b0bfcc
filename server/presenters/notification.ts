import type { NotificationDTO } from '../../shared/dto.js';
import type { Notification } from '../entities/Notification.js';

/** A notification as its recipient sees it. */
export function presentNotification(n: Notification): NotificationDTO {
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
