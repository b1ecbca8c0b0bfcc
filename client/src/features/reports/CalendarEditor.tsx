import { useCallback, useEffect, useState } from 'react';
import type { HolidayDTO, ReportCalendarDTO } from '../../../../shared/reports';
import { useI18n } from '../../i18n';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { reportsApi } from './reportsApi';

/**
 * The organisation's calendar for reports (administrators): its time zone, how far ahead a report
 * may be written and how long after its deadline it is accepted, and the holidays and moved working
 * days of a year (days that need no daily report, and weekend days that do).
 */
export function CalendarEditor({ editable }: { editable: boolean }) {
  const { t } = useI18n();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const [calendar, setCalendar] = useState<ReportCalendarDTO | null>(null);
  const [day, setDay] = useState({ day: '', kind: 'holiday' as HolidayDTO['kind'], name: '' });
  const [limits, setLimits] = useState<{ timeZone: string; reportDaysAhead: number; reportClosedAfterDays: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useCallback(
    () =>
      reportsApi.calendar(year).then((c) => {
        setCalendar(c);
        setLimits((l) => l ?? { timeZone: c.timeZone, reportDaysAhead: c.daysAhead, reportClosedAfterDays: c.closedAfterDays });
      }, setError),
    [year],
  );
  useEffect(() => void load(), [load]);
  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    setDone(null);
    try {
      await work();
      setDone(t('reports.saved'));
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card form" data-testid="calendar-editor">
      <h2>{t('reports.calendar')}</h2>
      <SuccessNotice message={done} testId="calendar-saved" />
      <FieldProblems error={error}>
        <ErrorNotice error={error} testId="calendar-error" fieldsShowProblems />
        {limits && (
          <div className="form-grid">
            <Field label={t('reports.timeZone')} name="timeZone">
              <input value={limits.timeZone} disabled={!editable} onChange={(e) => setLimits({ ...limits, timeZone: e.target.value })} data-testid="calendar-zone" />
            </Field>
            <Field label={t('reports.daysAhead')} name="reportDaysAhead">
              <input type="number" min={0} max={366} value={limits.reportDaysAhead} disabled={!editable} onChange={(e) => setLimits({ ...limits, reportDaysAhead: Number(e.target.value) })} />
            </Field>
            <Field label={t('reports.closedAfter')} name="reportClosedAfterDays">
              <input type="number" min={1} max={3660} value={limits.reportClosedAfterDays} disabled={!editable} onChange={(e) => setLimits({ ...limits, reportClosedAfterDays: Number(e.target.value) })} />
            </Field>
          </div>
        )}
        {editable && limits && (
          <div className="actions">
            <button type="button" className="button-quiet" data-testid="calendar-limits-save" onClick={() => void act(() => reportsApi.updateOrgSettings(limits))}>{t('reports.save')}</button>
          </div>
        )}
        <div className="actions">
          <button type="button" className="button-quiet" onClick={() => setYear(year - 1)} aria-label={t('reports.previous')}>‹</button>
          <strong>{year}</strong>
          <button type="button" className="button-quiet" onClick={() => setYear(year + 1)} aria-label={t('reports.next')}>›</button>
        </div>
        <ul className="plain-list" data-testid="holiday-list">
          {calendar?.holidays.map((h) => (
            <li key={h.day} data-testid="holiday-row">
              {h.day} · {t(`reports.dayKind.${h.kind}`)} {h.name && <span className="muted">· {h.name}</span>}
              {editable && <button type="button" className="link-button" onClick={() => void act(() => reportsApi.removeHoliday(h.day))}> {t('annotations.delete')}</button>}
            </li>
          ))}
        </ul>
        {editable && (
          <div className="form-grid">
            <Field label={t('reports.date')}>
              <input type="date" value={day.day} onChange={(e) => setDay({ ...day, day: e.target.value })} data-testid="holiday-day" />
            </Field>
            <Field label={t('reports.dayKindLabel')} name="kind">
              <select value={day.kind} onChange={(e) => setDay({ ...day, kind: e.target.value as HolidayDTO['kind'] })}>
                <option value="holiday">{t('reports.dayKind.holiday')}</option>
                <option value="workday">{t('reports.dayKind.workday')}</option>
              </select>
            </Field>
            <Field label={t('reports.holidayName')} name="name">
              <input value={day.name} onChange={(e) => setDay({ ...day, name: e.target.value })} data-testid="holiday-name" />
            </Field>
            <div className="actions">
              <button type="button" className="button-primary" data-testid="holiday-save" disabled={!day.day} onClick={() => void act(() => reportsApi.setHoliday(day.day, day.kind, day.name))}>{t('reports.save')}</button>
            </div>
          </div>
        )}
      </FieldProblems>
    </section>
  );
}
