import { useCallback, useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { ErrorNotice } from '../../../ui/ErrorNotice';
import { remindersApi, type OutboxItem } from '../../reminders/remindersApi';

const statuses = ['queued', 'sent', 'delivered', 'failed', 'logged', 'cancelled'] as const;

/** Every e-mail and SMS with its status, newest first, filterable; administrators only (the server checks). */
export function OutboxPage() {
  const { t, formatDateTime } = useI18n();
  const [filter, setFilter] = useState<{ status: string; channel: string }>({ status: '', channel: '' });
  const [page, setPage] = useState<{ items: OutboxItem[]; nextCursor: string | null; channels?: { email: string; sms: string; push: string } }>({ items: [], nextCursor: null });
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (before?: string) => {
      try {
        const result = await remindersApi.outbox({ status: filter.status || undefined, channel: filter.channel || undefined, before });
        setPage((current) => ({ items: before ? [...current.items, ...result.items] : result.items, nextCursor: result.nextCursor, channels: result.channels }));
        setError(null);
      } catch (e) {
        setError(e);
      }
    },
    [filter],
  );
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="stack" data-testid="outbox-page">
      <h2>{t('outbox.title')}</h2>
      {page.channels && <p className="muted" data-testid="outbox-channels">{t('outbox.channels', page.channels)}</p>}
      <div className="toolbar">
        <select aria-label={t('outbox.allStatuses')} data-testid="outbox-status" value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value })}>
          <option value="">{t('outbox.allStatuses')}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`delivery.status.${s}`)}
            </option>
          ))}
        </select>
        <select aria-label={t('outbox.allChannels')} data-testid="outbox-channel" value={filter.channel} onChange={(e) => setFilter({ ...filter, channel: e.target.value })}>
          <option value="">{t('outbox.allChannels')}</option>
          <option value="email">{t('delivery.channel.email')}</option>
          <option value="sms">{t('delivery.channel.sms')}</option>
          <option value="push">{t('delivery.channel.push')}</option>
        </select>
      </div>
      <ErrorNotice error={error} testId="outbox-error" />
      {page.items.length === 0 ? (
        <p className="muted">{t('outbox.empty')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('outbox.time')}</th>
              <th>{t('outbox.recipient')}</th>
              <th>{t('outbox.subject')}</th>
              <th>{t('outbox.status')}</th>
              <th>{t('outbox.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((d) => (
              <tr key={d.id} data-testid="outbox-row" data-status={d.status} data-channel={d.channel}>
                <td data-label={t('outbox.time')}>{formatDateTime(d.sentAt ?? d.queuedAt)}</td>
                <td data-label={t('outbox.recipient')}>
                  {t(`delivery.channel.${d.channel}`)} · {d.address}
                </td>
                <td data-label={t('outbox.subject')}>{d.title}</td>
                <td data-label={t('outbox.status')}>{t(`delivery.status.${d.status}`)}</td>
                <td className="muted" data-label={t('outbox.reason')}>{d.lastError ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextCursor && (
        <button type="button" className="load-more" data-testid="outbox-more" onClick={() => void load(page.nextCursor!)}>
          {t('notifications.loadMore')}
        </button>
      )}
    </section>
  );
}
