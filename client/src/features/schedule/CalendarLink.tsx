import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { scheduleApi } from './scheduleApi';

/** The private calendar subscription link: made (shown once), replaced or revoked. */
export function CalendarLink() {
  const { t } = useI18n();
  const [state, setState] = useState<{ active: boolean; url: string | null }>({ active: false, url: null });
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    scheduleApi.calendarLink().then((s) => setState({ active: s.active, url: null }), setError);
  }, []);
  const run = (work: () => Promise<void>) => work().catch(setError);
  return (
    <section className="card" data-testid="calendar-link">
      <h2>{t('schedule.calendarLink')}</h2>
      <p className="muted">{t('schedule.calendarLinkHint')}</p>
      <ErrorNotice error={error} testId="calendar-link-error" />
      {state.url && <input readOnly value={state.url} data-testid="calendar-link-url" onFocus={(e) => e.target.select()} />}
      {state.active && !state.url && <p>{t('schedule.calendarLinkActive')}</p>}
      <button type="button" className="button" onClick={() => run(async () => setState({ active: true, url: (await scheduleApi.newCalendarLink()).url }))} data-testid="calendar-link-new">
        {state.active ? t('schedule.calendarLinkReplace') : t('schedule.calendarLinkMake')}
      </button>
      {state.active && (
        <button type="button" className="button-quiet" onClick={() => run(async () => (await scheduleApi.revokeCalendarLink(), setState({ active: false, url: null })))}>
          {t('schedule.calendarLinkRevoke')}
        </button>
      )}
    </section>
  );
}
