import { useCallback, useEffect, useRef, useState } from 'react';
import type { DepartmentDTO, UserSummaryDTO } from '../../../../shared/dto';
import type { ReportDTO } from '../../../../shared/reports';
import type { RichTextDocument } from '../../../../shared/richText';
import { ApiError } from '../../api/http';
import { RichTextEditor } from '../../components/RichTextEditor';
import { UserSearch } from '../../components/UserSearch';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { FieldProblemOf, FieldProblems } from '../../ui/fieldProblems';
import { DepartmentOptions } from '../admin/departments/DepartmentOptions';
import { sectionTitle } from './labels';
import { ReportFacts } from './ReportFacts';
import { reportsApi } from './reportsApi';

type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error';
const AUTOSAVE_MS = 800;

/**
 * The author's editor: a rich-text editor per section of the report's template, autosaved a moment
 * after each change (from the revision it was loaded at: a change made elsewhere meanwhile is not
 * overwritten, the author is asked to reload), "draft from my schedule", the people and departments
 * copied in, and submitting. Passage marks of annotations stay on their text as the author edits.
 */
export function ReportEditor({ report, onSaved, onReload, onDone, onFiles }: { report: ReportDTO; onSaved: (report: ReportDTO) => void; onReload: () => void; onDone?: () => void; /** Files pasted or dropped into a section: uploaded and attached to the report (its files panel shows them). */ onFiles?: (files: File[]) => void }) {
  const { t, locale } = useI18n();
  const [state, setState] = useState<SaveState>('saved');
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  const [cc, setCc] = useState<UserSummaryDTO[]>(report.receivers.filter((r) => r.role === 'cc').map((r) => r.user));
  const [ccDepartments, setCcDepartments] = useState(report.ccDepartments);
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  useEffect(() => void reportsApi.departments().then(setDepartments, () => setDepartments([])), []);
  const pending = useRef<Record<string, RichTextDocument>>({});
  const revision = useRef(report.revision);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const saving = useRef<Promise<void> | null>(null);

  const flush = useCallback(async (): Promise<boolean> => {
    clearTimeout(timer.current);
    if (saving.current) await saving.current;
    const content = pending.current;
    if (!Object.keys(content).length) return true;
    pending.current = {};
    setState('saving');
    let ok = true;
    saving.current = reportsApi.save(report.id, { revision: revision.current, content }).then(
      (saved) => {
        revision.current = saved.revision;
        setState(Object.keys(pending.current).length ? 'unsaved' : 'saved');
        onSaved(saved);
      },
      (e: unknown) => {
        ok = false;
        // Unsaved text stays in the editors; a conflict needs the author to reload first.
        pending.current = { ...content, ...pending.current };
        setState(e instanceof ApiError && e.code === 'conflict' ? 'conflict' : 'error');
        setError(e);
      },
    );
    await saving.current;
    saving.current = null;
    return ok;
  }, [report.id, onSaved]);

  useEffect(() => () => clearTimeout(timer.current), []);
  const changed = (key: string, doc: RichTextDocument) => {
    pending.current = { ...pending.current, [key]: doc };
    setState('unsaved');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_MS);
  };
  const run = async (work: () => Promise<void>) => {
    setError(null);
    try {
      if (await flush()) await work();
    } catch (e) {
      setError(e);
    }
  };
  const saveCc = (next: UserSummaryDTO[]) =>
    run(async () => {
      const saved = await reportsApi.save(report.id, { revision: revision.current, ccUserIds: next.map((u) => u.id) });
      revision.current = saved.revision;
      setCc(next);
      onSaved(saved);
    });
  const saveCcDepartments = (next: { id: string; name: string }[]) =>
    run(async () => {
      const saved = await reportsApi.save(report.id, { revision: revision.current, ccDepartmentIds: next.map((d) => d.id) });
      revision.current = saved.revision;
      setCcDepartments(next);
      onSaved(saved);
    });
  const fromSchedule = () =>
    run(async () => {
      const { report: filled } = await reportsApi.fromSchedule(report.id);
      revision.current = filled.revision;
      onSaved(filled);
      setRound((r) => r + 1);
    });
  const submit = () =>
    run(async () => {
      const submitted = await reportsApi.submit(report.id, revision.current);
      revision.current = submitted.revision;
      onSaved(submitted);
      onDone?.();
    });

  return (
    <article className="card report-editor" data-testid="report-editor">
      <ReportFacts report={report} />
      <div className="toolbar report-editor-tools">
        <span className={`autosave autosave-${state}`} data-testid="autosave-state" data-state={state}>{t(`reports.save.${state}`)}</span>
        {state === 'conflict' && (
          <button type="button" className="button-quiet" data-testid="report-reload" onClick={onReload}>{t('reports.reload')}</button>
        )}
        {report.status === 'draft' && (
          <button type="button" className="button-quiet" data-testid="draft-from-schedule" onClick={() => void fromSchedule()}>{t('reports.fromSchedule')}</button>
        )}
      </div>
      <ErrorNotice error={state === 'conflict' ? null : error} testId="report-error" fieldsShowProblems onDismiss={() => setError(null)} />
      <FieldProblems error={error}>
        {report.sections.map((section) => (
          <section key={`${section.key}-${round}`} className="report-section" data-testid={`editor-section-${section.key}`}>
            <h3>
              {sectionTitle(section, locale)}
              {section.required && <span className="muted"> *</span>}
            </h3>
            <RichTextEditor initialValue={report.content[section.key] as unknown as RichTextDocument | undefined} onChange={(doc) => changed(section.key, doc)} placeholder={t('reports.sectionPlaceholder')} onFiles={onFiles} />
            <FieldProblemOf name={`content.${section.key}`} />
          </section>
        ))}
      </FieldProblems>
      <section className="report-section">
        <h3>{t('reports.cc')}</h3>
        <ul className="chips" data-testid="cc-list">
          {cc.map((u) => (
            <li key={u.id} className="chip">
              {u.displayName}
              <button type="button" aria-label={t('common.dismiss')} onClick={() => void saveCc(cc.filter((x) => x.id !== u.id))}>×</button>
            </li>
          ))}
        </ul>
        <UserSearch testId="cc" exclude={new Set([report.author.id, ...cc.map((u) => u.id)])} onPick={(u) => void saveCc([...cc, u])} />
        <ul className="chips" data-testid="cc-departments">
          {ccDepartments.map((d) => (
            <li key={d.id} className="chip">
              {d.name}
              <button type="button" aria-label={t('common.dismiss')} onClick={() => void saveCcDepartments(ccDepartments.filter((x) => x.id !== d.id))}>×</button>
            </li>
          ))}
        </ul>
        <select
          value=""
          aria-label={t('reports.ccDepartment')}
          data-testid="cc-department"
          onChange={(e) => {
            const picked = departments.find((d) => d.id === e.target.value);
            if (picked) void saveCcDepartments([...ccDepartments, { id: picked.id, name: picked.name }]);
          }}
        >
          <option value="">{t('reports.ccDepartment')}</option>
          <DepartmentOptions departments={departments} exclude={new Set(ccDepartments.map((d) => d.id))} />
        </select>
      </section>
      <div className="actions">
        {report.can.submit && (
          <button type="button" className="button-primary" data-testid="report-submit" onClick={() => void submit()} disabled={state === 'conflict'}>{t('reports.submit')}</button>
        )}
        {report.status === 'submitted' && onDone && (
          <button type="button" className="button-quiet" data-testid="report-done" onClick={() => void run(async () => onDone())}>{t('reports.doneEditing')}</button>
        )}
      </div>
    </article>
  );
}
