import { useCallback, useEffect, useState } from 'react';
import type { BackupDTO, BackupOverview } from '../../../../shared/audit';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { operationsApi } from './operationsApi';

const size = (bytes: number | null) => (bytes === null ? '' : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.ceil(bytes / 1e3)} kB`);

/** The server's backups: "back up now", where each is kept, downloads (the shell shows the failed-backup banner on every page). */
export function BackupsPage() {
  const { t, formatDateTime } = useI18n();
  const [data, setData] = useState<{ items: BackupDTO[]; nextCursor: string | null } & Partial<BackupOverview>>({ items: [], nextCursor: null });
  const [error, setError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);

  const load = useCallback(async (before?: string) => {
    try {
      const result = await operationsApi.backups(before);
      setData((current) => ({ ...result, items: before ? [...current.items, ...result.items] : result.items }));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // While a backup runs, its status is polled: it is made by a background job.
  const running = data.items.some((b) => b.status === 'running');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [running, load]);

  const start = async () => {
    setStarting(true);
    try {
      await operationsApi.startBackup();
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
    }
  };

  return (
    <section className="stack" data-testid="backups-page">
      <h2>{t('operations.backupsTitle')}</h2>
      <p className="muted">
        {data.schedule ? t('operations.backupsHint', { time: data.schedule }) : t('operations.scheduleOff')} {data.encrypted ? t('operations.encrypted') : t('operations.notEncrypted')}{' '}
        {data.storage === 's3' ? t('operations.keptInBucket') : null}
      </p>
      <div className="toolbar">
        <button type="button" data-testid="backup-start" disabled={starting || running} onClick={() => void start()}>
          {t('operations.startNow')}
        </button>
      </div>
      <ErrorNotice error={error} testId="backups-error" />
      {data.items.length === 0 ? (
        <p className="muted">{t('operations.noBackups')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('operations.time')}</th>
              <th>{t('operations.kind')}</th>
              <th>{t('operations.status')}</th>
              <th>{t('operations.size')}</th>
              <th>{t('operations.storage')}</th>
              <th>{t('operations.file')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((b) => (
              <tr key={b.id} data-testid="backup-row" data-status={b.status}>
                <td data-label={t('operations.time')}>{formatDateTime(b.startedAt)}</td>
                <td data-label={t('operations.kind')} data-testid="backup-kind" data-kind={b.kind}>
                  {t(`operations.kind.${b.kind}`)}
                </td>
                <td data-label={t('operations.status')}>
                  {t(`operations.status.${b.status}`)}
                  {b.error ? <span className="muted"> · {b.error}</span> : null}
                </td>
                <td data-label={t('operations.size')}>{size(b.bytes)}</td>
                <td data-label={t('operations.storage')}>{b.fileName ? t(`operations.storage.${b.storage}`) : null}</td>
                <td data-label={t('operations.file')}>
                  {b.can.download ? (
                    <a href={operationsApi.downloadUrl(b.id)} download data-testid="backup-download">
                      {t('operations.download')} {b.fileName}
                    </a>
                  ) : b.removed ? (
                    <span className="muted">{t('operations.removed')}</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.nextCursor && (
        <button type="button" className="load-more" onClick={() => void load(data.nextCursor!)}>
          {t('operations.loadMore')}
        </button>
      )}
    </section>
  );
}
