import { useCallback, useEffect, useState } from 'react';
import type { DepartmentDTO } from '../../../../shared/dto';
import { reportKinds, type ReportSummaryDTO } from '../../../../shared/reports';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { DepartmentOptions } from '../admin/departments/DepartmentOptions';
import { UserSearch } from '../../components/UserSearch';
import type { UserSummaryDTO } from '../../../../shared/dto';
import { ReportList } from './ReportList';
import { reportsApi, type InboxFilters } from './reportsApi';

/** Reports sent to the user, newest first, unread ones marked; by kind, status, period, department and person. */
export function InboxPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<InboxFilters>({});
  const [items, setItems] = useState<ReportSummaryDTO[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  const [person, setPerson] = useState<UserSummaryDTO | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    reportsApi.inbox(filters).then((page) => (setItems(page.items), setCursor(page.nextCursor), setError(null)), setError);
  }, [filters]);
  useEffect(load, [load]);
  useEffect(() => void reportsApi.departments().then(setDepartments, () => setDepartments([])), []);
  const set = (patch: Partial<InboxFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const more = () => cursor && reportsApi.inbox(filters, cursor).then((page) => (setItems((list) => [...list, ...page.items]), setCursor(page.nextCursor)), setError);

  return (
    <div className="stack" data-testid="inbox">
      <div className="card form-grid" data-testid="inbox-filters">
        <Field label={t('reports.kindLabel')}>
          <select value={filters.kind ?? ''} onChange={(e) => set({ kind: (e.target.value || undefined) as InboxFilters['kind'] })} data-testid="inbox-kind">
            <option value="">{t('reports.all')}</option>
            {reportKinds.map((k) => <option key={k} value={k}>{t(`reports.kind.${k}`)}</option>)}
          </select>
        </Field>
        <Field label={t('reports.status')}>
          <select value={filters.status ?? ''} onChange={(e) => set({ status: (e.target.value || undefined) as InboxFilters['status'] })} data-testid="inbox-status">
            <option value="">{t('reports.all')}</option>
            {(['unread', 'read', 'late', 'on_time'] as const).map((s) => <option key={s} value={s}>{t(`reports.inboxStatus.${s}`)}</option>)}
          </select>
        </Field>
        <Field label={t('reports.department')}>
          <select value={filters.departmentId ?? ''} onChange={(e) => set({ departmentId: e.target.value || undefined })} data-testid="inbox-department">
            <option value="">{t('reports.all')}</option>
            <DepartmentOptions departments={departments} />
          </select>
        </Field>
        <div className="field">
          <span className="field-label">{t('reports.person')}</span>
          {person ? (
            <span className="chip" data-testid="inbox-person">
              {person.displayName}
              <button type="button" aria-label={t('common.dismiss')} onClick={() => (setPerson(null), set({ authorId: undefined }))}>×</button>
            </span>
          ) : (
            <UserSearch testId="inbox-person" exclude={new Set()} onPick={(u) => (setPerson(u), set({ authorId: u.id }))} />
          )}
        </div>
        <Field label={t('reports.from')}>
          <input type="date" value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} data-testid="inbox-from" />
        </Field>
        <Field label={t('reports.to')}>
          <input type="date" value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} data-testid="inbox-to" />
        </Field>
      </div>
      <ErrorNotice error={error} testId="inbox-error" />
      <ReportList items={items} showAuthor testId="inbox-list" />
      {cursor && <button type="button" className="button-quiet load-more" data-testid="inbox-more" onClick={() => void more()}>{t('reports.more')}</button>}
    </div>
  );
}
