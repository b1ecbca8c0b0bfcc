import { useEffect, useState } from 'react';
import { customerVisibilities, type CustomerVisibility } from '../../../../../shared/customers';
import { useI18n } from '../../../i18n';
import { ErrorNotice, SuccessNotice } from '../../../ui/ErrorNotice';
import { adminApi } from '../adminApi';

/** Organisation settings; for now who sees customers: everyone, or only their owners and the owners' superiors. */
export function OrgSettingsPage() {
  const { t } = useI18n();
  const [saved, setSaved] = useState<CustomerVisibility | null>(null);
  const [choice, setChoice] = useState<CustomerVisibility | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    adminApi.settings().then((s) => (setSaved(s.customerVisibility), setChoice(s.customerVisibility)), setError);
  }, []);

  const save = async () => {
    if (!choice) return;
    setDone(null);
    try {
      const s = await adminApi.updateSettings({ customerVisibility: choice });
      setSaved(s.customerVisibility);
      setDone(t('orgSettings.saved'));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card form" data-testid="org-settings">
      <h2>{t('orgSettings.customerVisibility')}</h2>
      <ErrorNotice error={error} testId="org-settings-error" onDismiss={() => setError(null)} />
      {choice && (
        <fieldset className="field">
          <legend className="field-label">{t('orgSettings.customerVisibilityHint')}</legend>
          {customerVisibilities.map((v) => (
            <label key={v}>
              <input type="radio" name="customerVisibility" value={v} checked={choice === v} onChange={() => (setChoice(v), setDone(null))} data-testid={`visibility-${v}`} /> {t(`orgSettings.visibility.${v}`)}
            </label>
          ))}
        </fieldset>
      )}
      <div className="toolbar">
        <button type="button" className="button" disabled={!choice || choice === saved} onClick={() => void save()} data-testid="org-settings-save">{t('common.save')}</button>
      </div>
      <SuccessNotice message={done} testId="org-settings-saved" />
    </section>
  );
}
