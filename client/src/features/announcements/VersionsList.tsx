import { useEffect, useState } from 'react';
import type { AnnouncementVersionDTO } from '../../../../shared/announcements';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { announcementsApi } from './announcementsApi';

/** What changed in one version: removed words struck through, added ones marked (the server's word diff). */
function Changes({ version }: { version: AnnouncementVersionDTO }) {
  const { t } = useI18n();
  if (!version.changes) return <p className="pre-wrap">{version.bodyText}</p>;
  return (
    <p className="pre-wrap version-diff" data-testid="version-diff">
      {version.changes.map((part, i) =>
        part.change === 'added' ? (
          <ins key={i} className="diff-added" data-testid="diff-added" title={t('announcements.versions.added')}>
            {part.value}
          </ins>
        ) : part.change === 'removed' ? (
          <del key={i} className="diff-removed" data-testid="diff-removed" title={t('announcements.versions.removed')}>
            {part.value}
          </del>
        ) : (
          <span key={i}>{part.value}</span>
        ),
      )}
    </p>
  );
}

/** Every version of a policy, newest first, each with what changed from the one before. */
export function VersionsList({ announcementId, current, highlight }: { announcementId: string; current: number; highlight: number | null }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [versions, setVersions] = useState<AnnouncementVersionDTO[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    announcementsApi.versions(announcementId).then(setVersions, setError);
  }, [announcementId, current]);
  return (
    <section className="card stack" data-testid="announcement-versions">
      <h2>{t('announcements.versions')}</h2>
      <ErrorNotice error={error} testId="versions-error" />
      {versions?.map((v) => (
        <details key={v.version} open={v.version === (highlight ?? current)} className="version" data-testid="announcement-version" data-version={v.version}>
          <summary>
            {t('announcements.versions.version', { version: v.version })} · {v.title} · {v.author.displayName} · {formatDateTime(v.createdAt, me.timeZone)}
            {v.requiresReacknowledge && <span className="tag tag-ack">{t('announcements.versions.reack')}</span>}
            {v.titleChanged && <span className="tag">{t('announcements.versions.titleChanged')}</span>}
          </summary>
          <Changes version={v} />
        </details>
      ))}
    </section>
  );
}
