import { useState } from 'react';
import type { ScheduleEntryDTO } from '../../../../shared/schedule';
import { documentFromPlainText } from '../../../../shared/richText/document';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { scheduleApi } from '../schedule/scheduleApi';

/**
 * One entry of today or tomorrow, with "record result" in one tap for its owner: a line of text
 * saved as the entry's result (an occurrence of a recurring entry first becomes an entry of its own,
 * as the schedule's details do). The rule of who may is the entry's `can.edit`.
 */
export function EntryItem({ entry, timeZone, onChanged }: { entry: ScheduleEntryDTO; timeZone: string; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const time = entry.allDay ? '' : new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(new Date(entry.startsAt));
  const mayRecord = entry.can.edit && entry.status === 'planned' && (!entry.rrule || entry.occurrenceStart !== null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const id = entry.occurrenceStart ? (await scheduleApi.editOccurrence(entry.id, entry.occurrenceStart, 'this', { status: 'planned' })).id : entry.id;
      await scheduleApi.recordResult(id, documentFromPlainText(text.trim()) as unknown as Record<string, unknown>);
      setOpen(false);
      setText('');
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="item workbench-entry" data-testid="workbench-entry" data-entry-id={entry.id} data-status={entry.status}>
      <div className="item-main stack-tight">
        <Link to="/schedule">
          {time && <span className="workbench-time">{time}</span>} <span className="tag tag-info">{t(`schedule.kind.${entry.kind}`)}</span> {entry.title}
        </Link>
        {entry.customer && <span className="muted">{entry.customer.name}</span>}
        {entry.status === 'done' && <span className="muted" data-testid="entry-done">✓ {t('workbench.done')}{entry.resultText ? `：${entry.resultText}` : ''}</span>}
        {entry.status === 'cancelled' && <span className="muted">{t('workbench.cancelled')}</span>}
        {open && (
          <FieldProblems error={error}>
            <form className="form" onSubmit={(e) => (e.preventDefault(), void save())}>
              <Field label={t('workbench.resultLabel', { title: entry.title })} name="result">
                <textarea value={text} rows={2} placeholder={t('workbench.resultPlaceholder')} onChange={(e) => setText(e.target.value)} data-testid="result-text" autoFocus />
              </Field>
              <ErrorNotice error={error} testId="result-error" fieldsShowProblems />
              <div className="actions">
                <button type="submit" className="button-primary" disabled={busy || !text.trim()} data-testid="result-save">{t('workbench.resultSave')}</button>
                <button type="button" className="button-quiet" onClick={() => setOpen(false)}>{t('common.cancel')}</button>
              </div>
            </form>
          </FieldProblems>
        )}
      </div>
      {mayRecord && !open && (
        <button type="button" className="button-quiet" data-testid="record-result" onClick={() => setOpen(true)}>
          {t('workbench.recordResult')}
        </button>
      )}
    </li>
  );
}
