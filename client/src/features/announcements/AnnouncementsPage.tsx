import { useCallback, useEffect, useRef, useState } from 'react';
import { announcementCategories, type AnnouncementSummaryDTO } from '../../../../shared/announcements';
import { userStream } from '../../../../shared/realtime';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { useRealtime, useStream } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { AnnouncementBadges } from './AnnouncementBadges';
import { announcementsApi, type Feed } from './announcementsApi';
import './announcements.css';

type Box = 'inbox' | 'sent' | 'all';

function Item({ a }: { a: AnnouncementSummaryDTO }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const unread = a.receipt !== null && a.receipt.firstReadAt === null;
  return (
    <li className={unread ? 'announcement-item unread' : 'announcement-item'} data-testid="announcement-item" data-id={a.id} data-unread={unread ? 'true' : 'false'}>
      <div className="announcement-item-head">
        {unread && <span className="unread-dot" aria-label={t('notifications.unread')} />}
        <Link to={`/announcements/${a.id}`} className="announcement-title" data-testid="announcement-open">
          {a.title}
        </Link>
        <AnnouncementBadges announcement={a} />
      </div>
      {a.excerpt && <p className="muted announcement-excerpt">{a.excerpt}</p>}
      <p className="announcement-meta muted">
        {a.publisher.displayName} · {a.publishedAt ? formatDateTime(a.publishedAt, me.timeZone) : a.publishAt ? t('announcements.scheduledFor', { at: formatDateTime(a.publishAt, me.timeZone) }) : ''}
        {a.receipt === null && a.status !== 'scheduled' && ` · ${t('announcements.recipients', { count: a.recipientCount })}`}
      </p>
    </li>
  );
}

/** The announcement feed: pinned ones first, then the newest; received, published, or (administrators) all; live. */
export function AnnouncementsPage() {
  const { t } = useI18n();
  const me = useMe();
  const [box, setBox] = useState<Box>('inbox');
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [feed, setFeed] = useState<Feed | null>(null);
  const [error, setError] = useState<unknown>(null);
  const asked = useRef(0);
  const canPublish = me.can.administer || me.managesAnyone;

  const load = useCallback(
    async (cursor?: string) => {
      const ask = ++asked.current;
      try {
        const page = await announcementsApi.feed({ box, q: q.trim() || undefined, category: category || undefined, cursor });
        if (ask !== asked.current) return;
        setFeed((current) => (cursor && current ? { ...page, pinned: current.pinned, items: [...current.items, ...page.items] } : page));
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    [box, q, category],
  );
  useEffect(() => {
    const timer = setTimeout(() => void load(), q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [load, q]);
  // A new announcement, or one read or acknowledged on another device, shows at once.
  useStream(userStream(me.id), (event) => {
    if (event.type === 'notification.created' && event.data.notification.kind === 'announcement') void load();
    if (event.type === 'announcement.read' || event.type === 'announcement.acknowledged') void load();
  });
  const realtime = useRealtime();
  useEffect(() => realtime.on('announcement:published', () => void load()), [realtime, load]);

  const pinnedIds = new Set(feed?.pinned.map((a) => a.id));
  const rest = feed?.items.filter((a) => !pinnedIds.has(a.id)) ?? [];
  return (
    <section className="page" data-testid="announcements-page">
      <div className="page-head">
        <h1>{t('announcements.title')}</h1>
        {canPublish && (
          <Link to="/announcements/new" className="button" data-testid="announcement-new">
            {t('announcements.new')}
          </Link>
        )}
      </div>
      <nav className="tabs announcement-tabs" aria-label={t('announcements.boxes')}>
        {(['inbox', 'sent', 'all'] as const).map((b) => (
          <button key={b} type="button" className={b === box ? 'tab active' : 'tab'} onClick={() => setBox(b)} data-testid={`announcements-box-${b}`}>
            {t(`announcements.box.${b}`)}
            {b === 'inbox' && feed && feed.unreadCount > 0 && <span className="nav-badge">{feed.unreadCount}</span>}
          </button>
        ))}
      </nav>
      <div className="toolbar filters">
        <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('announcements.search')} aria-label={t('announcements.search')} data-testid="announcements-search" />
        <select value={category} onChange={(e) => setCategory(e.target.value)} aria-label={t('announcements.category')} data-testid="announcements-category">
          <option value="">{t('announcements.allCategories')}</option>
          {announcementCategories.map((c) => (
            <option key={c} value={c}>
              {t(`announcements.category.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={error} testId="announcements-error" />
      {feed && feed.pinned.length > 0 && (
        <section aria-label={t('announcements.pinned')}>
          <h2 className="section-title">{t('announcements.pinned')}</h2>
          <ul className="announcement-list" data-testid="announcements-pinned">
            {feed.pinned.map((a) => (
              <Item key={a.id} a={a} />
            ))}
          </ul>
        </section>
      )}
      {feed && rest.length === 0 && feed.pinned.length === 0 && <p className="muted empty">{t('announcements.empty')}</p>}
      <ul className="announcement-list" data-testid="announcements-list">
        {rest.map((a) => (
          <Item key={a.id} a={a} />
        ))}
      </ul>
      {feed?.nextCursor && (
        <button type="button" className="button-quiet load-more" onClick={() => void load(feed.nextCursor!)}>
          {t('announcements.more')}
        </button>
      )}
    </section>
  );
}
