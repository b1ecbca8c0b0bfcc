import { useI18n, type MessageKey } from '../i18n';
import { Icon, type IconName } from '../ui/icons';
import { useTotalUnread } from '../features/chat/ChatProvider';
import { isUnder, Link, useLocation } from './router';

/** Pages reached from "more" rather than from a tab of their own; the "more" tab shows as current on them. */
const morePaths = ['/more', '/', '/reminders', '/announcements', '/boards', '/settings', '/admin'];

type Tab = { to: string; label: MessageKey; icon: IconName; testId: string };

/**
 * The phone layout's bottom navigation (shown below 768 px by CSS; the top bar's links above it).
 * A feature with a tab adds one line here; everything else is reached from "more".
 */
const tabs: Tab[] = [
  { to: '/chat', label: 'nav.chat', icon: 'chat', testId: 'tab-chat' },
  { to: '/schedule', label: 'nav.schedule', icon: 'schedule', testId: 'tab-schedule' },
  { to: '/customers', label: 'nav.customers', icon: 'customers', testId: 'tab-customers' },
  { to: '/reports', label: 'reports.title', icon: 'reports', testId: 'tab-reports' },
  { to: '/more', label: 'mobile.more', icon: 'more', testId: 'tab-more' },
];

export function TabBar() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const chatUnread = useTotalUnread();
  const current = (to: string) => (to === '/more' ? morePaths.some((p) => (p === '/' ? pathname === '/' : isUnder(pathname, p))) : isUnder(pathname, to));
  return (
    <nav className="tabbar" aria-label={t('mobile.tabs')} data-testid="tabbar">
      {tabs.map((tab) => (
        <Link key={tab.to} to={tab.to} className="tabbar-item" data-testid={tab.testId} aria-current={current(tab.to) ? 'page' : undefined}>
          <span className="tabbar-icon">
            <Icon name={tab.icon} />
            {tab.to === '/chat' && chatUnread > 0 && (
              <span className="tabbar-badge" data-testid="tab-chat-unread" aria-label={t('chat.unreadTotal', { count: chatUnread })}>
                {chatUnread > 99 ? '99+' : chatUnread}
              </span>
            )}
          </span>
          <span className="tabbar-label">{t(tab.label)}</span>
        </Link>
      ))}
    </nav>
  );
}
