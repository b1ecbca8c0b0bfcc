import { useCallback, useEffect, useState } from 'react';
import { announcementStream } from '../../../../shared/announcements';
import { customerStream } from '../../../../shared/customers';
import type { DepartmentDTO } from '../../../../shared/dto';
import { userStream } from '../../../../shared/realtime';
import type { DashboardDTO } from '../../../../shared/workbench';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { useMe } from '../auth/session';
import { DepartmentOptions } from '../admin/departments/DepartmentOptions';
import { announcementsApi } from '../announcements/announcementsApi';
import { reportsApi } from '../reports/reportsApi';
import { Block, StreamFollower, useCoalesced } from './Block';
import { TrendChart } from './TrendChart';
import { dashboardExportUrl, workbenchApi } from './workbenchApi';
import './workbench.css';

/**
 * `/dashboard`: where a department head's team needs them (administrators: any department). Each
 * block is its feature's query over the subtree; counts link to the pages behind them; tables
 * export as CSV. Live through the head's own stream (report notifications), the directives' ledger
 * streams and the neglected customers' streams.
 */
export function DashboardPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [departmentId, setDepartmentId] = useState('');
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  const [data, setData] = useState<DashboardDTO | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useCallback(() => workbenchApi.dashboard(departmentId || undefined).then((d) => (setData(d), setError(null)), setError), [departmentId]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (me.can.administer) void reportsApi.departments().then(setDepartments, setError);
  }, [me.can.administer]);
  const reload = useCoalesced(load);
  const followed = [
    userStream(me.id),
    ...(data?.directives.map((d) => announcementStream(d.announcement.id)) ?? []),
    ...(data?.customers.items.map((c) => customerStream(c.id)) ?? []),
  ];
  const remind = (id: string) => announcementsApi.remind(id, 'app').then((r) => (setDone(t('dashboard.directives.reminded', { count: r.reminded })), reload()), setError);
  const csv = (block: string) => (
    <a className="button-quiet" href={dashboardExportUrl(block, departmentId || undefined)} download data-testid={`csv-${block}`}>{t('dashboard.csv')}</a>
  );
  const behind = data?.reports.people.filter((p) => p.missing > 0 || p.late > 0) ?? [];

  return (
    <section className="page" data-testid="dashboard-page">
      <h1>{data ? t('dashboard.title', { department: data.department.name }) : t('dashboard.nav')}</h1>
      {data && <p className="muted">{t('dashboard.week', { from: data.week.start, to: data.week.end })}</p>}
      {me.can.administer && (
        <div className="card form-grid">
          <Field label={t('dashboard.department')}>
            <select value={departmentId} onChange={(e) => setDepartmentId(e.target.value)} data-testid="dashboard-department">
              <option value="">{t('reports.myDepartments')}</option>
              <DepartmentOptions departments={departments} />
            </select>
          </Field>
        </div>
      )}
      {followed.map((stream) => <StreamFollower key={stream} stream={stream} onEvent={reload} />)}
      <ErrorNotice error={error} testId="dashboard-error" />
      <SuccessNotice message={done} testId="dashboard-done" />
      {data && (
        <div className="workbench-grid" data-testid="dashboard">
          <Block id="dashboard-reports" title={t('dashboard.reports')} to={`/reports/status?kind=daily&date=${data.week.start}`} linkLabel={t('dashboard.reports.status')} empty={false} emptyText="">
            <p className="cluster">
              {(['submitted', 'late', 'missing', 'pending'] as const).map((s) => (
                <span key={s} className="status-pill" data-testid={`dashboard-count-${s}`}>{t(`reports.cell.${s}`)} {data.reports.totals[s]}</span>
              ))}
            </p>
            {behind.length ? (
              <table className="table" data-testid="dashboard-behind">
                <thead><tr><th>{t('dashboard.person')}</th><th>{t('reports.cell.missing')}</th><th>{t('reports.cell.late')}</th></tr></thead>
                <tbody>
                  {behind.map((p) => (
                    <tr key={p.user.id} data-user-id={p.user.id}>
                      <td>{p.user.displayName} <span className="muted">· {p.department.name}</span></td>
                      <td data-label={t('reports.cell.missing')}>{p.missing}</td>
                      <td data-label={t('reports.cell.late')}>{p.late}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted" data-testid="dashboard-all-in">{t('dashboard.reports.allIn')}</p>
            )}
            <h3>{t('dashboard.reports.trend')}</h3>
            <TrendChart trend={data.reports.trend} />
            <table className="table" data-testid="dashboard-trend">
              <thead><tr><th>{t('dashboard.reports.weekColumn')}</th><th>{t('reports.cell.submitted')}</th><th>{t('reports.cell.late')}</th><th>{t('reports.cell.missing')}</th></tr></thead>
              <tbody>
                {data.reports.trend.map((w) => (
                  <tr key={w.weekStart}>
                    <td><Link to={`/reports/status?kind=daily&date=${w.weekStart}`}>{t('dashboard.reports.weekOf', { from: w.weekStart })}</Link></td>
                    <td data-label={t('reports.cell.submitted')}>{w.totals.submitted}</td>
                    <td data-label={t('reports.cell.late')}>{w.totals.late}</td>
                    <td data-label={t('reports.cell.missing')}>{w.totals.missing}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="actions">{csv('reports')}</div>
          </Block>

          <Block id="dashboard-directives" title={t('dashboard.directives')} to="/announcements?box=sent" empty={!data.directives.length} emptyText={t('dashboard.directives.empty')}>
            <ul className="item-list">
              {data.directives.map((d) => (
                <li key={d.announcement.id} className="item" data-testid="dashboard-directive" data-announcement-id={d.announcement.id}>
                  <div className="item-main stack-tight">
                    <Link to={`/announcements/${d.announcement.id}/ledger`}>{d.announcement.title}</Link>
                    <span className="muted" data-testid="directive-count">{t('dashboard.directives.count', { count: d.unacknowledged, total: d.total })}</span>
                    <span className="muted">{d.people.map((p) => p.displayName).join(t('common.listSeparator'))}</span>
                  </div>
                  {d.canRemind && (
                    <button type="button" className="button-quiet" data-testid="directive-remind" onClick={() => void remind(d.announcement.id)}>{t('dashboard.directives.remind')}</button>
                  )}
                </li>
              ))}
            </ul>
            <div className="actions">{csv('directives')}</div>
          </Block>

          <Block id="dashboard-customers" title={t('dashboard.customers', { days: data.customers.days })} to="/customers" empty={!data.customers.items.length} emptyText={t('dashboard.customers.empty', { days: data.customers.days })}>
            <table className="table" data-testid="dashboard-customers-table">
              <thead><tr><th>{t('nav.customers')}</th><th>{t('customers.lastContact')}</th><th>{t('dashboard.customers.owners')}</th></tr></thead>
              <tbody>
                {data.customers.items.map((c) => (
                  <tr key={c.id} data-customer-id={c.id}>
                    <td><Link to={`/customers/${c.id}`}>{c.tier && <span className="tag tag-info">{t(`customers.tier.${c.tier}`)}</span>} {c.name}</Link></td>
                    <td data-label={t('customers.lastContact')}>{c.lastContactAt ? formatDateTime(c.lastContactAt, me.timeZone) : t('customers.neverContacted')}</td>
                    <td data-label={t('dashboard.customers.owners')}>{c.owners.map((o) => o.displayName).join(t('common.listSeparator'))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="actions">{csv('customers')}</div>
          </Block>

          <Block id="dashboard-load" title={t('dashboard.load')} to="/schedule" linkLabel={t('dashboard.load.team')} empty={!data.load.length} emptyText={t('dashboard.load.empty')}>
            <table className="table" data-testid="dashboard-load-table">
              <thead><tr><th>{t('dashboard.person')}</th><th>{t('dashboard.load.planned')}</th><th>{t('dashboard.load.done')}</th><th>{t('dashboard.load.withoutResult')}</th></tr></thead>
              <tbody>
                {data.load.map((p) => (
                  <tr key={p.user.id} data-user-id={p.user.id}>
                    <td>{p.user.displayName}</td>
                    <td data-label={t('dashboard.load.planned')}>{p.planned}</td>
                    <td data-label={t('dashboard.load.done')}>{p.done}</td>
                    <td data-label={t('dashboard.load.withoutResult')}>{p.withoutResult}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="actions">{csv('load')}</div>
          </Block>

          <Block id="dashboard-overdue" title={t('dashboard.overdue')} to="/reminders" empty={!data.overdueReminders.length} emptyText={t('dashboard.overdue.empty')}>
            <ul className="item-list">
              {data.overdueReminders.map((o) => (
                <li key={o.user.id} className="item">
                  <span className="item-main">{o.user.displayName}</span>
                  <span className="muted">{t('dashboard.overdue.since', { count: o.count, at: formatDateTime(o.oldestAt, me.timeZone) })}</span>
                </li>
              ))}
            </ul>
          </Block>
        </div>
      )}
    </section>
  );
}
