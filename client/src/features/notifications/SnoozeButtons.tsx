import { useState } from 'react';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { remindersApi } from '../reminders/remindersApi';

const durations = [
  ['10m', 'reminders.snooze10m'],
  ['1h', 'reminders.snooze1h'],
  ['tomorrow', 'reminders.snoozeTomorrow'],
] as const;

/** Snooze a fired reminder: it comes back for this user only, in 10 minutes, an hour, or tomorrow at the same time. */
export function SnoozeButtons({ occurrenceId, timeZone }: { occurrenceId: string; timeZone: string }) {
  const { t, formatDateTime } = useI18n();
  const [state, setState] = useState<{ dueAt?: string; error?: unknown }>({});
  if (state.dueAt) {
    return (
      <p className="muted" data-testid="snoozed" data-at={state.dueAt}>
        {t('reminders.snoozed', { time: formatDateTime(state.dueAt, timeZone) })}
      </p>
    );
  }
  return (
    <div className="row-actions">
      {durations.map(([duration, label]) => (
        <button
          key={duration}
          type="button"
          className="link-button"
          data-testid={`snooze-${duration}`}
          onClick={() =>
            remindersApi.snooze(occurrenceId, duration).then(
              (result) => setState({ dueAt: result.dueAt }),
              (error: unknown) => setState({ error }),
            )
          }
        >
          {t(label)}
        </button>
      ))}
      {state.error !== undefined && <ErrorNotice error={state.error} testId="snooze-error" />}
    </div>
  );
}
