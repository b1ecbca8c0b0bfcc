import { useCallback, useEffect, useState } from 'react';
import type { DepartmentDTO } from '../../../../shared/dto';
import { periodOf, shiftPeriod, type ReportKind } from '../../../../shared/reportPeriods';
import { reportKinds, type ReportStatusDTO } from '../../../../shared/reports';
import { Link, useLocation } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { useMe } from '../auth/session';
import { DepartmentOptions } from '../admin/departments/DepartmentOptions';
import { periodLabel, todayIn } from './labels';
import { reportsApi } from './reportsApi';

type View = 'day' | 'week' | 'month';
const viewKind = { day: 'daily', week: 'weekly', month: 'monthly' } as const;

/** The departments whose status the user may see: those they manage and everything below them (all, for an administrator). */
function visibleDepartments(all: DepartmentDTO[], meId: string, admin: boolean): DepartmentDTO[] {
  if (admin) return all;
  const byParent = new Map<string | null, DepartmentDTO[]>();
  for (const d of all) byParent.set(d.parentId, [...(byParent.get(d.parentId) ?? []), d]);
  const out = new Set<string>();
  const add = (d: DepartmentDTO) => {
    if (out.has(d.id)) return;
    out.add(d.id);
    (byParent.get(d.id) ?? []).forEach(add);
  };
  all.filter((d) => d.managers.some((m) => m.id === meId)).forEach(add);
  return all.filter((d) => out.has(d.id));
}

/**
 * Who has and has not submitted, for a department subtree: a day, a week or a month (for daily
 * reports a grid of people × days, holidays marked), counts per department with the names of those
 * missing, "remind now" and the grid as CSV.
 */
export function StatusPage({ timeZone }: { timeZone: string }) {
  const { t } = useI18n();
  const me = useMe();
  const { search } = useLocation();
  const [kind, setKind] = useState<ReportKind>((search.get('kind') as ReportKind) || 'daily');
  const [view, setView] = useState<View>('day');
  const [date, setDate] = useState(search.get('date') || todayIn(timeZone));
  const [departmentId, setDepartmentId] = useState<string>('');
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  const [status, setStatus] = useState<ReportStatusDTO | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => void reportsApi.departments().then((all) => setDepartments(visibleDepartments(all, me.id, me.can.administer)), setError), [me.id, me.can.administer]);
  const load = useCallback(() => {
    reportsApi.status({ departmentId: departmentId || undefined, kind, view, date }).then((s) => (setStatus(s), setError(null)), setError);
  }, [departmentId, kind, view, date]);
  useEffect(load, [load]);

  const step = (n: number) => setDate(shiftPeriod(viewKind[view], periodOf(viewKind[view], date).start, n).start);
  const remind = () =>
    reportsApi.remind({ departmentId: departmentId || undefined, kind, date }).then((r) => (setDone(t('reports.reminded', { n: r.reminded })), load()), setError);
  const exportUrl = `/api/reports/status/export?${new URLSearchParams({ ...(departmentId ? { departmentId } : {}), kind, view, date })}`;

  return (
    <div className="stack" data-testid="status-page">
      <div className="card form-grid">
        <Field label={t('reports.department')}>
          <select value={departmentId} onChange={(e) => setDepartmentId(e.target.value)} data-testid="status-department">
            <option value="">{t('reports.myDepartments')}</option>
            <DepartmentOptions departments={departments} />
          </select>
        </Field>
        <Field label={t('reports.kindLabel')}>
          <select value={kind} onChange={(e) => setKind(e.target.value as ReportKind)} data-testid="status-kind">
            {reportKinds.map((k) => <option key={k} value={k}>{t(`reports.kind.${k}`)}</option>)}
          </select>
        </Field>
        <Field label={t('reports.date')}>
          <input type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} data-testid="status-date" />
        </Field>
      </div>
      <div className="schedule-toolbar">
        <span className="segmented">
          {(['day', 'week', 'month'] as const).map((v) => (
            <button key={v} type="button" className={v === view ? 'button-primary' : 'button-quiet'} aria-pressed={v === view} data-testid={`status-view-${v}`} onClick={() => setView(v)}>
              {t(`reports.view.${v}`)}
            </button>
          ))}
        </span>
        <button type="button" className="button-quiet" onClick={() => step(-1)} aria-label={t('reports.previous')}>‹</button>
        <button type="button" className="button-quiet" onClick={() => step(1)} aria-label={t('reports.next')}>›</button>
        <span className="schedule-spacer" />
        <button type="button" className="button-quiet" data-testid="status-remind" onClick={() => void remind()}>{t('reports.remindNow')}</button>
        <a className="button-quiet" href={exportUrl} download data-testid="status-export">{t('reports.exportCsv')}</a>
      </div>
      <ErrorNotice error={error} testId="status-error" />
      <SuccessNotice message={done} testId="status-reminded" />
      {status && <StatusGrid status={status} />}
    </div>
  );
}

/** The counts per department, the names of those missing, and the grid of people × periods. */
function StatusGrid({ status }: { status: ReportStatusDTO }) {
  const { t } = useI18n();
  return (
    <>
      <div className="status-summary" data-testid="status-summary">
        {status.departments.filter((d) => Object.values(d.counts).some((n) => n > 0)).map((d) => (
          <div key={d.id} className="card status-department" data-testid="status-department" data-department-id={d.id}>
            <strong>{d.name}</strong>
            <div className="status-counts">
              {(['submitted', 'late', 'missing', 'pending', 'not_required'] as const).map((s) => (
                <span key={s} className={`status-pill status-${s}`} data-testid={`count-${s}`}>{t(`reports.cell.${s}`)} {d.counts[s]}</span>
              ))}
            </div>
            {d.missing.length > 0 && (
              <p className="muted" data-testid="status-missing">{t('reports.missingNames')}: {d.missing.map((u) => u.displayName).join('、')}</p>
            )}
          </div>
        ))}
      </div>
      <div className="status-grid-wrap">
        <table className="table status-grid" data-testid="status-grid">
          <thead>
            <tr>
              <th>{t('reports.person')}</th>
              {status.periods.map((p) => (
                <th key={p.start} className={p.working ? undefined : 'off-day'} title={p.holiday ?? undefined} data-working={p.working}>
                  {status.kind === 'daily' ? p.start.slice(5) : periodLabel(t, status.kind, p.start, p.end)}
                  {p.holiday && <span className="holiday-name">{p.holiday}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {status.people.map((person) => (
              <tr key={person.user.id} data-testid="status-row" data-user-id={person.user.id}>
                <th scope="row">
                  {person.user.displayName}
                  <span className="muted"> · {person.department.name}</span>
                  {person.moved && <span className="tag tag-warning" data-testid="status-moved">{t('reports.moved')}</span>}
                </th>
                {person.cells.map((cell, i) => (
                  <td key={status.periods[i].start} className={`status-cell status-${cell.status}`} data-status={cell.status} title={t(`reports.cell.${cell.status}`)}>
                    {cell.reportId ? <Link to={`/reports/${cell.reportId}`}>{t(`reports.cellShort.${cell.status}`)}</Link> : t(`reports.cellShort.${cell.status}`)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
