import type { NotificationDTO } from '../../../../shared/dto';
import { useI18n } from '../../i18n';
import { Link } from '../../app/router';
import { DeliveryStatus } from './DeliveryStatus';
import { SnoozeButtons } from './SnoozeButtons';

/** One notification in the bell's list. */
export function NotificationItem({ notification, timeZone, onMarkRead, onOpen }: { notification: NotificationDTO; timeZone: string; onMarkRead: () => void; onOpen: () => void }) {
  const { t, formatDateTime } = useI18n();
  const unread = notification.readAt === null;
  return (
    <li className={unread ? 'notification unread' : 'notification'} data-testid="notification-item" data-id={notification.id} data-read={unread ? 'false' : 'true'}>
      <div className="notification-head">
        {unread && <span className="unread-dot" role="img" aria-label={t('notifications.unread')} />}
        {/* Only links inside the app: a notification must not send people to another site. */}
        {notification.link?.startsWith('/') && !notification.link.startsWith('//') ? (
          <Link
            to={notification.link}
            className="notification-title"
            onClick={() => {
              if (unread) onMarkRead();
              onOpen();
            }}
          >
            {notification.title}
          </Link>
        ) : (
          <strong className="notification-title">{notification.title}</strong>
        )}
        {notification.urgent && <span className="tag tag-urgent">{t('notifications.urgent')}</span>}
      </div>
      {notification.body && <p className="notification-body">{notification.body}</p>}
      {/* A head told of their people who have not acknowledged an announcement: who they are. */}
      {Array.isArray(notification.data?.people) && <p className="notification-body" data-testid="notification-people">{(notification.data.people as string[]).join(t('common.listSeparator'))}</p>}
      {notification.kind === 'reminder' && typeof notification.data?.occurrenceId === 'string' && <SnoozeButtons occurrenceId={notification.data.occurrenceId} timeZone={timeZone} />}
      <DeliveryStatus notificationId={notification.id} timeZone={timeZone} />
      <div className="notification-foot">
        <time dateTime={notification.createdAt}>{formatDateTime(notification.createdAt, timeZone)}</time>
        {unread && (
          <button type="button" className="link-button" data-testid="notification-mark-read" onClick={onMarkRead}>
            {t('notifications.markRead')}
          </button>
        )}
      </div>
    </li>
  );
}
