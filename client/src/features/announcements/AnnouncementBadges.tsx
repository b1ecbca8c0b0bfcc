import type { AnnouncementSummaryDTO } from '../../../../shared/announcements';
import { useI18n } from '../../i18n';

/** Category, priority and the viewer's state of one announcement, as small tags. */
export function AnnouncementBadges({ announcement: a }: { announcement: AnnouncementSummaryDTO }) {
  const { t } = useI18n();
  return (
    <span className="announcement-badges">
      <span className={`tag tag-category tag-${a.category}`}>{t(`announcements.category.${a.category}`)}</span>
      {a.priority !== 'normal' && <span className={a.priority === 'urgent' ? 'tag tag-urgent' : 'tag tag-important'}>{t(`announcements.priority.${a.priority}`)}</span>}
      {a.pinned && <span className="tag tag-pinned">{t('announcements.pinned')}</span>}
      {a.status !== 'published' && <span className="tag">{t(`announcements.status.${a.status}`)}</span>}
      {a.receipt?.mustAcknowledge && <span className="tag tag-ack" data-testid="announcement-must-ack">{t('announcements.mustAcknowledge')}</span>}
      {a.receipt && a.requiresAck && !a.receipt.mustAcknowledge && <span className="tag tag-done">{t('announcements.acknowledged')}</span>}
    </span>
  );
}
