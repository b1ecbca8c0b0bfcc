import { useCallback, useEffect, useState } from 'react';
import type { CustomerDTO } from '../../../../shared/customers';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { CustomerImport } from './CustomerImport';
import { customersApi } from './customersApi';
import { classLabel, customerTiers, customerTypes, prospectClasses } from './labels';

/** Customers the user may see, most valuable first, with filters, a quick create form, the import and the neglected list. */
export function CustomersPage() {
  const { t, formatDateTime } = useI18n();
  const [filters, setFilters] = useState({ q: '', tiers: '', types: '' });
  const [list, setList] = useState<{ items: CustomerDTO[]; total: number } | null>(null);
  const [neglected, setNeglected] = useState<CustomerDTO[]>([]);
  const [draft, setDraft] = useState({ name: '', type: 'end_customer', klass: 'gold' });
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setList(await customersApi.list({ q: filters.q || undefined, tiers: filters.tiers || undefined, types: filters.types || undefined, limit: 100 }));
      setNeglected((await customersApi.neglected(30)).items);
    } catch (e) {
      setError(e);
    }
  }, [filters]);
  useEffect(() => void load(), [load]);

  const create = async () => {
    const isTier = (customerTiers as readonly string[]).includes(draft.klass);
    try {
      await customersApi.create({ name: draft.name, type: draft.type, tier: isTier ? draft.klass : null, prospectClass: isTier ? null : draft.klass });
      setDraft({ ...draft, name: '' });
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="page" data-testid="customers-page">
      <h1>{t('customers.title')}</h1>
      <p>
        <Link to="/customers/feed">{t('customers.teamFeed')}</Link> · <a href="/api/customers/export" download data-testid="customers-export">{t('customers.export')}</a>
      </p>
      <ErrorNotice error={error} testId="customers-error" onDismiss={() => setError(null)} />
      <div className="toolbar">
        <input aria-label={t('customers.search')} placeholder={t('customers.search')} value={filters.q} onChange={(e) => setFilters({ ...filters, q: e.target.value })} data-testid="customers-search" />
        <select value={filters.tiers} onChange={(e) => setFilters({ ...filters, tiers: e.target.value })} aria-label={t('customers.tierFilter')} data-testid="customers-tier">
          <option value="">{t('customers.allTiers')}</option>
          {customerTiers.map((x) => <option key={x} value={x}>{t(`customers.tier.${x}`)}</option>)}
        </select>
        <select value={filters.types} onChange={(e) => setFilters({ ...filters, types: e.target.value })} aria-label={t('customers.typeFilter')}>
          <option value="">{t('customers.allTypes')}</option>
          {customerTypes.map((x) => <option key={x} value={x}>{t(`customers.type.${x}`)}</option>)}
        </select>
      </div>
      <form className="toolbar" onSubmit={(e) => (e.preventDefault(), void create())} data-testid="customer-create">
        <input required aria-label={t('customers.name')} placeholder={t('customers.name')} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="customer-name" />
        <select aria-label={t('customers.typeFilter')} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
          {customerTypes.map((x) => <option key={x} value={x}>{t(`customers.type.${x}`)}</option>)}
        </select>
        <select aria-label={t('customers.tierFilter')} value={draft.klass} onChange={(e) => setDraft({ ...draft, klass: e.target.value })} data-testid="customer-class">
          {customerTiers.map((x) => <option key={x} value={x}>{t(`customers.tier.${x}`)}</option>)}
          {prospectClasses.map((x) => <option key={x} value={x}>{t('customers.prospect', { class: x })}</option>)}
        </select>
        <button type="submit" className="button" data-testid="customer-create-save">{t('customers.create')}</button>
      </form>
      <table className="table" data-testid="customers-table">
        <tbody>
          {list?.items.map((c) => (
            <tr key={c.id}>
              <td><Link to={`/customers/${c.id}`}>{c.name}</Link></td>
              <td data-label={t('customers.tierFilter')}>{classLabel(t, c)}</td>
              <td data-label={t('customers.typeFilter')}>{t(`customers.type.${c.type}`)}</td>
              <td data-label={t('customers.owners')}>{c.owners.map((o) => o.displayName).join(t('common.listSeparator'))}</td>
              <td className="muted" data-label={t('customers.lastContact')}>{c.lastContactAt ? formatDateTime(c.lastContactAt) : t('customers.neverContacted')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('customers.neglected')}</h2>
      <ul data-testid="neglected">
        {neglected.map((c) => <li key={c.id}><Link to={`/customers/${c.id}`}>{c.name}</Link> · {classLabel(t, c)} · {c.lastContactAt ? formatDateTime(c.lastContactAt) : t('customers.neverContacted')}</li>)}
      </ul>
      <CustomerImport onImported={load} />
    </section>
  );
}
