import { useCallback, useEffect, useState } from 'react';
import type { ScheduleEntryDTO } from '../../../../shared/schedule';
import { useI18n } from '../../i18n';
import { DateButton } from '../../ui/DateButton';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useNarrow } from '../../ui/useNarrow';
import { useMe } from '../auth/session';
import { useLocation } from '../../app/router';
import { CalendarLink } from './CalendarLink';
import { dayKey, parseDay, shiftAnchor, viewDays, type CalendarView } from './calendarRange';
import './schedule.css';
import { EntryDetails } from './EntryDetails';
import type { EntryTarget } from './entryChanges';
import { EntryEditor } from './EntryEditor';
import { scheduleApi } from './scheduleApi';
import { ScheduleWhose, type Whose } from './ScheduleWhose';

/** Day, week and month views of one's own schedule, a subordinate's, a department's or the whole team's. */
export function SchedulePage() {
  const { t, locale } = useI18n();
  const me = useMe();
  const [view, setView] = useState<CalendarView>('week');
  const [anchor, setAnchor] = useState(() => dayKey(new Date()));
  const [whose, setWhose] = useState<{ whose: Whose; customerOnly: boolean }>({ whose: { kind: 'me' }, customerOnly: false });
  const [entries, setEntries] = useState<ScheduleEntryDTO[] | null>(null);
  const [selected, setSelected] = useState<EntryTarget | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const narrow = useNarrow();
  // `/schedule/entries/<id>` (from a notification or a search result) opens that entry on its day.
  const { pathname } = useLocation();
  const linkedEntry = /^\/schedule\/entries\/(\d+)$/.exec(pathname)?.[1] ?? null;
  useEffect(() => {
    if (!linkedEntry) return;
    scheduleApi.get(linkedEntry).then(
      (entry) => {
        setAnchor(dayKey(new Date(entry.startsAt)));
        setSelected({ id: entry.id, occurrenceStart: null });
      },
      setError,
    );
  }, [linkedEntry]);
  const days = viewDays(view, anchor);
  const today = dayKey(new Date());

  const load = useCallback(async () => {
    const from = days[0].toISOString();
    const to = new Date(days[days.length - 1].getFullYear(), days[days.length - 1].getMonth(), days[days.length - 1].getDate() + 1).toISOString();
    const { whose: w, customerOnly } = whose;
    try {
      const list =
        w.kind === 'team' ? await scheduleApi.team(from, to, customerOnly)
        : w.kind === 'department' ? await scheduleApi.department(w.id, from, to, customerOnly)
        : await scheduleApi.person(w.kind === 'me' ? me.id : w.id, from, to);
      setEntries(list.data);
      setError(null);
    } catch (e) {
      setError(e);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, anchor, whose, me.id]);
  useEffect(() => void load(), [load]);

  const onDay = (d: Date) => (entries ?? []).filter((e) => dayKey(new Date(e.startsAt)) <= dayKey(d) && new Date(e.endsAt) > d);
  const time = (e: ScheduleEntryDTO) => (e.allDay ? t('schedule.allDay') : new Date(e.startsAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  const others = whose.whose.kind === 'team' || whose.whose.kind === 'department';

  return (
    <section className="page" data-testid="schedule-page">
      <h1>{t('schedule.title')}</h1>
      <div className="schedule-toolbar">
        <span className="schedule-views">
          {(['day', 'week', 'month'] as const).map((v) => (
            <button key={v} type="button" className={v === view ? 'button-primary' : 'button-quiet'} aria-pressed={v === view} data-testid={`view-${v}`} onClick={() => setView(v)}>
              {t(`schedule.view.${v}`)}
            </button>
          ))}
        </span>
        <button type="button" className="button-quiet" onClick={() => setAnchor(shiftAnchor(view, anchor, -1))} aria-label={t('schedule.previous')}>‹</button>
        <button type="button" className="button-quiet" data-testid="schedule-today" onClick={() => setAnchor(today)}>
          {t('schedule.today')}
        </button>
        <button type="button" className="button-quiet" onClick={() => setAnchor(shiftAnchor(view, anchor, 1))} aria-label={t('schedule.next')}>›</button>
        <DateButton value={anchor} testId="schedule-anchor" label={t('schedule.goToDate')} onChange={setAnchor} />
        <ScheduleWhose whose={whose.whose} customerOnly={whose.customerOnly} onChange={(w, customerOnly) => setWhose({ whose: w, customerOnly })} />
        <span className="schedule-spacer" />
        <button type="button" className="button-primary" data-testid="new-entry" onClick={() => setEditing(true)}>
          {t('schedule.new')}
        </button>
      </div>
      <ErrorNotice error={error} testId="schedule-error" />
      {editing && (
        <EntryEditor
          defaultDay={anchor}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            setSelected({ id: saved.id, occurrenceStart: null });
            void load();
          }}
        />
      )}
      <div className={`calendar calendar-view-${view}`} data-testid="calendar">
        {days.map((d) => (
          <div
            key={dayKey(d)}
            className="calendar-day"
            data-testid={`day-${dayKey(d)}`}
            data-today={dayKey(d) === today || undefined}
            data-outside={(view === 'month' && d.getMonth() !== parseDay(anchor).getMonth()) || undefined}
          >
            {view === 'month' && narrow ? (
              // A phone has no room for titles in a month: each day shows how many entries it has and opens in the day view.
              <button
                type="button"
                className="calendar-month-day"
                data-testid="month-day"
                onClick={() => {
                  setAnchor(dayKey(d));
                  setView('day');
                }}
              >
                <span className="calendar-date" aria-hidden="true">{d.getDate()}</span>
                {onDay(d).length > 0 && <span className="calendar-month-count" aria-hidden="true">{onDay(d).length}</span>}
                <span className="visually-hidden">{`${d.toLocaleDateString(locale, { month: 'long', day: 'numeric', weekday: 'long' })}: ${t('mobile.entryCount', { count: onDay(d).length })}`}</span>
              </button>
            ) : (
              <div className="calendar-date">{view === 'month' ? d.getDate() : d.toLocaleDateString(locale, { weekday: 'short', month: 'numeric', day: 'numeric' })}</div>
            )}
            {!(view === 'month' && narrow) && onDay(d).map((e) => (
              <button key={`${e.id}-${e.startsAt}`} type="button" className={`entry entry-${e.status}`} data-testid="entry" onClick={() => setSelected({ id: e.id, occurrenceStart: e.occurrenceStart })}>
                <span className="muted">{time(e)}</span> {e.title}
                {others && <span className="muted"> · {e.owner.displayName}</span>}
                {e.customer && <span className="muted"> · {e.customer.name}</span>}
                {e.annotationCount > 0 && <span className="badge">{e.annotationCount}</span>}
              </button>
            ))}
          </div>
        ))}
      </div>
      {selected && <EntryDetails key={`${selected.id}@${selected.occurrenceStart}`} target={selected} onChanged={load} onClose={() => setSelected(null)} />}
      <CalendarLink />
    </section>
  );
}
