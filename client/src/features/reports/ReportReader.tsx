import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LexicalEditor } from 'lexical';
import type { ReportDTO } from '../../../../shared/reports';
import { emptyDocument, type RichTextDocument } from '../../../../shared/richText';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n';
import { AnnotationThreads } from '../annotations/AnnotationThreads';
import { attachToAnnotation, Composer } from '../annotations/Composer';
import { reportsApi } from './reportsApi';
import { sectionTitle } from './labels';
import { markSelection, SectionView, type MarkInfo } from './SectionView';
import { ReportFacts } from './ReportFacts';

/** A passage the reader marked and is writing a remark on. */
type Pending = { sectionKey: string; markId: string; quote: string; document: RichTextDocument };

const newMarkId = () => `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * A submitted report as its readers (and its author) see it: the sections with annotated passages
 * highlighted, and beside them the annotation threads. Those it was sent to select a passage to
 * annotate it, or annotate the whole report; everyone who may replies and resolves from the threads.
 */
export function ReportReader({ report, act, onEdit, focusAnnotation }: { report: ReportDTO; act: (work: () => Promise<unknown>) => Promise<void>; onEdit?: () => void; focusAnnotation: string | null }) {
  const { t, locale } = useI18n();
  const [selected, setSelected] = useState<string | null>(focusAnnotation);
  const [selection, setSelection] = useState<{ sectionKey: string; text: string } | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const editors = useRef(new Map<string, { current: LexicalEditor | null }>());
  const editorRef = (key: string) => {
    if (!editors.current.has(key)) editors.current.set(key, { current: null });
    return editors.current.get(key)!;
  };
  const marks: MarkInfo = useMemo(() => new Map(report.annotations.filter((a) => a.anchor).map((a) => [a.anchor!.markId, { annotationId: a.id, resolved: !!a.resolvedAt }])), [report.annotations]);
  const activeMarkId = report.annotations.find((a) => a.id === selected)?.anchor?.markId ?? pending?.markId ?? null;
  const onMarkClick = useCallback((markId: string) => {
    const id = marks.get(markId)?.annotationId;
    if (!id) return;
    setSelected(id);
    document.getElementById(`annotation-${id}`)?.scrollIntoView({ block: 'nearest' });
  }, [marks]);

  // Which section (if any) the reader's selection lies in, and its text, for the "annotate passage" action.
  useEffect(() => {
    if (!report.can.annotate) return;
    const update = () => {
      const current = window.getSelection();
      const element = current && !current.isCollapsed ? (current.anchorNode?.parentElement?.closest('[data-section]') as HTMLElement | null) : null;
      const text = current?.toString().trim() ?? '';
      setSelection(element && text && element.contains(current!.focusNode) ? { sectionKey: element.dataset.section!, text } : null);
    };
    document.addEventListener('selectionchange', update);
    return () => document.removeEventListener('selectionchange', update);
  }, [report.can.annotate]);

  const startPassage = () => {
    if (!selection) return;
    const editor = editors.current.get(selection.sectionKey)?.current;
    const markId = newMarkId();
    const document = editor ? markSelection(editor, markId) : null;
    if (document) setPending({ sectionKey: selection.sectionKey, markId, quote: selection.text, document });
    window.getSelection()?.removeAllRanges();
  };
  const cancelPassage = () => {
    const editor = pending && editors.current.get(pending.sectionKey)?.current;
    const original = pending && report.content[pending.sectionKey];
    if (editor) editor.setEditorState(editor.parseEditorState(JSON.stringify(original ?? emptyDocument())));
    setPending(null);
  };
  const sendPassage = async (body: Record<string, unknown>, fileIds: string[]) => {
    if (!pending) return;
    const { sectionKey, markId, document } = pending;
    await act(async () => attachToAnnotation(await reportsApi.annotate(report.id, body, { sectionKey, markId, revision: report.revision, document: document as unknown as Record<string, unknown> }), fileIds));
    setPending(null);
  };

  return (
    <div className="report-layout">
      <article className="card report-body" data-testid="report-reader">
        <ReportFacts report={report} />
        {onEdit && report.can.edit && (
          <div className="toolbar">
            <button type="button" className="button-quiet" data-testid="report-edit" onClick={onEdit}>{t('reports.edit')}</button>
          </div>
        )}
        {report.can.annotate && (
          <div className="report-selection-bar" data-testid="selection-bar">
            {selection ? (
              <button type="button" className="button-primary" data-testid="annotate-passage" onMouseDown={(e) => e.preventDefault()} onClick={startPassage}>
                {t('reports.annotatePassage')}
              </button>
            ) : (
              <span className="muted">{t('reports.selectToAnnotate')}</span>
            )}
          </div>
        )}
        {report.sections.map((section) => (
          <section key={section.key} className="report-section" data-testid={`report-section-${section.key}`}>
            <h3>{sectionTitle(section, locale)}</h3>
            <SectionView sectionKey={section.key} label={sectionTitle(section, locale)} doc={(report.content[section.key] as unknown as RichTextDocument | undefined) ?? emptyDocument()} marks={marks} activeMarkId={activeMarkId} onMarkClick={onMarkClick} editorRef={editorRef(section.key)} />
          </section>
        ))}
        {report.links.length > 0 && (
          <section className="report-section" data-testid="report-links">
            <h3>{t('reports.links')}</h3>
            <ul>
              {report.links.map((l) => (
                <li key={l.entryId}>
                  <Link to="/schedule">{l.entryTitle}</Link>
                  {l.customer && <> · <Link to={`/customers/${l.customer.id}`}>{l.customer.name}</Link></>}
                </li>
              ))}
            </ul>
          </section>
        )}
      </article>
      <aside className="report-side" data-testid="report-side">
        <h2>{t('annotations.title')}</h2>
        {pending && (
          <div className="card annotation-draft" data-testid="passage-draft">
            <blockquote className="annotation-quote">{pending.quote}</blockquote>
            <Composer testId="annotate-passage-composer" label={t('annotations.annotate')} files onSend={sendPassage} onCancel={cancelPassage} cancelLabel={t('annotations.cancel')} />
          </div>
        )}
        <AnnotationThreads annotations={report.annotations} act={act} selectedId={selected} onSelect={setSelected} />
        {report.can.annotate && !pending && (
          <div className="card">
            <h3>{t('annotations.wholeReport')}</h3>
            <Composer testId="annotate" label={t('annotations.annotate')} files onSend={(doc, fileIds) => act(async () => attachToAnnotation(await reportsApi.annotate(report.id, doc), fileIds))} />
          </div>
        )}
      </aside>
    </div>
  );
}
