import { useI18n } from '../../i18n';
import { useOfflineCopy } from '../../pwa/offlineCopy';

/** Says that the app shows its saved copy (no server), so nothing on screen can be changed. */
export function OfflineBanner() {
  const { t } = useI18n();
  const offline = useOfflineCopy();
  if (!offline) return null;
  return (
    <div className="offline-banner" role="status" data-testid="offline-banner">
      {t('mobile.offline')}
    </div>
  );
}
