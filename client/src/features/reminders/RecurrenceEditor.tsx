import { useEffect, useState } from 'react';
import { describeRecurrence, weekdays, type RecurrenceEnd, type RecurrenceForm, type Weekday } from '../../../../shared/recurrenceForm';
import { formToRrule } from '../../../../shared/recurrenceForm';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { remindersApi } from './remindersApi';

type Props = { form: RecurrenceForm; end: RecurrenceEnd; dtstart: string; timeZone: string; onChange: (form: RecurrenceForm, end: RecurrenceEnd) => void };

const kinds = ['once', 'daily', 'weekly', 'monthly', 'yearly', 'custom'] as const;

/** A fresh form of a kind, seeded from the start date so "monthly" starts on its day. */
function formOfKind(kind: (typeof kinds)[number], dtstart: string, current: RecurrenceForm): RecurrenceForm {
  const day = Number(dtstart.slice(8, 10)) || 1;
  const month = Number(dtstart.slice(5, 7)) || 1;
  const weekday = dtstart ? weekdays[(new Date(dtstart.slice(0, 10) + 'T00:00:00Z').getUTCDay() + 6) % 7] : 'MO';
  switch (kind) {
    case 'once':
      return { kind };
    case 'daily':
      return { kind, interval: 1 };
    case 'weekly':
      return { kind, interval: 1, weekdays: [weekday] };
    case 'monthly':
      return { kind, interval: 1, day };
    case 'yearly':
      return { kind, month, day };
    case 'custom':
      return { kind, rrule: formToRrule(current) ?? 'FREQ=DAILY' };
  }
}

/**
 * The friendly recurrence editor ("every N days", "weekly on Mon, Wed", "monthly on the 15th /
 * last day", "yearly on 29 Feb", or raw RRULE) with a live preview computed by the server in
 * the reminder's time zone, so what is shown is exactly what will be sent.
 */
export function RecurrenceEditor({ form, end, dtstart, timeZone, onChange }: Props) {
  const { t, locale, formatDateTime } = useI18n();
  const [preview, setPreview] = useState<{ occurrences: string[] } | { error: unknown } | null>(null);
  const rrule = formToRrule(form, end);

  useEffect(() => {
    if (!dtstart || !timeZone) return setPreview(null);
    let cancelled = false;
    // Waits for a pause in typing before asking the server.
    const timer = setTimeout(() => {
      remindersApi.preview({ rrule, dtstart, tz: timeZone, count: 5 }).then(
        (result) => !cancelled && setPreview(result),
        (error: unknown) => !cancelled && setPreview({ error }),
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [rrule, dtstart, timeZone]);

  const set = (next: Partial<RecurrenceForm>) => onChange({ ...form, ...next } as RecurrenceForm, end);
  const number = (value: string, min: number, max: number) => Math.min(max, Math.max(min, Math.round(Number(value) || min)));

  return (
    <div className="stack" data-testid="recurrence-editor">
      <Field label={t('reminders.repeat')} name="rrule">
        <select data-testid="recurrence-kind" value={form.kind} onChange={(e) => onChange(formOfKind(e.target.value as (typeof kinds)[number], dtstart, form), end)}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`recurrence.kind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      {(form.kind === 'daily' || form.kind === 'weekly' || form.kind === 'monthly') && (
        <Field label={t('recurrence.interval')}>
          <input type="number" min={1} max={999} data-testid="recurrence-interval" value={form.interval} onChange={(e) => set({ interval: number(e.target.value, 1, 999) })} />
        </Field>
      )}
      {form.kind === 'weekly' && (
        <fieldset className="row-actions" aria-label={t('recurrence.weekdays')}>
          {weekdays.map((d: Weekday) => (
            <label key={d} className="checkbox">
              <input
                type="checkbox"
                data-testid={`recurrence-weekday-${d}`}
                checked={form.weekdays.includes(d)}
                onChange={(e) => set({ weekdays: e.target.checked ? [...form.weekdays, d] : form.weekdays.filter((w) => w !== d) })}
              />
              {t(`weekday.${d}`)}
            </label>
          ))}
        </fieldset>
      )}
      {form.kind === 'monthly' && (
        <Field label={t('recurrence.monthDay')}>
          <select data-testid="recurrence-monthday" value={String(form.day)} onChange={(e) => set({ day: e.target.value === 'last' ? 'last' : Number(e.target.value) })}>
            {Array.from({ length: 31 }, (_, i) => (
              <option key={i + 1} value={i + 1}>
                {i + 1}
              </option>
            ))}
            <option value="last">{t('recurrence.lastDay')}</option>
          </select>
        </Field>
      )}
      {form.kind === 'yearly' && (
        <div className="row-actions">
          <Field label={t('recurrence.month')}>
            <input type="number" min={1} max={12} data-testid="recurrence-month" value={form.month} onChange={(e) => set({ month: number(e.target.value, 1, 12) })} />
          </Field>
          <Field label={t('recurrence.day')}>
            <input type="number" min={1} max={31} data-testid="recurrence-day" value={form.day} onChange={(e) => set({ day: number(e.target.value, 1, 31) })} />
          </Field>
        </div>
      )}
      {form.kind === 'custom' && (
        <Field label={t('recurrence.rrule')}>
          <input type="text" data-testid="recurrence-rrule" value={form.rrule} onChange={(e) => set({ rrule: e.target.value })} spellCheck={false} />
        </Field>
      )}
      {form.kind !== 'once' && form.kind !== 'custom' && (
        <div className="row-actions">
          <Field label={t('recurrence.end')}>
            <select
              data-testid="recurrence-end"
              value={end.count ? 'count' : end.until ? 'until' : 'never'}
              onChange={(e) => onChange(form, e.target.value === 'count' ? { count: 10 } : e.target.value === 'until' ? { until: dtstart.slice(0, 10) } : {})}
            >
              <option value="never">{t('recurrence.end.never')}</option>
              <option value="until">{t('recurrence.end.until')}</option>
              <option value="count">{t('recurrence.end.count')}</option>
            </select>
          </Field>
          {end.until !== undefined && <input type="date" data-testid="recurrence-until" value={end.until} onChange={(e) => onChange(form, { until: e.target.value })} />}
          {end.count !== undefined && <input type="number" min={1} max={9999} data-testid="recurrence-count" value={end.count} onChange={(e) => onChange(form, { count: number(e.target.value, 1, 9999) })} />}
        </div>
      )}
      <p className="muted" data-testid="recurrence-description">
        {describeRecurrence(form, end, locale)}
      </p>
      <div className="card" data-testid="recurrence-preview">
        <strong>{t('recurrence.preview')}</strong>
        {!preview && <p className="muted">{t('recurrence.previewEmpty')}</p>}
        {preview && 'error' in preview && <ErrorNotice error={preview.error} testId="preview-error" />}
        {preview && 'occurrences' in preview && (
          <ol>
            {preview.occurrences.map((iso) => (
              <li key={iso} data-testid="preview-occurrence" data-at={iso}>
                {formatDateTime(iso, timeZone)}
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
