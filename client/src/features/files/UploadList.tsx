import './files.css';
import { useI18n } from '../../i18n';
import { formatSize } from './filesApi';
import type { useUploads } from './useUploads';

type Uploads = ReturnType<typeof useUploads>;

const known = ['too_large', 'daily_quota', 'type_not_allowed', 'type_mismatch', 'empty', 'network'] as const;
const errorKey = (code: string | null) => (known.includes(code as (typeof known)[number]) ? (`files.error.${code}` as `files.error.${(typeof known)[number]}`) : 'files.error.other');

/** Files being uploaded: a progress bar and cancel while running; the reason, retry and remove after a failure. */
export function UploadList({ uploads }: { uploads: Uploads }) {
  const { t } = useI18n();
  if (uploads.uploads.length === 0) return null;
  return (
    <ul className="upload-list" data-testid="upload-list">
      {uploads.uploads.map((u) => (
        <li key={u.key} className={`upload upload-${u.status}`} data-testid="upload" data-status={u.status}>
          {u.result?.thumbnailUrl ? <img src={u.result.thumbnailUrl} alt="" className="upload-thumb" /> : null}
          <span className="upload-name">{u.file.name}</span> <span className="muted">{formatSize(u.file.size)}</span>
          {u.status === 'uploading' && (
            <>
              <progress max={1} value={u.progress} aria-label={t('files.uploading', { name: u.file.name })} />
              <button type="button" className="link-button" onClick={() => uploads.cancel(u.key)}>
                {t('files.cancel')}
              </button>
            </>
          )}
          {u.status === 'failed' && (
            <span role="alert" className="upload-error">
              {t('files.failed', { reason: t(errorKey(u.errorCode)) })}{' '}
              {!u.local && (
                <button type="button" className="link-button" data-testid="upload-retry" onClick={() => uploads.retry(u.key)}>
                  {t('files.retry')}
                </button>
              )}
            </span>
          )}
          {u.status === 'cancelled' && <span className="muted">{t('files.cancelled')}</span>}
          {u.status !== 'uploading' && (
            <button type="button" className="link-button" data-testid="upload-remove" onClick={() => uploads.remove(u.key)}>
              {t('files.remove')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
