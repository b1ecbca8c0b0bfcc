import { useState } from 'react';
import { entryKinds, planPeriods, type PlanPeriod, type ScheduleEntryDTO } from '../../../../shared/schedule';
import { formToRrule } from '../../../../shared/recurrenceForm';
import type { RichTextDocument } from '../../../../shared/richText';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { RecurrenceEditor } from '../reminders/RecurrenceEditor';
import { CustomerContactPicker } from './CustomerContactPicker';
import type { EditScope, EntryFormState } from './entryForm';
import { ScopePrompt } from './ScopePrompt';

const REMINDER_CHOICES = [15, 60, 1440];

type Props = {
  initial: EntryFormState;
  timeZone: string;
  fixedCustomer?: boolean;
  /** Whether the entry may recur: not for an occurrence that was edited on its own. */
  canRecur: boolean;
  /** For an occurrence of a recurring entry: ask what the change applies to before saving. */
  askScope: boolean;
  onSubmit: (state: EntryFormState, scope: EditScope) => Promise<void>;
  onCancel: () => void;
};

/** The entry editor's fields: kind, title, time, plan period, customer and contacts, description, recurrence, reminders. */
export function EntryForm({ initial, timeZone, fixedCustomer = false, canRecur, askScope, onSubmit, onCancel }: Props) {
  const { t } = useI18n();
  const [state, setState] = useState(initial);
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (changes: Partial<EntryFormState>) => setState((s) => ({ ...s, ...changes }));
  const offsets = state.reminderOffsets;
  const recurrenceChanged = formToRrule(state.recurrence.form, state.recurrence.end) !== formToRrule(initial.recurrence.form, initial.recurrence.end);

  const submit = async (scope: EditScope) => {
    setAsking(false);
    try {
      await onSubmit(state, scope);
    } catch (e) {
      setError(e);
    }
  };
  const reminderLabel = (m: number) => (m && m % 1440 === 0 ? t('schedule.daysBefore', { n: m / 1440 }) : m && m % 60 === 0 ? t('schedule.hoursBefore', { n: m / 60 }) : t('schedule.minutesBefore', { n: m }));

  return (
    <form className="card form" data-testid="entry-editor" onSubmit={(e) => (e.preventDefault(), askScope ? setAsking(true) : void submit('all'))}>
      <FieldProblems error={error}>
        <ErrorNotice error={error} testId="entry-editor-error" onDismiss={() => setError(null)} />
        <Field label={t('schedule.kind')} name="kind">
          <select value={state.kind} onChange={(e) => set({ kind: e.target.value as ScheduleEntryDTO['kind'] })} data-testid="entry-kind">
            {entryKinds.map((k) => <option key={k} value={k}>{t(`schedule.kind.${k}`)}</option>)}
          </select>
        </Field>
        <Field label={t('schedule.entryTitle')} name="title">
          <input value={state.title} onChange={(e) => set({ title: e.target.value })} data-testid="entry-title" required maxLength={200} />
        </Field>
        <Field label={t('schedule.start')} name="start">
          <input type="datetime-local" value={state.start} onChange={(e) => set({ start: e.target.value })} data-testid="entry-start" required />
        </Field>
        <Field label={t('schedule.end')} name="end">
          <input type="datetime-local" value={state.end} onChange={(e) => set({ end: e.target.value })} data-testid="entry-end" required />
        </Field>
        <label><input type="checkbox" checked={state.allDay} onChange={(e) => set({ allDay: e.target.checked })} data-testid="entry-all-day" /> {t('schedule.allDay')}</label>
        <label><input type="checkbox" checked={state.shared} onChange={(e) => set({ shared: e.target.checked })} data-testid="entry-shared" /> {t('schedule.share')}</label>
        <Field label={t('schedule.planPeriod')} name="planPeriod">
          <select value={state.planPeriod ?? ''} onChange={(e) => set({ planPeriod: (e.target.value || null) as PlanPeriod | null })} data-testid="entry-plan-period">
            <option value="">{t('schedule.planPeriod.none')}</option>
            {planPeriods.map((p) => <option key={p} value={p}>{t(`schedule.planPeriod.${p}`)}</option>)}
          </select>
        </Field>
        <CustomerContactPicker customer={state.customer} contactIds={state.contactIds} fixed={fixedCustomer} onChange={(customer, contactIds) => set({ customer, contactIds })} />
        <Field label={t('schedule.description')} name="description">
          <RichTextEditor initialValue={(initial.description ?? undefined) as RichTextDocument | undefined} onChange={(doc) => set({ description: doc as unknown as Record<string, unknown> })} mentions={false} hideToolbar />
        </Field>
        {canRecur && (
          <RecurrenceEditor form={state.recurrence.form} end={state.recurrence.end} dtstart={`${state.start}:00`} timeZone={timeZone} onChange={(form, end) => set({ recurrence: { form, end } })} />
        )}
        {/* A fieldset, not a Field: a label around the checkboxes' own labels would name the first one after all of them. */}
        <fieldset className="field">
          <legend className="field-label">{t('schedule.reminders')}</legend>
          {[...new Set([...REMINDER_CHOICES, ...initial.reminderOffsets])].sort((a, b) => a - b).map((m) => (
            <label key={m}>
              <input type="checkbox" checked={offsets.includes(m)} onChange={(e) => set({ reminderOffsets: e.target.checked ? [...offsets, m] : offsets.filter((x) => x !== m) })} data-testid={`entry-reminder-${m}`} /> {reminderLabel(m)}
            </label>
          ))}
        </fieldset>
        {asking ? (
          <ScopePrompt action="edit" thisAllowed={!recurrenceChanged} onChoose={(scope) => void submit(scope)} onCancel={() => setAsking(false)} />
        ) : (
          <div className="toolbar">
            <button type="submit" className="button" data-testid="entry-save">{t('common.save')}</button>
            <button type="button" className="button-quiet" onClick={onCancel}>{t('common.cancel')}</button>
          </div>
        )}
      </FieldProblems>
    </form>
  );
}
