import { useState } from 'react';
import type { CustomerDetailDTO } from '../../../../shared/customers';
import type { UserSummaryDTO } from '../../../../shared/dto';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { UserPicker } from '../admin/UserPicker';
import { customersApi } from './customersApi';
import { customerTiers, customerTypes, prospectClasses } from './labels';

/** One select for the value class: a tier for customers, A/B/C for prospects (a customer has one or the other). */
const classOf = (c: Pick<CustomerDetailDTO, 'tier' | 'prospectClass'>) => c.tier ?? c.prospectClass ?? 'B';
const isTier = (klass: string) => (customerTiers as readonly string[]).includes(klass);

/** Changes a customer: name, type, tier or prospect class, owners, address and notes. */
export function CustomerEditor({ customer, onSaved, onCancel }: { customer: CustomerDetailDTO; onSaved: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ name: customer.name, type: customer.type as string, klass: classOf(customer) as string, address: customer.address, notes: customer.notes });
  const [owners, setOwners] = useState<UserSummaryDTO[]>(customer.owners);
  const [error, setError] = useState<unknown>(null);
  const set = (changes: Partial<typeof draft>) => setDraft({ ...draft, ...changes });

  const save = async () => {
    const changes: Record<string, unknown> = {};
    for (const key of ['name', 'type', 'address', 'notes'] as const) if (draft[key] !== customer[key]) changes[key] = draft[key];
    if (draft.klass !== classOf(customer)) Object.assign(changes, isTier(draft.klass) ? { tier: draft.klass, prospectClass: null } : { tier: null, prospectClass: draft.klass });
    // Owners are sent only when they changed: the server rebuilds the contacts' birthday reminders for them.
    const ownerIds = owners.map((o) => o.id);
    if (ownerIds.join() !== customer.owners.map((o) => o.id).join()) changes.ownerIds = ownerIds;
    try {
      if (Object.keys(changes).length) await customersApi.update(customer.id, changes);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <form className="card form" data-testid="customer-editor" onSubmit={(e) => (e.preventDefault(), void save())}>
      <FieldProblems error={error}>
        <ErrorNotice error={error} testId="customer-editor-error" onDismiss={() => setError(null)} />
        <Field label={t('customers.name')} name="name">
          <input required maxLength={200} value={draft.name} onChange={(e) => set({ name: e.target.value })} data-testid="customer-edit-name" />
        </Field>
        <Field label={t('customers.typeFilter')} name="type">
          <select value={draft.type} onChange={(e) => set({ type: e.target.value })} data-testid="customer-edit-type">
            {customerTypes.map((x) => <option key={x} value={x}>{t(`customers.type.${x}`)}</option>)}
          </select>
        </Field>
        <Field label={t('customers.valueClass')} name="tier">
          <select value={draft.klass} onChange={(e) => set({ klass: e.target.value })} data-testid="customer-edit-class">
            {customerTiers.map((x) => <option key={x} value={x}>{t(`customers.tier.${x}`)}</option>)}
            {prospectClasses.map((x) => <option key={x} value={x}>{t('customers.prospect', { class: x })}</option>)}
          </select>
        </Field>
        <div className="field">
          <span className="field-label">{t('customers.owners')}</span>
          <UserPicker value={owners} onChange={setOwners} testId="customer-owners" />
        </div>
        <Field label={t('customers.address')} name="address">
          <input maxLength={500} value={draft.address} onChange={(e) => set({ address: e.target.value })} data-testid="customer-edit-address" />
        </Field>
        <Field label={t('customers.notes')} name="notes">
          <textarea maxLength={5000} rows={4} value={draft.notes} onChange={(e) => set({ notes: e.target.value })} data-testid="customer-edit-notes" />
        </Field>
        <div className="toolbar">
          <button type="submit" className="button" data-testid="customer-edit-save">{t('common.save')}</button>
          <button type="button" className="button-quiet" onClick={onCancel}>{t('common.cancel')}</button>
        </div>
      </FieldProblems>
    </form>
  );
}
