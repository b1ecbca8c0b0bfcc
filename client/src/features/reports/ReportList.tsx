import type { ReportSummaryDTO } from '../../../../shared/reports';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { periodLabel } from './labels';

/** Reports in a list: who, which period, status (late, unread), how many read and annotated it. */
export function ReportList({ items, showAuthor, testId }: { items: ReportSummaryDTO[]; showAuthor: boolean; testId: string }) {
  const { t, formatDateTime } = useI18n();
  if (!items.length) return <p className="muted empty" data-testid={`${testId}-empty`}>{t('reports.none')}</p>;
  return (
    <ul className="report-list" data-testid={testId}>
      {items.map((r) => (
        <li key={r.id} className={r.unread ? 'report-row unread' : 'report-row'} data-testid="report-row" data-report-id={r.id} data-unread={r.unread}>
          {r.unread && <span className="unread-dot" aria-label={t('reports.unread')} />}
          <Link to={`/reports/${r.id}`} className="report-row-main">
            <strong>{t(`reports.kind.${r.kind}`)} · {periodLabel(t, r.kind, r.periodStart, r.periodEnd)}</strong>
            {showAuthor && <span> · {r.author.displayName}{r.department && <span className="muted"> ({r.department.name})</span>}</span>}
            {r.preview && <span className="report-preview muted">{r.preview}</span>}
          </Link>
          <span className="report-row-meta muted">
            {r.status === 'draft' ? t('reports.statusName.draft') : r.submittedAt && formatDateTime(r.submittedAt)}
            {r.late && <span className="tag tag-urgent"> {t('reports.late')}</span>}
            {r.status === 'submitted' && <> · {t('reports.readCount', { n: r.readCount })}</>}
            {r.annotationCount > 0 && <> · {t('reports.annotationCount', { n: r.annotationCount })}</>}
          </span>
        </li>
      ))}
    </ul>
  );
}
