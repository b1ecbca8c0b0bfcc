import { useState } from 'react';
import type { ContactDTO } from '../../../../shared/customers';
import { useI18n } from '../../i18n';

export type ContactInput = { name: string; title: string; phone: string; email: string; birthday: string | null };

const blank = { name: '', title: '', phone: '', email: '', birthday: '' };

/** A contact's fields in one row, for adding a contact (starts empty again after each save) or changing one. */
export function ContactForm({ contact, testId, submitLabel, onSubmit, onCancel }: { contact?: ContactDTO; testId: string; submitLabel: string; onSubmit: (input: ContactInput) => Promise<boolean>; onCancel?: () => void }) {
  const { t } = useI18n();
  const initial = contact ? { name: contact.name, title: contact.title, phone: contact.phone, email: contact.email, birthday: contact.birthday ?? '' } : blank;
  const [draft, setDraft] = useState(initial);
  const field = (key: keyof typeof blank) => ({ value: draft[key], onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }), 'data-testid': `${testId}-${key}` });
  const submit = async () => {
    // The server takes "no birthday" as null, not as an empty date.
    if ((await onSubmit({ ...draft, birthday: draft.birthday || null })) && !contact) setDraft(blank);
  };
  return (
    <form className="toolbar" data-testid={testId} onSubmit={(e) => (e.preventDefault(), void submit())}>
      <input required maxLength={100} placeholder={t('customers.contactName')} aria-label={t('customers.contactName')} {...field('name')} />
      <input maxLength={100} placeholder={t('customers.contactTitle')} aria-label={t('customers.contactTitle')} {...field('title')} />
      <input maxLength={40} placeholder={t('customers.contactPhone')} aria-label={t('customers.contactPhone')} {...field('phone')} />
      <input type="email" maxLength={254} placeholder={t('customers.contactEmail')} aria-label={t('customers.contactEmail')} {...field('email')} />
      <input type="date" aria-label={t('customers.birthday')} {...field('birthday')} />
      <button type="submit" className="button-quiet" data-testid={`${testId}-save`}>{submitLabel}</button>
      {onCancel && <button type="button" className="button-quiet" onClick={onCancel}>{t('common.cancel')}</button>}
    </form>
  );
}
