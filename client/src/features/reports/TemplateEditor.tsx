import { useEffect, useState } from 'react';
import type { DepartmentDTO } from '../../../../shared/dto';
import type { ReportKind } from '../../../../shared/reportPeriods';
import { reportKinds, sectionFills, type ReportSectionDTO, type ReportTemplateDTO } from '../../../../shared/reports';
import { useI18n } from '../../i18n';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { DepartmentOptions } from '../admin/departments/DepartmentOptions';
import { reportsApi, type TemplateInput } from './reportsApi';

const blankSection = (n: number): ReportSectionDTO => ({ key: `section_${n}`, title: '', titleEn: '', required: false, fill: null });
const fromTemplate = (t: ReportTemplateDTO): TemplateInput => ({ name: t.name, kinds: t.kinds, sections: t.sections, departmentIds: t.departments.map((d) => d.id) });

/** Templates: the built-in one of each kind and those defined for departments; a form to change or add one. */
export function TemplateEditor({ departments }: { departments: DepartmentDTO[] }) {
  const { t } = useI18n();
  const [templates, setTemplates] = useState<ReportTemplateDTO[]>([]);
  const [editing, setEditing] = useState<{ id: string | null; input: TemplateInput; builtIn: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = () => reportsApi.templates().then(setTemplates, setError);
  useEffect(() => void load(), []);

  const save = async () => {
    if (!editing) return;
    setError(null);
    try {
      if (editing.id) await reportsApi.updateTemplate(editing.id, editing.builtIn ? { name: editing.input.name, sections: editing.input.sections } : editing.input);
      else await reportsApi.createTemplate(editing.input);
      setEditing(null);
      setDone(t('reports.saved'));
      await load();
    } catch (e) {
      setError(e);
    }
  };
  const setInput = (patch: Partial<TemplateInput>) => setEditing((e) => e && { ...e, input: { ...e.input, ...patch } });
  const setSection = (i: number, patch: Partial<ReportSectionDTO>) => setInput({ sections: editing!.input.sections.map((s, j) => (i === j ? { ...s, ...patch } : s)) });
  const toggleKind = (k: ReportKind) => setInput({ kinds: editing!.input.kinds.includes(k) ? editing!.input.kinds.filter((x) => x !== k) : [...editing!.input.kinds, k] });

  return (
    <section className="card form" data-testid="template-editor">
      <h2>{t('reports.templates')}</h2>
      <SuccessNotice message={done} testId="template-saved" />
      <ul className="plain-list">
        {templates.map((tpl) => (
          <li key={tpl.id} data-testid="template-row">
            <strong>{tpl.name}</strong> <span className="muted">{tpl.kinds.map((k) => t(`reports.kind.${k}`)).join(' / ')}</span>
            {tpl.builtIn && <span className="tag"> {t('reports.builtIn')}</span>}
            {!tpl.active && <span className="tag"> {t('reports.inactive')}</span>}
            <span className="muted"> {tpl.departments.map((d) => d.name).join('、')}</span>
            {tpl.can.edit && (
              <button type="button" className="link-button" data-testid="template-edit" onClick={() => setEditing({ id: tpl.id, input: fromTemplate(tpl), builtIn: tpl.builtIn })}> {t('reports.edit')}</button>
            )}
            {tpl.can.edit && !tpl.builtIn && (
              <button type="button" className="link-button" onClick={() => void reportsApi.updateTemplate(tpl.id, { active: !tpl.active }).then(load, setError)}> {t(tpl.active ? 'reports.deactivate' : 'reports.activate')}</button>
            )}
          </li>
        ))}
      </ul>
      {!editing && (
        <div className="actions">
          <button type="button" className="button-quiet" data-testid="template-new" onClick={() => setEditing({ id: null, input: { name: '', kinds: ['daily'], sections: [blankSection(1)], departmentIds: [] }, builtIn: false })}>{t('reports.newTemplate')}</button>
        </div>
      )}
      {editing && (
        <FieldProblems error={error}>
          <ErrorNotice error={error} testId="template-error" fieldsShowProblems />
          <Field label={t('reports.templateName')} name="name">
            <input value={editing.input.name} onChange={(e) => setInput({ name: e.target.value })} data-testid="template-name" />
          </Field>
          {!editing.builtIn && (
            <>
              <fieldset className="field">
                <legend className="field-label">{t('reports.kindLabel')}</legend>
                {reportKinds.map((k) => (
                  <label key={k} className="checkbox"><input type="checkbox" checked={editing.input.kinds.includes(k)} onChange={() => toggleKind(k)} /> {t(`reports.kind.${k}`)}</label>
                ))}
              </fieldset>
              <Field label={t('reports.appliesTo')} name="departmentIds">
                <select multiple value={editing.input.departmentIds} onChange={(e) => setInput({ departmentIds: [...e.target.selectedOptions].map((o) => o.value) })} data-testid="template-departments">
                  <DepartmentOptions departments={departments} />
                </select>
              </Field>
            </>
          )}
          {editing.input.sections.map((s, i) => (
            <fieldset key={i} className="section-row form-grid">
              <Field label={t('reports.sectionKey')} name={`sections.${i}.key`}><input value={s.key} onChange={(e) => setSection(i, { key: e.target.value })} /></Field>
              <Field label={t('reports.sectionTitle')} name={`sections.${i}.title`}><input value={s.title} onChange={(e) => setSection(i, { title: e.target.value })} /></Field>
              <Field label={t('reports.sectionTitleEn')} name={`sections.${i}.titleEn`}><input value={s.titleEn} onChange={(e) => setSection(i, { titleEn: e.target.value })} /></Field>
              <Field label={t('reports.sectionFill')}>
                <select value={s.fill ?? ''} onChange={(e) => setSection(i, { fill: (e.target.value || null) as ReportSectionDTO['fill'] })}>
                  <option value="">—</option>
                  {sectionFills.map((f) => <option key={f} value={f}>{t(`reports.fill.${f}`)}</option>)}
                </select>
              </Field>
              <label className="checkbox"><input type="checkbox" checked={s.required} onChange={(e) => setSection(i, { required: e.target.checked })} /> {t('reports.required')}</label>
              <button type="button" className="link-button" disabled={editing.input.sections.length < 2} onClick={() => setInput({ sections: editing.input.sections.filter((_, j) => j !== i) })}>{t('reports.removeSection')}</button>
            </fieldset>
          ))}
          <div className="actions">
            <button type="button" className="button-quiet" onClick={() => setInput({ sections: [...editing.input.sections, blankSection(editing.input.sections.length + 1)] })}>{t('reports.addSection')}</button>
            <button type="button" className="button-primary" data-testid="template-save" onClick={() => void save()}>{t('reports.save')}</button>
            <button type="button" className="button-quiet" onClick={() => (setEditing(null), setError(null))}>{t('annotations.cancel')}</button>
          </div>
        </FieldProblems>
      )}
    </section>
  );
}
