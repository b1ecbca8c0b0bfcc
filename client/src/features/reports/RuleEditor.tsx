import { useEffect, useState } from 'react';
import type { DepartmentDTO } from '../../../../shared/dto';
import { reportKinds, type ReportRuleDTO } from '../../../../shared/reports';
import { useI18n } from '../../i18n';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { DepartmentOptions } from '../admin/departments/DepartmentOptions';
import { reportsApi, type RuleInput } from './reportsApi';

/** Reminder rules offered as presets (RFC 5545, evaluated in the organisation's zone by the reminders engine). */
const presets = { workdays: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', daily: 'FREQ=DAILY', fridays: 'FREQ=WEEKLY;BYDAY=FR', monthEnd: 'FREQ=MONTHLY;BYMONTHDAY=-1' } as const;
const defaults: Record<RuleInput['kind'], Pick<RuleInput, 'deadlineDay' | 'remindRrule'>> = {
  daily: { deadlineDay: 0, remindRrule: presets.workdays },
  weekly: { deadlineDay: 5, remindRrule: presets.fridays },
  monthly: { deadlineDay: 0, remindRrule: presets.monthEnd },
};
const blank = (kind: RuleInput['kind'], departmentId: string | null): RuleInput => ({
  kind, departmentId, required: true, deadlineDay: defaults[kind].deadlineDay, deadlineTime: '18:00', remindRrule: defaults[kind].remindRrule, remindTime: '17:30',
  lateReminder: false, headDigest: false, lateTime: '19:00', channels: ['email'],
});
const fromRule = (r: ReportRuleDTO): RuleInput => ({ ...r, departmentId: r.department?.id ?? null });

/** Per kind and department subtree (or the organisation): required or not, the deadline, and the reminders before and after it. */
export function RuleEditor({ departments, admin }: { departments: DepartmentDTO[]; admin: boolean }) {
  const { t } = useI18n();
  const [rules, setRules] = useState<ReportRuleDTO[]>([]);
  const [form, setForm] = useState<RuleInput | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = () => reportsApi.rules().then(setRules, setError);
  useEffect(() => void load(), []);
  const set = (patch: Partial<RuleInput>) => setForm((f) => f && { ...f, ...patch });
  const save = async () => {
    if (!form) return;
    setError(null);
    try {
      await reportsApi.saveRule(form);
      setForm(null);
      setDone(t('reports.saved'));
      await load();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section className="card form" data-testid="rule-editor">
      <h2>{t('reports.rules')}</h2>
      <p className="muted">{t('reports.rulesHint')}</p>
      <SuccessNotice message={done} testId="rule-saved" />
      <ul className="plain-list">
        {rules.map((r) => (
          <li key={r.id} data-testid="rule-row">
            <strong>{t(`reports.kind.${r.kind}`)}</strong> · {r.department?.name ?? t('reports.source.org')} · {r.required ? t('reports.deadlineSummary', { day: r.deadlineDay, time: r.deadlineTime }) : t('reports.notRequired')}
            {r.remindRrule && <span className="muted"> · {t('reports.remindAt', { time: r.remindTime ?? '' })}</span>}
            {r.can.edit && (
              <>
                <button type="button" className="link-button" onClick={() => setForm(fromRule(r))}> {t('reports.edit')}</button>
                <button type="button" className="link-button" onClick={() => void reportsApi.deleteRule(r.id).then(load, setError)}> {t('annotations.delete')}</button>
              </>
            )}
          </li>
        ))}
      </ul>
      {!form && (
        <div className="actions">
          <button type="button" className="button-quiet" data-testid="rule-new" onClick={() => setForm(blank('daily', admin ? null : departments[0]?.id ?? null))}>{t('reports.newRule')}</button>
        </div>
      )}
      {form && (
        <FieldProblems error={error}>
          <ErrorNotice error={error} testId="rule-error" fieldsShowProblems />
          <div className="form-grid">
            <Field label={t('reports.kindLabel')}>
              <select value={form.kind} onChange={(e) => setForm(blank(e.target.value as RuleInput['kind'], form.departmentId))} data-testid="rule-kind">
                {reportKinds.map((k) => <option key={k} value={k}>{t(`reports.kind.${k}`)}</option>)}
              </select>
            </Field>
            <Field label={t('reports.department')} name="departmentId">
              <select value={form.departmentId ?? ''} onChange={(e) => set({ departmentId: e.target.value || null })} data-testid="rule-department">
                {admin && <option value="">{t('reports.source.org')}</option>}
                <DepartmentOptions departments={departments} />
              </select>
            </Field>
            <label className="checkbox"><input type="checkbox" checked={form.required} onChange={(e) => set({ required: e.target.checked })} data-testid="rule-required" /> {t('reports.required')}</label>
            <Field label={t('reports.deadlineDay')} hint={t(`reports.deadlineDayHint.${form.kind}`)} name="deadlineDay">
              <input type="number" min={0} max={form.kind === 'daily' ? 5 : form.kind === 'weekly' ? 7 : 31} value={form.deadlineDay} onChange={(e) => set({ deadlineDay: Number(e.target.value) })} />
            </Field>
            <Field label={t('reports.deadlineTime')} name="deadlineTime">
              <input type="time" value={form.deadlineTime} onChange={(e) => set({ deadlineTime: e.target.value })} />
            </Field>
            <Field label={t('reports.remindRule')} name="remindRrule">
              <select value={form.remindRrule ?? ''} onChange={(e) => set({ remindRrule: e.target.value || null, remindTime: e.target.value ? form.remindTime ?? '17:30' : null })} data-testid="rule-remind">
                <option value="">{t('reports.noReminder')}</option>
                {Object.entries(presets).map(([name, rule]) => <option key={name} value={rule}>{t(`reports.preset.${name as keyof typeof presets}`)}</option>)}
              </select>
            </Field>
            {form.remindRrule && (
              <Field label={t('reports.remindTime')} name="remindTime">
                <input type="time" value={form.remindTime ?? ''} onChange={(e) => set({ remindTime: e.target.value })} />
              </Field>
            )}
            <label className="checkbox"><input type="checkbox" checked={form.lateReminder} onChange={(e) => set({ lateReminder: e.target.checked })} /> {t('reports.lateReminder')}</label>
            <label className="checkbox"><input type="checkbox" checked={form.headDigest} onChange={(e) => set({ headDigest: e.target.checked })} /> {t('reports.headDigest')}</label>
            {(form.lateReminder || form.headDigest) && (
              <Field label={t('reports.lateTime')} name="lateTime">
                <input type="time" value={form.lateTime} onChange={(e) => set({ lateTime: e.target.value })} />
              </Field>
            )}
            <fieldset className="field">
              <legend className="field-label">{t('reports.channels')}</legend>
              {(['email', 'sms'] as const).map((c) => (
                <label key={c} className="checkbox">
                  <input type="checkbox" checked={form.channels.includes(c)} onChange={() => set({ channels: form.channels.includes(c) ? form.channels.filter((x) => x !== c) : [...form.channels, c] })} /> {t(`reports.channel.${c}`)}
                </label>
              ))}
            </fieldset>
          </div>
          <div className="actions">
            <button type="button" className="button-primary" data-testid="rule-save" onClick={() => void save()}>{t('reports.save')}</button>
            <button type="button" className="button-quiet" onClick={() => (setForm(null), setError(null))}>{t('annotations.cancel')}</button>
          </div>
        </FieldProblems>
      )}
    </section>
  );
}
