import { useState } from 'react';
import { useI18n } from '../../i18n';
import { promptInstall, useInstallWay } from '../../pwa/install';

/** "Add to home screen": Chrome's own dialog where it offers one (Android, desktop), instructions on iPhone and iPad. */
export function InstallCard() {
  const { t } = useI18n();
  const way = useInstallWay();
  const [busy, setBusy] = useState(false);
  return (
    <section className="card stack" data-testid="install-card" data-way={way}>
      <h2>{t('mobile.install.title')}</h2>
      <p className="muted">{t('mobile.install.hint')}</p>
      {way === 'prompt' && (
        <div>
          <button
            type="button"
            className="button-primary"
            data-testid="install-button"
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void promptInstall().finally(() => setBusy(false));
            }}
          >
            {t('mobile.install.button')}
          </button>
        </div>
      )}
      {way === 'ios' && <p data-testid="install-ios">{t('mobile.install.ios')}</p>}
      {way === 'installed' && <p data-testid="install-done">{t('mobile.install.installed')}</p>}
      {way === 'unavailable' && <p className="muted" data-testid="install-unavailable">{t('mobile.install.unavailable')}</p>}
    </section>
  );
}
