import { useEffect, useState, type FormEvent } from 'react';
import type { DepartmentDTO, UserSummaryDTO } from '../../../../shared/dto';
import type { ReminderDTO } from '../../../../shared/reminders';
import { formToRrule, rruleToForm, type RecurrenceEnd, type RecurrenceForm } from '../../../../shared/recurrenceForm';
import type { RichTextDocument } from '../../../../shared/richText';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblemOf, FieldProblems } from '../../ui/fieldProblems';
import { useMe } from '../auth/session';
import { RecurrenceEditor } from './RecurrenceEditor';
import { remindersApi, type ReminderInput } from './remindersApi';

/** Tomorrow at 09:00, as a datetime-local value (the zone is a separate field). */
const tomorrowNine = () => {
  const d = new Date(Date.now() + 86400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T09:00`;
};

/** People and departments a manager may address, loaded once. */
function useAddressable(addressSubordinates: boolean, myId: string) {
  const [found, setFound] = useState<{ users: UserSummaryDTO[]; departments: DepartmentDTO[] }>({ users: [], departments: [] });
  useEffect(() => {
    if (!addressSubordinates) return;
    let cancelled = false;
    Promise.all([remindersApi.subordinates(), remindersApi.departments()]).then(
      ([users, departments]) => !cancelled && setFound({ users, departments: departments.filter((d) => d.managers.some((m) => m.id === myId)) }),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [addressSubordinates, myId]);
  return found;
}

/** Creates a reminder or edits one: title, note, start and time zone, recurrence, channels, recipients. */
export function ReminderEditor({ reminder, onSaved }: { reminder?: ReminderDTO; onSaved: (saved: ReminderDTO) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const initial = rruleToForm(reminder?.rrule);
  const [title, setTitle] = useState(reminder?.title ?? '');
  const [note, setNote] = useState<RichTextDocument | null>((reminder?.note as RichTextDocument | null) ?? null);
  const [dtstart, setDtstart] = useState(reminder?.dtstart.slice(0, 16) ?? tomorrowNine());
  const [timeZone, setTimeZone] = useState(reminder?.timeZone ?? me.timeZone);
  const [recurrence, setRecurrence] = useState<{ form: RecurrenceForm; end: RecurrenceEnd }>(initial);
  const [channels, setChannels] = useState<('email' | 'sms')[]>(reminder?.channels ?? ['email']);
  const [recipients, setRecipients] = useState(reminder?.recipients ?? { self: true, userIds: [], departmentIds: [] });
  const [urgent, setUrgent] = useState(reminder?.urgent ?? false);
  const [state, setState] = useState<{ saving: boolean; error: unknown }>({ saving: false, error: null });
  const addressable = useAddressable(me.can.addressSubordinates, me.id);

  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...new Set([...list, item])] : list.filter((x) => x !== item));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: ReminderInput = { title, note, dtstart, timeZone, rrule: formToRrule(recurrence.form, recurrence.end), channels, recipients, urgent };
    setState({ saving: true, error: null });
    try {
      const saved = reminder ? await remindersApi.update(reminder.id, input) : await remindersApi.create(input);
      setState({ saving: false, error: null });
      onSaved(saved);
    } catch (error) {
      setState({ saving: false, error });
    }
  };

  return (
    <form className="form card" onSubmit={submit} data-testid="reminder-editor" data-id={reminder?.id ?? 'new'}>
      <FieldProblems error={state.error}>
        <h2>{reminder ? t('reminders.edit', { title: reminder.title }) : t('reminders.new')}</h2>
        <Field label={t('reminders.name')} name="title">
          <input type="text" data-testid="reminder-title" value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <div className="field" data-testid="reminder-note">
          <span className="field-label">{t('reminders.note')}</span>
          {/* A note is the reminder's own: a mention in it would reach no one. */}
          <RichTextEditor initialValue={note ?? undefined} onChange={setNote} mentions={false} />
          <FieldProblemOf name="note" />
        </div>
        <div className="row-actions">
          <Field label={t('reminders.start')} name="dtstart">
            <input type="datetime-local" data-testid="reminder-start" value={dtstart} required onChange={(e) => setDtstart(e.target.value)} />
          </Field>
          <Field label={t('reminders.timeZone')} name="timeZone">
            <input type="text" data-testid="reminder-timezone" value={timeZone} required onChange={(e) => setTimeZone(e.target.value)} />
          </Field>
        </div>
        <RecurrenceEditor form={recurrence.form} end={recurrence.end} dtstart={dtstart} timeZone={timeZone} onChange={(form, end) => setRecurrence({ form, end })} />
        <fieldset className="row-actions">
          <legend>{t('reminders.channels')}</legend>
          {(['email', 'sms'] as const).map((c) => (
            <label key={c} className="checkbox">
              <input type="checkbox" data-testid={`reminder-channel-${c}`} checked={channels.includes(c)} onChange={(e) => setChannels(toggle(channels, c, e.target.checked))} />
              {t(`reminders.${c}`)}
            </label>
          ))}
          <label className="checkbox">
            <input type="checkbox" data-testid="reminder-urgent" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} />
            {t('reminders.urgent')}
          </label>
        </fieldset>
        <fieldset className="stack">
          <legend>{t('reminders.recipients')}</legend>
          <label className="checkbox">
            <input type="checkbox" data-testid="reminder-self" checked={recipients.self} onChange={(e) => setRecipients({ ...recipients, self: e.target.checked })} />
            {t('reminders.self')}
          </label>
          {addressable.users.length > 0 && (
            <div className="chips" aria-label={t('reminders.subordinates')}>
              {addressable.users.map((u) => (
                <label key={u.id} className="checkbox">
                  <input type="checkbox" data-testid="reminder-subordinate" data-id={u.id} checked={recipients.userIds.includes(u.id)} onChange={(e) => setRecipients({ ...recipients, userIds: toggle(recipients.userIds, u.id, e.target.checked) })} />
                  {u.displayName}
                </label>
              ))}
            </div>
          )}
          {addressable.departments.length > 0 && (
            <div className="chips" aria-label={t('reminders.departments')}>
              {addressable.departments.map((d) => (
                <label key={d.id} className="checkbox">
                  <input type="checkbox" data-testid="reminder-department" data-id={d.id} checked={recipients.departmentIds.includes(d.id)} onChange={(e) => setRecipients({ ...recipients, departmentIds: toggle(recipients.departmentIds, d.id, e.target.checked) })} />
                  {d.name}
                </label>
              ))}
            </div>
          )}
          <FieldProblemOf name="recipients" />
        </fieldset>
        <FieldProblemOf name="exdates" />
        <ErrorNotice error={state.error} testId="reminder-error" fieldsShowProblems />
        <button type="submit" className="button-primary" data-testid="reminder-save" disabled={state.saving}>
          {state.saving ? t('common.saving') : reminder ? t('reminders.save') : t('reminders.create')}
        </button>
      </FieldProblems>
    </form>
  );
}
