import { useCallback, useEffect, useState } from 'react';
import type { AuditAction, AuditEntryDTO } from '../../../../shared/audit';
import { auditActions } from '../../../../shared/audit';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { operationsApi, type AuditFilters } from './operationsApi';

/** A day picked in the filter as the instant it starts (UTC), as the API takes it. */
const dayStart = (day: string) => (day ? `${day}T00:00:00Z` : undefined);

/** The audit log with its filters and CSV export; a table on desktops, cards on phones (data-label). */
export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const [form, setForm] = useState({ action: '', actorId: '', targetType: '', address: '', from: '', to: '' });
  const [page, setPage] = useState<{ items: AuditEntryDTO[]; nextCursor: string | null }>({ items: [], nextCursor: null });
  const [error, setError] = useState<unknown>(null);
  const filters: AuditFilters = { action: form.action, actorId: form.actorId.trim(), targetType: form.targetType.trim(), address: form.address.trim(), from: dayStart(form.from), to: dayStart(form.to) };

  const load = useCallback(
    async (before?: string) => {
      try {
        const result = await operationsApi.audit(filters, before);
        setPage((current) => ({ items: before ? [...current.items, ...result.items] : result.items, nextCursor: result.nextCursor }));
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(filters)],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <label className="field-inline">
      <span>{label}</span>
      <input type={type} name={key} data-testid={`audit-filter-${key}`} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </label>
  );
  return (
    <section className="stack" data-testid="audit-page">
      <h2>{t('operations.auditTitle')}</h2>
      <p className="muted">{t('operations.auditHint')}</p>
      <div className="toolbar">
        <select aria-label={t('operations.action')} data-testid="audit-filter-action" value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
          <option value="">{t('operations.allActions')}</option>
          {auditActions.map((a) => (
            <option key={a} value={a}>
              {t(`operations.action.${a}`)}
            </option>
          ))}
        </select>
        {field('actorId', t('operations.actorId'))}
        {field('targetType', t('operations.objectType'))}
        {field('address', t('operations.address'))}
        {field('from', t('operations.from'), 'date')}
        {field('to', t('operations.to'), 'date')}
        <a className="button-quiet" href={operationsApi.auditExportUrl(filters)} download data-testid="audit-export">
          {t('operations.exportCsv')}
        </a>
      </div>
      <ErrorNotice error={error} testId="audit-error" />
      {page.items.length === 0 ? (
        <p className="muted">{t('operations.noEntries')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('operations.time')}</th>
              <th>{t('operations.actor')}</th>
              <th>{t('operations.action')}</th>
              <th>{t('operations.object')}</th>
              <th>{t('operations.address')}</th>
              <th>{t('operations.details')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                <td data-label={t('operations.time')}>{formatDateTime(e.at)}</td>
                <td data-label={t('operations.actor')}>{e.actor ? `${e.actor.displayName} <${e.actor.email}>` : t('operations.system')}</td>
                <td data-label={t('operations.action')}>{(auditActions as readonly string[]).includes(e.action) ? t(`operations.action.${e.action as AuditAction}`) : e.action}</td>
                <td data-label={t('operations.object')}>{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : ''}</td>
                <td data-label={t('operations.address')}>{e.address ?? ''}</td>
                <td data-label={t('operations.details')}>
                  <code className="audit-details">{JSON.stringify(e.data)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextCursor && (
        <button type="button" className="load-more" data-testid="audit-more" onClick={() => void load(page.nextCursor!)}>
          {t('operations.loadMore')}
        </button>
      )}
    </section>
  );
}
