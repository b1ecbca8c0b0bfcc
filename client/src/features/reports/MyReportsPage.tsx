import { useEffect, useState } from 'react';
import type { ReportKind } from '../../../../shared/reportPeriods';
import { reportKinds, type ReportSummaryDTO } from '../../../../shared/reports';
import { navigate } from '../../app/router';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { todayIn } from './labels';
import { ReportList } from './ReportList';
import { reportsApi } from './reportsApi';

/** One's reports: write today's daily, this week's weekly or this month's monthly report (or another period's), and the list of one's own. */
export function MyReportsPage({ timeZone }: { timeZone: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<ReportSummaryDTO[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [kind, setKind] = useState<ReportKind>('daily');
  const [date, setDate] = useState(() => todayIn(timeZone));
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    reportsApi.mine().then((page) => (setItems(page.items), setCursor(page.nextCursor)), setError);
  }, []);
  const write = (k: ReportKind, d: string) => navigate(`/reports/write?kind=${k}&date=${d}`);
  const more = () => cursor && reportsApi.mine(cursor).then((page) => (setItems((list) => [...list, ...page.items]), setCursor(page.nextCursor)), setError);

  return (
    <div className="stack" data-testid="my-reports">
      <div className="card form">
        <h2>{t('reports.write')}</h2>
        <div className="actions">
          {reportKinds.map((k) => (
            <button key={k} type="button" className="button-primary" data-testid={`write-${k}`} onClick={() => write(k, todayIn(timeZone))}>
              {t(`reports.writeCurrent.${k}`)}
            </button>
          ))}
        </div>
        <div className="form-grid">
          <Field label={t('reports.kindLabel')}>
            <select value={kind} onChange={(e) => setKind(e.target.value as ReportKind)} data-testid="write-kind">
              {reportKinds.map((k) => <option key={k} value={k}>{t(`reports.kind.${k}`)}</option>)}
            </select>
          </Field>
          <Field label={t('reports.date')}>
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} data-testid="write-date" />
          </Field>
        </div>
        <div className="actions">
          <button type="button" className="button-quiet" data-testid="write-other" disabled={!date} onClick={() => write(kind, date)}>{t('reports.writeFor')}</button>
        </div>
      </div>
      <ErrorNotice error={error} testId="mine-error" />
      <ReportList items={items} showAuthor={false} testId="mine-list" />
      {cursor && <button type="button" className="button-quiet load-more" onClick={() => void more()}>{t('reports.more')}</button>}
    </div>
  );
}
