import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReportDTO, ReportVersionDTO } from '../../../../shared/reports';
import { reportStream } from '../../../../shared/reports';
import type { RichTextDocument } from '../../../../shared/richText';
import { Link, useLocation } from '../../app/router';
import { RichTextView } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { FilesPanel } from '../files/FilesPanel';
import { FileChangesProvider, useFileChangesSource } from '../files/fileChanges';
import { useAttachingUploads } from '../files/useUploads';
import { sectionTitle } from './labels';
import { ReportEditor } from './ReportEditor';
import { ReportReader } from './ReportReader';
import { reportsApi } from './reportsApi';

/** An earlier version of a report, read-only. */
function VersionView({ reportId, version }: { reportId: string; version: number }) {
  const { t, locale } = useI18n();
  const [found, setFound] = useState<ReportVersionDTO | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => void reportsApi.version(reportId, version).then(setFound, setError), [reportId, version]);
  if (!found) return <ErrorNotice error={error} testId="version-error" />;
  return (
    <article className="card" data-testid="report-version">
      <p><Link to={`/reports/${reportId}`}>{t('reports.backToCurrent')}</Link></p>
      <h1>{t('reports.versionN', { n: version })}</h1>
      {found.sections.map((s) => (
        <section key={s.key} className="report-section">
          <h3>{sectionTitle(s, locale)}</h3>
          {found.content[s.key] ? <RichTextView doc={found.content[s.key] as unknown as RichTextDocument} /> : <p className="muted">—</p>}
        </section>
      ))}
    </article>
  );
}

/**
 * One report: its author writes a draft (or changes a submitted one) in the editor, everyone else
 * reads it — which records 已阅 — and annotates. It follows the report's stream, so reads,
 * annotations and replies arrive as they happen.
 */
export function ReportPage({ id }: { id: string }) {
  const me = useMe();
  const { search } = useLocation();
  const version = Number(search.get('version')) || null;
  const [report, setReport] = useState<ReportDTO | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const readRecorded = useRef(false);
  // Files of the report and its annotations: the lists refresh when the report's stream says they changed.
  const fileChanges = useFileChangesSource();
  // Files pasted into a section, or chosen in the files panel, go straight onto the report.
  const reportUploads = useAttachingUploads('report', id, () => fileChanges.emit({ kind: 'report', hostId: id }));

  const load = useCallback(async () => {
    try {
      const loaded = await reportsApi.get(id);
      setReport(loaded);
      setError(null);
      if (loaded.author.id === me.id && loaded.status === 'draft') setEditing(true);
      if (loaded.author.id !== me.id && loaded.status === 'submitted' && !readRecorded.current) {
        readRecorded.current = true;
        await reportsApi.read(id);
      }
    } catch (e) {
      setError(e);
    }
  }, [id, me.id]);
  useEffect(() => void load(), [load]);
  useStream(reportStream(id), (event) => {
    // Files change nothing of the report itself: only the lists of files follow.
    if (event.type === 'attachments.changed') return fileChanges.emit(event.data);
    // The author's own saves come back as changes; while editing, the editor's revision guards against the others.
    if (editing && event.type === 'report.changed') return;
    void load();
  });
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      setError(null);
    } catch (e) {
      setError(e);
    }
    await load();
  };

  if (version) return <VersionView reportId={id} version={version} />;
  if (!report) return <ErrorNotice error={error} testId="report-load-error" />;
  const focus = search.get('annotation');
  return (
    <FileChangesProvider value={fileChanges}>
    <section className="page" data-testid="report-page" data-report-id={report.id}>
      <ErrorNotice error={error} testId="report-page-error" onDismiss={() => setError(null)} />
      {editing && report.can.edit ? (
        <ReportEditor report={report} onSaved={setReport} onReload={() => void load()} onDone={() => (setEditing(false), void load())} onFiles={reportUploads.add} />
      ) : (
        <ReportReader report={report} act={act} onEdit={report.author.id === me.id ? () => setEditing(true) : undefined} focusAnnotation={focus} />
      )}
      <FilesPanel kind="report" hostId={report.id} canAdd={report.author.id === me.id} uploads={reportUploads} />
    </section>
    </FileChangesProvider>
  );
}
