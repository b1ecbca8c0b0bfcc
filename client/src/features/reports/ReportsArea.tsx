import { useEffect, useState } from 'react';
import type { DepartmentDTO } from '../../../../shared/dto';
import type { ReportKind } from '../../../../shared/reportPeriods';
import { isUnder, Link, navigate, useLocation } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { CalendarEditor } from './CalendarEditor';
import { InboxPage } from './InboxPage';
import { MyReportsPage } from './MyReportsPage';
import { ReportPage } from './ReportPage';
import { reportsApi } from './reportsApi';
import { RuleEditor } from './RuleEditor';
import { StatusPage } from './StatusPage';
import { TemplateEditor } from './TemplateEditor';
import './reports.css';

/** Opens (or creates) one's report of a kind for a date, then shows it. */
function WriteRedirect({ kind, date }: { kind: ReportKind; date: string }) {
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void reportsApi.open(kind, date).then((r) => navigate(`/reports/${r.id}`, { replace: true }), setError), [kind, date]);
  return <ErrorNotice error={error} testId="write-error" />;
}

/** Templates, rules and the calendar: administrators, and managers for their departments. */
function SettingsPage({ admin }: { admin: boolean }) {
  const me = useMe();
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  useEffect(() => void reportsApi.departments().then((all) => setDepartments(admin ? all : all.filter((d) => d.managers.some((m) => m.id === me.id))), () => setDepartments([])), [admin, me.id]);
  return (
    <div className="stack" data-testid="report-settings">
      <TemplateEditor departments={departments} />
      <RuleEditor departments={departments} admin={admin} />
      <CalendarEditor editable={admin} />
    </div>
  );
}

/**
 * Work reports (日报 / 周报 / 月报): one's own, the inbox, one report, the submission status of the
 * departments one manages, and the settings. The tabs show what the user may use; the server
 * decides each request for itself.
 */
export function ReportsArea() {
  const { t } = useI18n();
  const me = useMe();
  const { pathname, search } = useLocation();
  const [timeZone, setTimeZone] = useState<string | null>(null);
  useEffect(() => void reportsApi.calendar(new Date().getFullYear()).then((c) => setTimeZone(c.timeZone), () => setTimeZone('Asia/Shanghai')), []);
  useEffect(() => {
    if (pathname === '/reports') navigate('/reports/mine', { replace: true });
  }, [pathname]);
  const lead = me.managesAnyone || me.can.administer;
  const tab = (to: string, label: string, testId: string) => (
    <Link to={to} className={isUnder(pathname, to) ? 'tab active' : 'tab'} data-testid={testId}>{label}</Link>
  );
  const report = /^\/reports\/(\d+)$/.exec(pathname);
  let page = null;
  if (!timeZone) page = <p className="muted">{t('app.loading')}</p>;
  else if (report) page = <ReportPage key={report[1]} id={report[1]} />;
  else if (pathname === '/reports/write') page = <WriteRedirect kind={(search.get('kind') as ReportKind) ?? 'daily'} date={search.get('date') ?? ''} />;
  else if (pathname === '/reports/inbox') page = <InboxPage />;
  else if (pathname === '/reports/status') page = <StatusPage timeZone={timeZone} />;
  else if (pathname === '/reports/settings') page = <SettingsPage admin={me.can.administer} />;
  else page = <MyReportsPage timeZone={timeZone} />;
  return (
    <section className="page" data-testid="reports-area">
      <h1>{t('reports.title')}</h1>
      <nav className="tabs" aria-label={t('reports.title')}>
        {tab('/reports/mine', t('reports.tab.mine'), 'reports-tab-mine')}
        {tab('/reports/inbox', t('reports.tab.inbox'), 'reports-tab-inbox')}
        {lead && tab('/reports/status', t('reports.tab.status'), 'reports-tab-status')}
        {lead && tab('/reports/settings', t('reports.tab.settings'), 'reports-tab-settings')}
      </nav>
      {page}
    </section>
  );
}
