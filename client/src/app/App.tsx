import { useEffect } from 'react';
import { useI18n } from '../i18n';
import { RealtimeProvider } from '../realtime';
import { SessionProvider, useSession } from '../features/auth/session';
import { LoginPage } from '../features/auth/LoginPage';
import { AdminArea } from '../features/admin/AdminArea';
import { ChatPage } from '../features/chat/ChatPage';
import { ChatProvider } from '../features/chat/ChatProvider';
import { RemindersPage } from '../features/reminders/RemindersPage';
import { NotificationSettingsPage } from '../features/notifications/NotificationSettingsPage';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';
import { SchedulePage } from '../features/schedule/SchedulePage';
import { CustomersPage } from '../features/customers/CustomersPage';
import { CustomerPage } from '../features/customers/CustomerPage';
import { TeamFeedPage } from '../features/customers/TeamFeedPage';
import { ReportsArea } from '../features/reports/ReportsArea';
import { MorePage } from '../features/mobile/MorePage';
import { DevicesPage } from '../features/push/DevicesPage';
import { AnnouncementsRoutes } from '../features/announcements/AnnouncementsRoutes';
import { BoardIndexPage } from '../features/boards/BoardIndexPage';
import { BoardPage } from '../features/boards/BoardPage';
import { ThreadPage } from '../features/boards/ThreadPage';
import { BoardSettingsPage } from '../features/boards/BoardSettingsPage';
import { AuditPage } from '../features/boards/AuditPage';
import { WorkbenchPage } from '../features/workbench/WorkbenchPage';
import { DashboardPage } from '../features/workbench/DashboardPage';
import { isUnder, navigate, useLocation } from './router';

/** Picks the page for the current path inside the signed-in frame. */
function SignedInRoutes() {
  const { pathname } = useLocation();
  if (pathname === '/') return <WorkbenchPage />;
  if (isUnder(pathname, '/chat')) return <ChatPage />;
  if (isUnder(pathname, '/admin')) return <AdminArea />;
  if (isUnder(pathname, '/reminders')) return <RemindersPage />;
  if (isUnder(pathname, '/schedule')) return <SchedulePage />;
  if (pathname === '/customers') return <CustomersPage />;
  if (pathname === '/customers/feed') return <TeamFeedPage />;
  const customer = /^\/customers\/(\d+)$/.exec(pathname);
  if (customer) return <CustomerPage key={customer[1]} id={customer[1]} />;
  if (pathname === '/settings/notifications') return <NotificationSettingsPage />;
  if (isUnder(pathname, '/reports')) return <ReportsArea />;
  if (pathname === '/settings/devices') return <DevicesPage />;
  if (pathname === '/more') return <MorePage />;
  if (isUnder(pathname, '/announcements')) return <AnnouncementsRoutes pathname={pathname} />;
  const boards = /^\/boards(?:\/(new|audit|threads\/(\d+)|(\d+)(\/settings)?))?$/.exec(pathname);
  if (boards) return boards[1] === 'new' ? <BoardSettingsPage id={null} /> : boards[1] === 'audit' ? <AuditPage /> : boards[2] ? <ThreadPage key={boards[2]} id={boards[2]} /> : boards[3] ? (boards[4] ? <BoardSettingsPage key={boards[3]} id={boards[3]} /> : <BoardPage key={boards[3]} id={boards[3]} />) : <BoardIndexPage />;
  if (pathname === '/dashboard') return <DashboardPage />;
  return <NotFoundPage />;
}

/** Sends signed-out visitors to /login (remembering where they wanted to go) and back after sign-in. */
function Routes() {
  const { state, sessionEnded } = useSession();
  const { pathname, search } = useLocation();
  const { t } = useI18n();
  const next = search.get('next');

  useEffect(() => {
    if (state.status === 'signedOut' && pathname !== '/login') {
      const wanted = pathname === '/' || state.ended === 'logout' ? '' : `?next=${encodeURIComponent(pathname)}`;
      navigate(`/login${wanted}`, { replace: true });
    }
    if (state.status === 'signedIn' && pathname === '/login') {
      // Only paths inside this app: an absolute URL here would be an open redirect.
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [state, pathname, next]);

  if (state.status === 'loading') {
    return (
      <div className="splash" data-testid="loading">
        {t('app.loading')}
      </div>
    );
  }
  if (state.status === 'signedOut') return pathname === '/login' ? <LoginPage /> : null;
  if (pathname === '/login') return null;
  return (
    <RealtimeProvider key={state.me.id} userId={state.me.id} onSessionEnded={sessionEnded}>
      <ChatProvider userId={state.me.id}>
        <Layout>
          <SignedInRoutes />
        </Layout>
      </ChatProvider>
    </RealtimeProvider>
  );
}

/** The whole client. */
export function App() {
  return (
    <SessionProvider>
      <Routes />
    </SessionProvider>
  );
}
