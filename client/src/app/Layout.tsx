import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { ErrorNotice } from '../ui/ErrorNotice';
import { useMe, useSession } from '../features/auth/session';
import { NotificationBell } from '../features/notifications/NotificationBell';
import { useTotalUnread } from '../features/chat/ChatProvider';
import { useAppHeight } from '../ui/useAppHeight';
import { useNarrow } from '../ui/useNarrow';
import { OfflineBanner } from '../features/mobile/OfflineBanner';
import { ConnectionIndicator } from './ConnectionIndicator';
import { LanguageSwitch } from './LanguageSwitch';
import { isUnder, Link, useLocation } from './router';
import { TabBar } from './TabBar';
import { useAnnouncementAttention } from '../features/announcements/useAnnouncementAttention';
import { UrgentBanner } from '../features/announcements/UrgentBanner';
import { SearchBox } from '../features/search/SearchBox';
import { BackupFailedBanner } from '../features/operations/BackupFailedBanner';

/**
 * The signed-in frame: navigation, connection state, notifications, language and sign-out. Wide
 * windows have every link in the top bar; phones (below 768 px) a slim top bar and the bottom
 * tab bar, which an open conversation hides to give its composer the room (docs/client.md).
 */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const me = useMe();
  const { signOut } = useSession();
  const { pathname } = useLocation();
  const navClass = (active: boolean) => (active ? 'nav-link active' : 'nav-link');
  const chatUnread = useTotalUnread();
  const narrow = useNarrow();
  useAppHeight();
  const inConversation = narrow && /^\/chat\/\d+/.test(pathname);
  const announcements = useAnnouncementAttention(me.id);

  return (
    <div className={inConversation ? 'shell shell-conversation' : 'shell'}>
      <a href="#main" className="skip-link">
        {t('mobile.skipToContent')}
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.main')} className="nav">
          <Link to="/" className={navClass(pathname === '/')} data-testid="nav-home">
            {t('nav.home')}
          </Link>
          <Link to="/chat" className={navClass(isUnder(pathname, '/chat'))} data-testid="nav-chat" aria-label={chatUnread ? t('chat.unreadTotal', { count: chatUnread }) : undefined}>
            {t('nav.chat')}
            {chatUnread > 0 && (
              <span className="nav-badge" data-testid="nav-chat-unread" data-count={chatUnread}>
                {chatUnread > 99 ? '99+' : chatUnread}
              </span>
            )}
          </Link>
          <Link to="/schedule" className={navClass(isUnder(pathname, '/schedule'))} data-testid="nav-schedule">
            {t('nav.schedule')}
          </Link>
          <Link to="/customers" className={navClass(isUnder(pathname, '/customers'))} data-testid="nav-customers">
            {t('nav.customers')}
          </Link>
          <Link to="/reports" className={navClass(isUnder(pathname, '/reports'))} data-testid="nav-reports">
            {t('reports.title')}
          </Link>
          <Link to="/announcements" className={navClass(isUnder(pathname, '/announcements'))} data-testid="nav-announcements">
            {t('announcements.nav')}
            {announcements.unreadCount > 0 && (
              <span className="nav-badge" data-testid="nav-announcements-unread" data-count={announcements.unreadCount}>
                {announcements.unreadCount > 99 ? '99+' : announcements.unreadCount}
              </span>
            )}
          </Link>
          <Link to="/boards" className={navClass(isUnder(pathname, '/boards'))} data-testid="nav-boards">
            {t('boards.title')}
          </Link>
          <Link to="/reminders" className={navClass(isUnder(pathname, '/reminders'))} data-testid="nav-reminders">
            {t('nav.reminders')}
          </Link>
          <Link to="/settings/notifications" className={navClass(pathname === '/settings/notifications')} data-testid="nav-settings">
            {t('nav.settings')}
          </Link>
          {me.can.viewDashboard && (
            <Link to="/dashboard" className={navClass(pathname === '/dashboard')} data-testid="nav-dashboard">
              {t('dashboard.nav')}
            </Link>
          )}
          {me.can.administer && (
            <Link to="/admin/departments" className={navClass(isUnder(pathname, '/admin'))} data-testid="nav-admin">
              {t('nav.admin')}
            </Link>
          )}
        </nav>
        <div className="topbar-tools">
          <SearchBox />
          <Link to="/search" className="button-quiet narrow-only search-button" data-testid="nav-search">
            <span aria-hidden="true">⌕</span>
            <span className="visually-hidden">{t('search.nav')}</span>
          </Link>
          <ConnectionIndicator />
          <ErrorBoundary fallback={() => null}>
            <NotificationBell />
          </ErrorBoundary>
          <span className="wide-only">
            <LanguageSwitch />
          </span>
          <span className="me-name" data-testid="me-name">
            {me.displayName}
          </span>
          <button type="button" className="button-quiet wide-only" data-testid="logout" onClick={() => void signOut()}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <OfflineBanner />
      <UrgentBanner urgent={announcements.urgent} />
      <BackupFailedBanner />
      <main className="content" id="main" tabIndex={-1}>
        <ErrorBoundary
          key={pathname}
          fallback={(error, reset) => (
            <section className="page" data-testid="render-error">
              <h1>{t('error.render')}</h1>
              <ErrorNotice error={error} />
              <button type="button" className="button-quiet" onClick={reset}>
                {t('common.retry')}
              </button>
            </section>
          )}
        >
          {children}
        </ErrorBoundary>
      </main>
      {!inConversation && <TabBar />}
    </div>
  );
}
