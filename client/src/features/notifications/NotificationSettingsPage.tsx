import { useEffect, useState, type FormEvent } from 'react';
import { deliveryChannels as channels, notificationKinds, type DeliveryChannel } from '../../../../shared/notifications';
import { Link } from '../../app/router';
import type { NotificationSettingsDTO } from '../../../../shared/reminders';
import { useI18n, type MessageKey } from '../../i18n';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { remindersApi } from '../reminders/remindersApi';

// Every kind the server knows (a new feature's kind appears here once it is added to shared/notifications.ts).
const kinds = notificationKinds;

/** Per kind of notification: e-mail, SMS and push besides the app; and quiet hours in the user's time zone. */
export function NotificationSettingsPage() {
  const { t } = useI18n();
  const [settings, setSettings] = useState<NotificationSettingsDTO | null>(null);
  const [quietOn, setQuietOn] = useState(false);
  const [quiet, setQuiet] = useState({ start: '22:00', end: '08:00', weekends: false });
  const [notice, setNotice] = useState<{ error: unknown; success: string | null; saving: boolean }>({ error: null, success: null, saving: false });

  useEffect(() => {
    let cancelled = false;
    remindersApi.settings().then(
      (loaded) => {
        if (cancelled) return;
        setSettings(loaded);
        setQuietOn(loaded.quietHours !== null);
        if (loaded.quietHours) setQuiet(loaded.quietHours);
      },
      (error: unknown) => !cancelled && setNotice({ error, success: null, saving: false }),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!settings) return;
    setNotice({ error: null, success: null, saving: true });
    try {
      const saved = await remindersApi.saveSettings({ preferences: settings.preferences, quietHours: quietOn ? quiet : null });
      setSettings(saved);
      setNotice({ error: null, success: t('settings.saved'), saving: false });
    } catch (error) {
      setNotice({ error, success: null, saving: false });
    }
  };

  const setPreference = (kind: string, channel: DeliveryChannel, on: boolean) =>
    settings && setSettings({ ...settings, preferences: { ...settings.preferences, [kind]: { ...settings.preferences[kind], [channel]: on } } });

  return (
    <section className="page" data-testid="notification-settings-page">
      <h1>{t('settings.title')}</h1>
      <p>
        <Link to="/settings/devices" data-testid="settings-devices-link">{t('push.nav')}</Link>
      </p>
      <ErrorNotice error={notice.error} testId="settings-error" />
      <SuccessNotice message={notice.success} testId="settings-success" />
      {settings && (
        <form className="form" onSubmit={submit}>
          <FieldProblems error={notice.error}>
            <table className="table">
              <thead>
                <tr>
                  <th>{t('settings.kind')}</th>
                  <th>{t('reminders.email')}</th>
                  <th>{t('reminders.sms')}</th>
                  <th>{t('delivery.channel.push')}</th>
                </tr>
              </thead>
              <tbody>
                {kinds.map((kind) => (
                  <tr key={kind} data-testid="settings-kind" data-kind={kind}>
                    <td>{t(`settings.kind.${kind}` as MessageKey)}</td>
                    {channels.map((channel) => (
                      <td key={channel} className="settings-channel" data-label={t(`delivery.channel.${channel}`)}>
                        <input type="checkbox" aria-label={`${t(`settings.kind.${kind}` as MessageKey)}: ${t(`delivery.channel.${channel}`)}`} data-testid={`settings-${kind}-${channel}`} checked={settings.preferences[kind]?.[channel] ?? false} onChange={(e) => setPreference(kind, channel, e.target.checked)} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <fieldset className="stack">
              <legend>{t('settings.quietHours')}</legend>
              <label className="checkbox">
                <input type="checkbox" data-testid="settings-quiet" checked={quietOn} onChange={(e) => setQuietOn(e.target.checked)} />
                {t('settings.quietEnabled')}
              </label>
              {quietOn && (
                <div className="row-actions">
                  <Field label={t('settings.quietStart')} name="quietHours.start">
                    <input type="time" data-testid="settings-quiet-start" value={quiet.start} required onChange={(e) => setQuiet({ ...quiet, start: e.target.value })} />
                  </Field>
                  <Field label={t('settings.quietEnd')} name="quietHours.end">
                    <input type="time" data-testid="settings-quiet-end" value={quiet.end} required onChange={(e) => setQuiet({ ...quiet, end: e.target.value })} />
                  </Field>
                  <label className="checkbox">
                    <input type="checkbox" data-testid="settings-quiet-weekends" checked={quiet.weekends} onChange={(e) => setQuiet({ ...quiet, weekends: e.target.checked })} />
                    {t('settings.quietWeekends')}
                  </label>
                </div>
              )}
            </fieldset>
            <button type="submit" className="button-primary" data-testid="settings-save" disabled={notice.saving}>
              {notice.saving ? t('common.saving') : t('settings.save')}
            </button>
          </FieldProblems>
        </form>
      )}
    </section>
  );
}
