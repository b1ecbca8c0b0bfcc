import { useEffect, useState } from 'react';
import type { BackupStatus } from '../../../../shared/audit';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { useMe } from '../auth/session';
import { operationsApi } from './operationsApi';

// A scheduled backup runs once a day: asking again now and then keeps a long-open tab honest.
const RECHECK_MS = 10 * 60_000;

/**
 * Across the top of every page, for administrators only: the last scheduled backup failed (the
 * e-mail says so too). One small read (`GET /api/admin/backups/status`); members never ask it.
 */
export function BackupFailedBanner() {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [failed, setFailed] = useState<BackupStatus['lastScheduledFailed']>(null);
  const administer = me.can.administer;

  useEffect(() => {
    if (!administer) {
      setFailed(null);
      return;
    }
    let cancelled = false;
    const check = () =>
      operationsApi.backupStatus().then(
        (status) => !cancelled && setFailed(status.lastScheduledFailed),
        // The banner is a hint: a failed check leaves it as it was rather than covering the page.
        () => {},
      );
    void check();
    const timer = setInterval(() => void check(), RECHECK_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [administer, me.id]);

  if (!failed) return null;
  return (
    <p className="operations-banner" role="alert" data-testid="backup-failed-banner">
      {t('operations.lastFailed', { at: formatDateTime(failed.at), error: failed.error ?? '' })}{' '}
      <Link to="/admin/backups" data-testid="backup-failed-link">
        {t('operations.backupsTab')}
      </Link>
    </p>
  );
}
