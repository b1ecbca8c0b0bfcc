import { useEffect, useState } from 'react';
import type { CustomerDTO } from '../../../../shared/customers';
import { useI18n } from '../../i18n';
import { Field } from '../../ui/Field';
import { customersApi } from '../customers/customersApi';

/** Links a thread to a customer, searched by name among those the user sees. */
export function CustomerPicker({ customer, onChange }: { customer: { id: string; name: string } | null; onChange: (customer: { id: string; name: string } | null) => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<CustomerDTO[]>([]);
  useEffect(() => {
    if (!query.trim()) return setCandidates([]);
    const timer = setTimeout(() => customersApi.list({ q: query, limit: 8 }).then((r) => setCandidates(r.items), () => setCandidates([])), 200);
    return () => clearTimeout(timer);
  }, [query]);
  return (
    <Field label={t('boards.customer')} hint={t('boards.customerHint')} name="customerId">
      {customer ? (
        <span className="chip" data-testid="thread-customer">
          {customer.name}
          <button type="button" aria-label={t('boards.unlinkCustomer')} onClick={() => onChange(null)}>
            ×
          </button>
        </span>
      ) : (
        <span className="picker">
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('customers.search')} data-testid="thread-customer-search" />
          {candidates.map((c) => (
            <button key={c.id} type="button" className="button-quiet" data-testid="thread-customer-option" onClick={() => (onChange({ id: c.id, name: c.name }), setQuery(''))}>
              {c.name}
            </button>
          ))}
        </span>
      )}
    </Field>
  );
}
