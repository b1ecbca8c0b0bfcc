import { useEffect, useState } from 'react';
import type { ContactDTO, CustomerDTO } from '../../../../shared/customers';
import { useI18n } from '../../i18n';
import { Field } from '../../ui/Field';
import { customersApi } from '../customers/customersApi';

type Props = {
  customer: { id: string; name: string } | null;
  contactIds: string[];
  /** A customer fixed by the page (planning from a customer's page) cannot be changed here. */
  fixed: boolean;
  onChange: (customer: { id: string; name: string } | null, contactIds: string[]) => void;
};

/** Links an entry to a customer (searched by name) and then to some of that customer's contacts. */
export function CustomerContactPicker({ customer, contactIds, fixed, onChange }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<CustomerDTO[]>([]);
  const [contacts, setContacts] = useState<{ customerId: string; list: ContactDTO[] } | null>(null);

  useEffect(() => {
    if (!query.trim()) return setCandidates([]);
    const timer = setTimeout(() => customersApi.list({ q: query, limit: 10 }).then((r) => setCandidates(r.items), () => setCandidates([])), 200);
    return () => clearTimeout(timer);
  }, [query]);
  useEffect(() => {
    if (!customer) return setContacts(null);
    let cancelled = false;
    // A customer one can no longer see just offers no contacts; the server refuses the link on save.
    customersApi.get(customer.id).then(
      (c) => !cancelled && setContacts({ customerId: c.id, list: c.contacts }),
      () => !cancelled && setContacts({ customerId: customer.id, list: [] }),
    );
    return () => {
      cancelled = true;
    };
  }, [customer?.id]);

  const toggle = (id: string, on: boolean) => onChange(customer, on ? [...contactIds, id] : contactIds.filter((x) => x !== id));
  const loaded = contacts && contacts.customerId === customer?.id ? contacts.list : null;
  const list = loaded ?? [];
  return (
    <>
      <Field label={t('schedule.customer')}>
        {customer ? (
          <span data-testid="entry-customer">
            {customer.name}
            {!fixed && <button type="button" className="button-quiet" aria-label={t('schedule.removeCustomer')} onClick={() => onChange(null, [])}>×</button>}
          </span>
        ) : (
          <>
            <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('customers.search')} data-testid="entry-customer-search" />
            {candidates.map((c) => (
              // Contacts belong to one customer, so choosing another starts with none.
              <button key={c.id} type="button" className="button-quiet" data-testid="entry-customer-option" onClick={() => (onChange({ id: c.id, name: c.name }, []), setQuery(''))}>{c.name}</button>
            ))}
          </>
        )}
      </Field>
      {customer && (
        <fieldset className="field" data-testid="entry-contacts">
          <legend className="field-label">{t('schedule.contacts')}</legend>
          {loaded?.length === 0 && <span className="muted">{t('schedule.noContacts')}</span>}
          {list.map((c) => (
            <label key={c.id} data-testid="entry-contact-option">
              <input type="checkbox" checked={contactIds.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} /> {c.name}
              {c.title && <span className="muted"> · {c.title}</span>}
            </label>
          ))}
        </fieldset>
      )}
    </>
  );
}
