import { useEffect, useState } from 'react';
import type { ContactDTO } from '../../../../shared/customers';
import type { RichTextDocument } from '../../../../shared/richText';
import { describeRecurrence, rruleToForm } from '../../../../shared/recurrenceForm';
import type { ScheduleEntryDTO } from '../../../../shared/schedule';
import { RichTextView } from '../../components/RichTextEditor';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { customersApi } from '../customers/customersApi';

/** The names of an entry's contacts; the entry only carries their ids. */
function useContacts(entry: ScheduleEntryDTO): ContactDTO[] {
  const [contacts, setContacts] = useState<ContactDTO[]>([]);
  const customerId = entry.customer?.id;
  const ids = entry.contactIds.join(',');
  useEffect(() => {
    if (!customerId || !ids) return setContacts([]);
    let cancelled = false;
    // A viewer who may not see the customer (a superior under "owners only") simply sees no names.
    customersApi.get(customerId).then(
      (c) => !cancelled && setContacts(c.contacts.filter((x) => ids.split(',').includes(x.id))),
      () => !cancelled && setContacts([]),
    );
    return () => {
      cancelled = true;
    };
  }, [customerId, ids]);
  return contacts;
}

/** What an entry is: kind, time (of the shown occurrence), owner, status, customer and contacts, plan period, recurrence, description. */
export function EntrySummary({ entry, startsAt }: { entry: ScheduleEntryDTO; startsAt: string }) {
  const { t, locale, formatDateTime } = useI18n();
  const contacts = useContacts(entry);
  const recurrence = entry.rrule ? rruleToForm(entry.rrule) : null;
  return (
    <>
      <p className="muted">
        {t(`schedule.kind.${entry.kind}`)} · <span data-testid="entry-time">{entry.allDay ? `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: entry.timeZone }).format(new Date(startsAt))} ${t('schedule.allDay')}` : formatDateTime(startsAt, entry.timeZone)}</span> · {entry.owner.displayName} ·{' '}
        <span data-testid="entry-status">{t(`schedule.status.${entry.status}`)}</span>
        {entry.planPeriod && <> · {t(`schedule.planPeriod.${entry.planPeriod}`)}</>}
      </p>
      {entry.customer && (
        <p data-testid="entry-details-customer">
          {t('schedule.customer')}: <Link to={`/customers/${entry.customer.id}`}>{entry.customer.name}</Link>
          {contacts.length > 0 && <span data-testid="entry-details-contacts"> · {t('schedule.contacts')}: {contacts.map((c) => c.name).join(t('common.listSeparator'))}</span>}
        </p>
      )}
      {recurrence && <p className="muted" data-testid="entry-recurrence">{describeRecurrence(recurrence.form, recurrence.end, locale)}</p>}
      {entry.masterId && <p className="muted" data-testid="entry-own-occurrence">{t('schedule.ownOccurrence')}</p>}
      {entry.description && <RichTextView doc={entry.description as unknown as RichTextDocument} />}
    </>
  );
}
