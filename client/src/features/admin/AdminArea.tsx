import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { isUnder, Link, navigate, useLocation } from '../../app/router';
import { useMe } from '../auth/session';
import { adminApi } from './adminApi';
import { DepartmentsPage } from './departments/DepartmentsPage';
import { UsersPage } from './users/UsersPage';
import { OutboxPage } from './outbox/OutboxPage';
import { OrgSettingsPage } from './settings/OrgSettingsPage';
import { EscalationLimitsForm } from '../announcements/EscalationLimitsForm';
import { AuditPage } from '../operations/AuditPage';
import { BackupsPage } from '../operations/BackupsPage';

type Access = { status: 'checking' } | { status: 'allowed' } | { status: 'refused'; error: unknown };

/**
 * The administration pages. The client hides the Admin link from members, but whoever opens
 * the URL is checked by the server: its refusal is shown as it is, and no admin page renders.
 */
export function AdminArea() {
  const { t } = useI18n();
  const me = useMe();
  const { pathname } = useLocation();
  const [access, setAccess] = useState<Access>({ status: 'checking' });

  useEffect(() => {
    let cancelled = false;
    setAccess({ status: 'checking' });
    adminApi.checkAccess(me.id).then(
      () => !cancelled && setAccess({ status: 'allowed' }),
      (error: unknown) => !cancelled && setAccess({ status: 'refused', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [me.id, me.role]);

  useEffect(() => {
    if (pathname === '/admin') navigate('/admin/departments', { replace: true });
  }, [pathname]);

  if (access.status === 'checking') return <p className="muted">{t('admin.checking')}</p>;
  if (access.status === 'refused') {
    return (
      <section className="page" data-testid="admin-refused">
        <h1>{t('admin.refused')}</h1>
        <ErrorNotice error={access.error} testId="admin-error" />
      </section>
    );
  }
  const tab = (to: string, label: string, testId: string) => (
    <Link to={to} className={isUnder(pathname, to) ? 'tab active' : 'tab'} data-testid={testId}>
      {label}
    </Link>
  );
  return (
    <section className="page" data-testid="admin-page">
      <h1>{t('admin.title')}</h1>
      <nav className="tabs">
        {tab('/admin/departments', t('admin.departments'), 'admin-tab-departments')}
        {tab('/admin/users', t('admin.users'), 'admin-tab-users')}
        {tab('/admin/outbox', t('admin.outbox'), 'admin-tab-outbox')}
        {tab('/admin/settings', t('admin.settings'), 'admin-tab-settings')}
        {tab('/admin/audit', t('operations.auditTab'), 'admin-tab-audit')}
        {tab('/admin/backups', t('operations.backupsTab'), 'admin-tab-backups')}
      </nav>
      {isUnder(pathname, '/admin/users') ? <UsersPage /> : isUnder(pathname, '/admin/departments') ? <DepartmentsPage /> : isUnder(pathname, '/admin/outbox') ? <OutboxPage /> : isUnder(pathname, '/admin/settings') ? (
        <>
          <OrgSettingsPage />
          <EscalationLimitsForm />
        </>
      ) : isUnder(pathname, '/admin/audit') ? (
        <AuditPage />
      ) : isUnder(pathname, '/admin/backups') ? (
        <BackupsPage />
      ) : null}
    </section>
  );
}
