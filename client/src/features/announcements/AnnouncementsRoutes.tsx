import { NotFoundPage } from '../../app/NotFoundPage';
import { AnnouncementPage } from './AnnouncementPage';
import { AnnouncementsPage } from './AnnouncementsPage';
import { ComposePage } from './ComposePage';
import { LedgerPage } from './LedgerPage';

/** The pages under /announcements: the feed, composing, one announcement, its ledger. */
export function AnnouncementsRoutes({ pathname }: { pathname: string }) {
  if (pathname === '/announcements') return <AnnouncementsPage />;
  if (pathname === '/announcements/new') return <ComposePage />;
  const ledger = /^\/announcements\/(\d+)\/ledger$/.exec(pathname);
  if (ledger) return <LedgerPage key={ledger[1]} id={ledger[1]} />;
  const one = /^\/announcements\/(\d+)$/.exec(pathname);
  if (one) return <AnnouncementPage key={one[1]} id={one[1]} />;
  return <NotFoundPage />;
}
