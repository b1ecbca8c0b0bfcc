import { useEffect, useState } from 'react';
import type { DeliveryDTO, ReminderDTO } from '../../../../shared/reminders';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { remindersApi } from './remindersApi';

/** A reminder's next occurrences and the e-mail / SMS already sent for it. */
export function ReminderDetails({ reminder }: { reminder: ReminderDTO }) {
  const { t, formatDateTime } = useI18n();
  const [data, setData] = useState<{ upcoming: string[]; deliveries: DeliveryDTO[] } | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all([remindersApi.upcoming(reminder.id), remindersApi.deliveries(reminder.id)]).then(
      ([upcoming, deliveries]) => !cancelled && setData({ upcoming: upcoming.occurrences, deliveries: deliveries.items }),
      (e: unknown) => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
    // updatedAt changes with every edit, pause and resume.
  }, [reminder.id, reminder.updatedAt]);

  if (error) return <ErrorNotice error={error} testId="reminder-details-error" />;
  if (!data) return <p className="muted">{t('app.loading')}</p>;
  return (
    <div className="two-columns" data-testid="reminder-details">
      <section className="card">
        <h3>{t('reminders.upcoming')}</h3>
        {data.upcoming.length === 0 ? (
          <p className="muted">{t('reminders.noUpcoming')}</p>
        ) : (
          <ol>
            {data.upcoming.map((iso) => (
              <li key={iso} data-testid="upcoming-occurrence" data-at={iso}>
                {formatDateTime(iso, reminder.timeZone)}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="card">
        <h3>{t('reminders.deliveries')}</h3>
        {data.deliveries.length === 0 ? (
          <p className="muted">{t('reminders.noDeliveries')}</p>
        ) : (
          <ul>
            {data.deliveries.map((d) => (
              <li key={d.id} data-testid="reminder-delivery" data-status={d.status} data-channel={d.channel}>
                {t(`delivery.channel.${d.channel}`)} · {d.address} · {t(`delivery.status.${d.status}`)} · {formatDateTime(d.sentAt ?? d.queuedAt, reminder.timeZone)}
                {d.lastError && <span className="muted"> · {d.lastError}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
