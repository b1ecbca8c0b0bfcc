import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { useRealtime } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { FilePicker } from '../../ui/FilePicker';
import { customersApi, type ImportReport } from './customersApi';

/** CSV import: a dry run lists every bad row; the import writes all or nothing and shows its progress. */
export function CustomerImport({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const realtime = useRealtime();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [importId] = useState(() => `import-${Date.now().toString(36)}`);
  const [error, setError] = useState<unknown>(null);
  useEffect(
    () =>
      realtime.on('import:progress', (p) => {
        if (p.importId === importId) setProgress(p);
      }),
    [realtime, importId],
  );

  const run = async (dryRun: boolean) => {
    if (!file) return;
    try {
      setReport(await customersApi.importFile(file, dryRun, importId));
      if (!dryRun) onImported();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section className="card" data-testid="customer-import">
      <h2>{t('customers.import')}</h2>
      <p className="muted">{t('customers.importHint')}</p>
      <FilePicker accept=".csv,text/csv" onFile={(chosen) => (setFile(chosen), setReport(null))} data-testid="import-file" />
      <button type="button" className="button-quiet" disabled={!file} onClick={() => void run(true)} data-testid="import-dry-run">{t('customers.importCheck')}</button>
      <button type="button" className="button" disabled={!file || !!report?.problems.length} onClick={() => void run(false)} data-testid="import-run">{t('customers.importRun')}</button>
      <ErrorNotice error={error} testId="import-error" />
      {progress && <progress max={progress.total} value={progress.done} />}
      {report && (
        <div data-testid="import-report">
          <p>{t(report.dryRun ? 'customers.importChecked' : report.problems.length ? 'customers.importRefused' : 'customers.importDone', { customers: report.customers, contacts: report.contacts, problems: report.problems.length })}</p>
          <ul>{report.problems.map((p, i) => <li key={i} data-testid="import-problem">{t('customers.importLine', { line: p.line })}: {p.reason}</li>)}</ul>
        </div>
      )}
    </section>
  );
}
