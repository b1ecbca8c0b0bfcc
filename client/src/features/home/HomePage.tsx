import { useI18n } from '../../i18n';
import { useMe } from '../auth/session';

/** The signed-in start page: who you are in the organisation. */
export function HomePage() {
  const { t } = useI18n();
  const me = useMe();
  const roles = [t(`role.${me.role}`), ...(me.managesAnyone ? [t('role.manager')] : [])];
  return (
    <section className="page" data-testid="home-page">
      <h1 data-testid="home-title">{t('home.title', { name: me.displayName })}</h1>
      <dl className="facts card">
        <dt>{t('home.department')}</dt>
        <dd data-testid="home-department">{me.department.name}</dd>
        <dt>{t('home.role')}</dt>
        <dd>{roles.join(' · ')}</dd>
        <dt>{t('home.superiors')}</dt>
        <dd>{me.superiors.length ? me.superiors.map((s) => s.displayName).join(t('common.listSeparator')) : t('home.noSuperiors')}</dd>
        <dt>{t('home.timeZone')}</dt>
        <dd>{me.timeZone}</dd>
      </dl>
    </section>
  );
}
