import { Link } from '../../app/router';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useI18n } from '../../i18n';
import { useMe, useSession } from '../auth/session';
import { InstallCard } from './InstallCard';

/** `/more`: on a phone, every page without a tab of its own, the language, installing and signing out. */
export function MorePage() {
  const { t } = useI18n();
  const me = useMe();
  const { signOut } = useSession();
  const links: [string, string, string][] = [
    ['/', t('nav.home'), 'more-home'],
    ['/announcements', t('announcements.nav'), 'more-announcements'],
    ['/boards', t('boards.title'), 'more-boards'],
    ['/reminders', t('nav.reminders'), 'more-reminders'],
    ['/customers/feed', t('customers.teamFeed'), 'more-team-feed'],
    ['/settings/notifications', t('nav.settings'), 'more-settings'],
    ['/settings/devices', t('push.nav'), 'more-devices'],
    ...(me.can.administer ? ([['/admin/departments', t('nav.admin'), 'more-admin']] as [string, string, string][]) : []),
    ...(me.can.viewDashboard ? ([['/dashboard', t('dashboard.nav'), 'more-dashboard']] as [string, string, string][]) : []),
  ];
  return (
    <section className="page" data-testid="more-page">
      <h1>{t('mobile.moreTitle')}</h1>
      <nav aria-label={t('mobile.moreTitle')}>
        <ul className="link-list card">
          {links.map(([to, label, testId]) => (
            <li key={to}>
              <Link to={to} data-testid={testId}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <InstallCard />
      <section className="card stack">
        <h2>{t('mobile.account')}</h2>
        <p>{t('mobile.signedInAs', { name: me.displayName })}</p>
        <div className="cluster">
          <LanguageSwitch />
          <button type="button" className="button-quiet" data-testid="more-logout" onClick={() => void signOut()}>
            {t('nav.logout')}
          </button>
        </div>
      </section>
    </section>
  );
}
