import { useState } from 'react';
import type { ContactDTO } from '../../../../shared/customers';
import { useI18n } from '../../i18n';
import { ContactForm, type ContactInput } from './ContactForm';
import { customersApi } from './customersApi';

type Props = {
  customerId: string;
  contacts: ContactDTO[];
  /** Owners, their superiors and administrators add, change and remove contacts. */
  canManage: boolean;
  /** Runs a change, reloads the customer and shows a failure; true when it worked. */
  act: (work: () => Promise<unknown>) => Promise<boolean>;
};

/** A customer's contacts (name, title, phone, e-mail, birthday), each changeable in place, and a form to add one. */
export function ContactList({ customerId, contacts, canManage, act }: Props) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const update = async (id: string, input: ContactInput) => {
    const done = await act(() => customersApi.updateContact(customerId, id, input));
    if (done) setEditing(null);
    return done;
  };
  return (
    <>
      <ul data-testid="contacts">
        {contacts.map((c) =>
          editing === c.id ? (
            <li key={c.id}>
              <ContactForm contact={c} testId="contact-edit" submitLabel={t('common.save')} onSubmit={(input) => update(c.id, input)} onCancel={() => setEditing(null)} />
            </li>
          ) : (
            <li key={c.id} data-testid="contact">
              <span data-testid="contact-text">
                {c.name} {c.title && `· ${c.title}`} {c.phone && `· ${c.phone}`} {c.email && `· ${c.email}`} {c.birthday && `· 🎂 ${c.birthday}`}
              </span>
              {canManage && (
                <>
                  {' '}
                  <button type="button" className="link-button" data-testid="contact-edit-open" onClick={() => setEditing(c.id)}>{t('customers.editContact')}</button>{' '}
                  {removing === c.id ? (
                    <button type="button" className="button-danger" data-testid="contact-remove-confirm" onClick={() => void act(() => customersApi.removeContact(customerId, c.id)).then(() => setRemoving(null))}>
                      {t('customers.confirmRemoveContact', { name: c.name })}
                    </button>
                  ) : (
                    <button type="button" className="link-button" data-testid="contact-remove" onClick={() => setRemoving(c.id)}>{t('customers.removeContact')}</button>
                  )}
                </>
              )}
            </li>
          ),
        )}
      </ul>
      {canManage && <ContactForm testId="contact-add" submitLabel={t('customers.addContact')} onSubmit={(input) => act(() => customersApi.addContact(customerId, input))} />}
    </>
  );
}
