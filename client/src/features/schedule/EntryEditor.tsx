import { useEffect, useState } from 'react';
import { entryKinds, type ScheduleEntryDTO } from '../../../../shared/schedule';
import type { CustomerDTO } from '../../../../shared/customers';
import { formToRrule, rruleToForm, type RecurrenceEnd, type RecurrenceForm } from '../../../../shared/recurrenceForm';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { useMe } from '../auth/session';
import { RecurrenceEditor } from '../reminders/RecurrenceEditor';
import { customersApi } from '../customers/customersApi';
import { scheduleApi } from './scheduleApi';

const REMINDER_CHOICES = [15, 60, 1440];

/** Creates a schedule entry: kind, time, customer, sharing, recurrence and reminders. */
export function EntryEditor({ defaultDay, customer: fixedCustomer, onSaved, onCancel }: { defaultDay: string; customer?: CustomerDTO; onSaved: (e: ScheduleEntryDTO) => void; onCancel: () => void }) {
  const { t, locale } = useI18n();
  const me = useMe();
  const [kind, setKind] = useState<ScheduleEntryDTO['kind']>(fixedCustomer ? 'visit' : 'task');
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(`${defaultDay}T09:00`);
  const [end, setEnd] = useState(`${defaultDay}T10:00`);
  const [allDay, setAllDay] = useState(false);
  const [shared, setShared] = useState(false);
  const [description, setDescription] = useState<Record<string, unknown> | null>(null);
  const [query, setQuery] = useState('');
  const [candidates, setCandidates] = useState<CustomerDTO[]>([]);
  const [customer, setCustomer] = useState<CustomerDTO | null>(fixedCustomer ?? null);
  const [recurrence, setRecurrence] = useState<{ form: RecurrenceForm; end: RecurrenceEnd }>(rruleToForm(null));
  const [offsets, setOffsets] = useState<number[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!query.trim()) return setCandidates([]);
    const timer = setTimeout(() => customersApi.list({ q: query, limit: 10 }).then((r) => setCandidates(r.data), () => setCandidates([])), 200);
    return () => clearTimeout(timer);
  }, [query]);

  const save = async () => {
    const day = (v: string) => v.slice(0, 10);
    const nextDay = (v: string) => {
      const d = new Date(`${day(v)}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      return d.toISOString().slice(0, 10);
    };
    try {
      const saved = await scheduleApi.create({
        kind, title, description, allDay, shared, timeZone: me.timeZone, customerId: customer?.id ?? null,
        start: allDay ? `${day(start)}T00:00` : start, end: allDay ? `${day(end) > day(start) ? day(end) : nextDay(start)}T00:00` : end,
        rrule: formToRrule(recurrence.form, recurrence.end), reminderOffsets: offsets,
      });
      onSaved(saved);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <form className="card form" data-testid="entry-editor" onSubmit={(e) => (e.preventDefault(), void save())}>
      <ErrorNotice error={error} testId="entry-editor-error" />
      <Field label={t('schedule.kind')}>
        <select value={kind} onChange={(e) => setKind(e.target.value as ScheduleEntryDTO['kind'])} data-testid="entry-kind">
          {entryKinds.map((k) => <option key={k} value={k}>{t(`schedule.kind.${k}`)}</option>)}
        </select>
      </Field>
      <Field label={t('schedule.entryTitle')}>
        <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="entry-title" required maxLength={200} />
      </Field>
      <Field label={t('schedule.start')}>
        <input type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} data-testid="entry-start" />
      </Field>
      <Field label={t('schedule.end')}>
        <input type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} data-testid="entry-end" />
      </Field>
      <label><input type="checkbox" checked={allDay} onChange={(e) => setAllDay(e.target.checked)} /> {t('schedule.allDay')}</label>
      <label><input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} data-testid="entry-shared" /> {t('schedule.share')}</label>
      {!fixedCustomer && (
        <Field label={t('schedule.customer')}>
          {customer ? (
            <span data-testid="entry-customer">
              {customer.name} <button type="button" className="button-quiet" onClick={() => setCustomer(null)}>×</button>
            </span>
          ) : (
            <>
              <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('customers.search')} data-testid="entry-customer-search" />
              {candidates.map((c) => (
                <button key={c.id} type="button" className="button-quiet" data-testid="entry-customer-option" onClick={() => setCustomer(c)}>{c.name}</button>
              ))}
            </>
          )}
        </Field>
      )}
      <Field label={t('schedule.description')}>
        <RichTextEditor onChange={(doc) => setDescription(doc as unknown as Record<string, unknown>)} hideToolbar />
      </Field>
      <RecurrenceEditor form={recurrence.form} end={recurrence.end} dtstart={`${start}:00`} timeZone={me.timeZone} onChange={(form, e) => setRecurrence({ form, end: e })} />
      <Field label={t('schedule.reminders')}>
        {REMINDER_CHOICES.map((m) => (
          <label key={m}>
            <input type="checkbox" checked={offsets.includes(m)} onChange={(e) => setOffsets(e.target.checked ? [...offsets, m] : offsets.filter((x) => x !== m))} />{' '}
            {m < 60 ? t('schedule.minutesBefore', { n: m }) : m < 1440 ? t('schedule.hoursBefore', { n: m / 60 }) : t('schedule.daysBefore', { n: m / 1440 })}
          </label>
        ))}
      </Field>
      <div className="toolbar">
        <button type="submit" className="button" data-testid="entry-save">{t('common.save')}</button>
        <button type="button" className="button-quiet" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
      <span hidden>{locale}</span>
    </form>
  );
}
