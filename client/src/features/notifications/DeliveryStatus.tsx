import { useState } from 'react';
import type { DeliveryDTO } from '../../../../shared/reminders';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { remindersApi } from '../reminders/remindersApi';

/** "How it reached me": the in-app delivery and each e-mail / SMS with its status, loaded on demand. */
export function DeliveryStatus({ notificationId, timeZone }: { notificationId: string; timeZone: string }) {
  const { t, formatDateTime } = useI18n();
  const [state, setState] = useState<{ open: boolean; deliveries?: DeliveryDTO[]; error?: unknown }>({ open: false });

  const toggle = () => {
    if (state.open) return setState({ open: false });
    setState({ open: true });
    remindersApi.notificationDeliveries(notificationId).then(
      (result) => setState({ open: true, deliveries: result.deliveries }),
      (error: unknown) => setState({ open: true, error }),
    );
  };

  return (
    <div className="delivery-status">
      <button type="button" className="link-button" data-testid="notification-deliveries-toggle" onClick={toggle}>
        {t('delivery.show')}
      </button>
      {state.open && (
        <ul data-testid="notification-deliveries">
          <li>{t('delivery.app')}</li>
          {state.error !== undefined && <ErrorNotice error={state.error} testId="notification-deliveries-error" />}
          {state.deliveries?.length === 0 && <li className="muted">{t('delivery.none')}</li>}
          {state.deliveries?.map((d) => (
            <li key={d.id} data-testid="notification-delivery" data-channel={d.channel} data-status={d.status}>
              {t(`delivery.channel.${d.channel}`)}: {t(`delivery.status.${d.status}`)}
              {d.status === 'queued' && new Date(d.notBefore) > new Date() && <> · {t('delivery.notBefore', { time: formatDateTime(d.notBefore, timeZone) })}</>}
              {d.attempts > 1 && <> · {t('delivery.attempts', { count: d.attempts })}</>}
              {d.lastError && <span className="muted"> · {d.lastError}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
