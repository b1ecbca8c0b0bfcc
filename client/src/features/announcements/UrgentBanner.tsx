import type { AnnouncementSummaryDTO } from '../../../../shared/announcements';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';

/** Across the top of every page: the urgent directives the user has not acknowledged yet, each a link to acknowledge it. */
export function UrgentBanner({ urgent }: { urgent: AnnouncementSummaryDTO[] }) {
  const { t } = useI18n();
  if (urgent.length === 0) return null;
  return (
    <div className="urgent-banner" role="alert" data-testid="urgent-banner" data-count={urgent.length}>
      <strong>{t('announcements.banner', { count: urgent.length })}</strong>
      <ul>
        {urgent.map((a) => (
          <li key={a.id}>
            <Link to={`/announcements/${a.id}`} data-testid="urgent-banner-item" data-id={a.id}>
              {a.title}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
