import { useEffect, useState, type FormEvent } from 'react';
import type { EscalationLimits } from '../../../../shared/announcements';
import { api } from '../../api/http';
import { useI18n } from '../../i18n';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { announcementsApi } from './announcementsApi';

const numbers = ['maxSteps', 'minDelayMinutes', 'maxDelayDays', 'maxRepeats'] as const;

/** The administrator's bounds for every escalation ladder publishers set (organisation setting). */
export function EscalationLimitsForm() {
  const { t } = useI18n();
  const [limits, setLimits] = useState<EscalationLimits | null>(null);
  const [state, setState] = useState<{ error: unknown; done: string | null }>({ error: null, done: null });
  useEffect(() => {
    announcementsApi.limits().then(setLimits, (error) => setState({ error, done: null }));
  }, []);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!limits) return;
    try {
      const saved = await api.patch<{ escalationLimits: EscalationLimits }>('/api/settings', { escalationLimits: limits });
      setLimits(saved.escalationLimits);
      setState({ error: null, done: t('orgSettings.saved') });
    } catch (error) {
      setState({ error, done: null });
    }
  };
  return (
    <form className="card form" onSubmit={save} data-testid="escalation-limits">
      <h2>{t('announcements.limits')}</h2>
      <FieldProblems error={state.error}>
        <ErrorNotice error={state.error} testId="escalation-limits-error" fieldsShowProblems />
        {limits && (
          <>
            <div className="form-grid">
              {numbers.map((key) => (
                <Field key={key} label={t(`announcements.limits.${key}`)} name={`escalationLimits.${key}`}>
                  <input type="number" value={limits[key]} onChange={(e) => setLimits({ ...limits, [key]: Math.round(Number(e.target.value)) })} data-testid={`limits-${key}`} />
                </Field>
              ))}
            </div>
            <label className="checkbox">
              <input type="checkbox" checked={limits.allowSms} onChange={(e) => setLimits({ ...limits, allowSms: e.target.checked })} data-testid="limits-allowSms" /> {t('announcements.limits.allowSms')}
            </label>
          </>
        )}
        <div className="toolbar">
          <button type="submit" className="button" disabled={!limits} data-testid="escalation-limits-save">
            {t('common.save')}
          </button>
        </div>
        <SuccessNotice message={state.done} testId="escalation-limits-saved" />
      </FieldProblems>
    </form>
  );
}
