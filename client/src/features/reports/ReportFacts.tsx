import type { ReportDTO } from '../../../../shared/reports';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { periodLabel } from './labels';

/** Who wrote a report, for which period, when it was submitted (late or not), to whom, who read it, and its earlier versions. */
export function ReportFacts({ report }: { report: ReportDTO }) {
  const { t, formatDateTime } = useI18n();
  return (
    <header className="report-facts">
      <h1 data-testid="report-title">
        {t(`reports.kind.${report.kind}`)} · {periodLabel(t, report.kind, report.periodStart, report.periodEnd)}
      </h1>
      <dl className="facts">
        <dt>{t('reports.author')}</dt>
        <dd data-testid="report-author">
          {report.author.displayName}
          {report.department && <span className="muted"> · {report.department.name}</span>}
        </dd>
        <dt>{t('reports.status')}</dt>
        <dd data-testid="report-status" data-status={report.status}>
          {t(`reports.statusName.${report.status}`)}
          {report.submittedAt && <> · {formatDateTime(report.submittedAt)}</>}
          {report.late && <span className="tag tag-urgent" data-testid="report-late"> {t('reports.late')}</span>}
        </dd>
        {report.deadlineAt && (
          <>
            <dt>{t('reports.deadline')}</dt>
            <dd>{formatDateTime(report.deadlineAt)}</dd>
          </>
        )}
        {report.receivers.length > 0 && (
          <>
            <dt>{t('reports.receivers')}</dt>
            <dd data-testid="report-receivers">
              {report.receivers.map((r) => (
                <span key={r.user.id} className="chip" data-read={r.readAt ? 'true' : 'false'}>
                  {r.user.displayName}
                  {r.role === 'cc' && <span className="muted"> ({t('reports.cc')})</span>}
                  {r.readAt && <span className="muted"> ✓</span>}
                </span>
              ))}
              {report.ccDepartments.map((d) => (
                <span key={d.id} className="chip">{d.name}</span>
              ))}
            </dd>
          </>
        )}
        {report.status === 'submitted' && (
          <>
            <dt>{t('reports.readBy')}</dt>
            <dd data-testid="report-reads">
              {report.reads.length === 0 ? <span className="muted">{t('reports.nobodyRead')}</span> : report.reads.map((r) => (
                <span key={r.user.id} className="read-receipt" data-testid="report-read" data-user-id={r.user.id}>
                  {r.user.displayName} <span className="muted">{formatDateTime(r.readAt)}</span>
                </span>
              ))}
            </dd>
          </>
        )}
        {report.versions.length > 0 && (
          <>
            <dt>{t('reports.versions')}</dt>
            <dd data-testid="report-versions">
              {report.versions.map((v) => (
                <Link key={v.version} to={`/reports/${report.id}?version=${v.version}`} className="chip">
                  {t('reports.versionN', { n: v.version })}
                </Link>
              ))}
              <span className="chip">{t('reports.versionN', { n: report.version })} · {t('reports.current')}</span>
            </dd>
          </>
        )}
      </dl>
    </header>
  );
}
