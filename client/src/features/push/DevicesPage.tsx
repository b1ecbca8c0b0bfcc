import { useCallback, useEffect, useState } from 'react';
import type { PushDeviceDTO } from '../../../../shared/push';
import { Link } from '../../app/router';
import { useI18n, type MessageKey } from '../../i18n';
import { useInstallWay } from '../../pwa/install';
import { currentSubscription, disablePush, enablePush, NotificationsNotAllowed, pushApi, pushSupport } from '../../pwa/push';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';

/**
 * `/settings/devices`: turn push on or off on this device, and see and remove every device that
 * receives the user's pushes (a lost phone, an old browser).
 */
export function DevicesPage() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const installWay = useInstallWay();
  const support = pushSupport();
  const [devices, setDevices] = useState<PushDeviceDTO[] | null>(null);
  const [endpoint, setEndpoint] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const [list, subscription] = await Promise.all([pushApi.devices(), currentSubscription().catch(() => null)]);
      setDevices(list);
      setEndpoint(subscription?.endpoint ?? null);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const here = devices?.find((d) => d.endpoint === endpoint) ?? null;

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    try {
      await work();
    } catch (e) {
      setFailure(e instanceof NotificationsNotAllowed ? t('push.notAllowed') : e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
      await load();
    }
  };

  return (
    <section className="page" data-testid="devices-page">
      <h1>{t('push.title')}</h1>
      <ErrorNotice error={error} testId="devices-error" />
      <section className="card stack" data-testid="this-device" data-subscribed={here ? 'true' : 'false'}>
        <h2>{t('push.thisDevice')}</h2>
        {support.supported ? (
          <>
            <p>{here ? t('push.on') : t('push.off')}</p>
            <div>
              {here ? (
                <button type="button" className="button-quiet" data-testid="push-disable" disabled={busy} onClick={() => void act(() => disablePush(here.id))}>
                  {t('push.disable')}
                </button>
              ) : (
                <button type="button" className="button-primary" data-testid="push-enable" disabled={busy} onClick={() => void act(enablePush)}>
                  {t('push.enable')}
                </button>
              )}
            </div>
          </>
        ) : (
          <p className="muted" data-testid="push-unsupported">
            {t(`push.unsupported.${support.reason}` as MessageKey)}
          </p>
        )}
        {installWay === 'ios' && <p className="muted">{t('push.iosHint')}</p>}
        {failure && (
          <p className="notice notice-error" role="alert" data-testid="push-failure">
            {t('push.failed', { reason: failure })}
          </p>
        )}
        <p className="muted">
          <Link to="/settings/notifications">{t('nav.settings')}</Link>：{t('push.preferencesHint')}
        </p>
      </section>
      <section className="card stack">
        <h2>{t('push.devices')}</h2>
        {devices && devices.length === 0 && <p className="muted">{t('push.noDevices')}</p>}
        <ul className="item-list" data-testid="device-list">
          {devices?.map((d) => (
            <li key={d.id} className="item" data-testid="device" data-device-id={d.id}>
              <div className="item-main">
                <strong>{d.label}</strong>
                {d.endpoint === endpoint && <span className="tag tag-info">{t('push.current')}</span>}
                <div className="muted">
                  {t('push.since', { time: formatDateTime(d.createdAt, me.timeZone) })} · {d.lastSuccessAt ? t('push.lastReached', { time: formatDateTime(d.lastSuccessAt, me.timeZone) }) : t('push.neverReached')}
                </div>
              </div>
              <button type="button" className="button-quiet" data-testid="device-remove" aria-label={t('push.removeLabel', { name: d.label })} disabled={busy} onClick={() => void act(() => (d.endpoint === endpoint ? disablePush(d.id) : pushApi.remove(d.id)))}>
                {t('push.remove')}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
