import { useEffect, useRef, useState } from 'react';
import { useLocation } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { NotificationItem } from './NotificationItem';
import { useNotificationCenter } from './useNotificationCenter';

/** The bell with the live unread count and a dropdown of recent notifications. */
export function NotificationBell() {
  const me = useMe();
  const { t } = useI18n();
  const center = useNotificationCenter(me.id);
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const { pathname } = useLocation();

  // Another page (a link, the back button): the list belongs to the page it was opened on.
  useEffect(() => setOpen(false), [pathname]);

  // Closes on a click outside or Escape, like any dropdown.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => rootRef.current && !rootRef.current.contains(event.target as Node) && setOpen(false);
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const count = center.unreadCount;
  return (
    <div className="bell" ref={rootRef}>
      <button
        type="button"
        className="bell-button"
        data-testid="notification-bell"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="visually-hidden">{t('notifications.open', { count })}</span>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" fill="currentColor" />
        </svg>
        <span className={count > 0 ? 'badge' : 'badge badge-empty'} data-testid="notification-count" data-count={count} aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      </button>
      {open && (
        <div className="dropdown" data-testid="notification-dropdown" role="dialog" aria-label={t('notifications.title')}>
          <div className="dropdown-head">
            <strong>{t('notifications.title')}</strong>
            <button type="button" className="link-button" data-testid="notification-mark-all-read" disabled={count === 0} onClick={() => void center.markRead('all')}>
              {t('notifications.markAllRead')}
            </button>
          </div>
          <ErrorNotice error={center.error} testId="notification-error" />
          {center.loaded && center.items.length === 0 && <p className="muted empty">{t('notifications.empty')}</p>}
          <ul className="notification-list">
            {center.items.map((n) => (
              <NotificationItem key={n.id} notification={n} timeZone={me.timeZone} onMarkRead={() => void center.markRead([n.id])} onOpen={() => setOpen(false)} />
            ))}
          </ul>
          {center.nextCursor && (
            <button type="button" className="link-button load-more" onClick={() => void center.loadMore()}>
              {t('notifications.loadMore')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
