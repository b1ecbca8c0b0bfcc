import { escalationChannels, type EscalationChannel, type EscalationLadder, type EscalationLimits } from '../../../../shared/announcements';
import { useI18n } from '../../i18n';
import { FieldProblemOf } from '../../ui/fieldProblems';

const units = { minutes: 1, hours: 60, days: 1440 } as const;
type Unit = keyof typeof units;

/** The largest unit that divides a number of minutes (90 → 90 minutes, 120 → 2 hours, 1440 → 1 day). */
function split(minutes: number): { amount: number; unit: Unit } {
  if (minutes % 1440 === 0) return { amount: minutes / 1440, unit: 'days' };
  if (minutes % 60 === 0) return { amount: minutes / 60, unit: 'hours' };
  return { amount: minutes, unit: 'minutes' };
}

/** The usual ladder: e-mail after 30 minutes, SMS after 2 hours, the direct head after a day, then e-mail daily. */
export const defaultLadder: EscalationLadder = {
  steps: [
    { channel: 'email', afterMinutes: 30 },
    { channel: 'sms', afterMinutes: 120 },
    { channel: 'head', afterMinutes: 1440 },
  ],
  repeat: { channel: 'email', everyHours: 24, times: 3 },
};

/** The escalation ladder of a must-acknowledge announcement: timed steps, then repeats, within the administrator's limits. */
export function LadderEditor({ value, onChange, limits }: { value: EscalationLadder; onChange: (ladder: EscalationLadder) => void; limits: EscalationLimits | null }) {
  const { t } = useI18n();
  const channels = escalationChannels.filter((c) => c !== 'sms' || limits?.allowSms !== false);
  const setStep = (i: number, change: Partial<{ channel: EscalationChannel; afterMinutes: number }>) =>
    onChange({ ...value, steps: value.steps.map((s, j) => (j === i ? { ...s, ...change } : s)) });
  return (
    <fieldset className="field ladder" data-testid="ladder-editor">
      <legend className="field-label">{t('announcements.ladder')}</legend>
      {limits && (
        <p className="field-hint" data-testid="ladder-limits">
          {t('announcements.ladder.limits', { steps: limits.maxSteps, min: limits.minDelayMinutes, days: limits.maxDelayDays, repeats: limits.maxRepeats })}
        </p>
      )}
      <p className="muted">{t('announcements.ladder.now')}</p>
      <ol className="ladder-steps">
        {value.steps.map((step, i) => {
          const { amount, unit } = split(step.afterMinutes);
          return (
            <li key={i} className="ladder-step" data-testid="ladder-step">
              <select value={step.channel} onChange={(e) => setStep(i, { channel: e.target.value as EscalationChannel })} aria-label={t('announcements.ladder.channel')} data-testid="ladder-step-channel">
                {channels.map((c) => (
                  <option key={c} value={c}>
                    {t(`announcements.channel.${c}`)}
                  </option>
                ))}
              </select>
              <span>{t('announcements.ladder.after')}</span>
              <input type="number" min={1} value={amount} onChange={(e) => setStep(i, { afterMinutes: Math.max(1, Math.round(Number(e.target.value) || 1)) * units[unit] })} aria-label={t('announcements.ladder.amount')} data-testid="ladder-step-amount" />
              <select value={unit} onChange={(e) => setStep(i, { afterMinutes: amount * units[e.target.value as Unit] })} aria-label={t('announcements.ladder.unit')}>
                {(Object.keys(units) as Unit[]).map((u) => (
                  <option key={u} value={u}>
                    {t(`announcements.unit.${u}`)}
                  </option>
                ))}
              </select>
              <button type="button" className="button-quiet" onClick={() => onChange({ ...value, steps: value.steps.filter((_, j) => j !== i) })}>
                {t('announcements.ladder.remove')}
              </button>
              <FieldProblemOf name={`escalation.steps.${i}.afterMinutes`} />
              <FieldProblemOf name={`escalation.steps.${i}.channel`} />
            </li>
          );
        })}
      </ol>
      <FieldProblemOf name="escalation.steps" />
      <FieldProblemOf name="escalation" />
      <div className="actions">
        <button
          type="button"
          className="button-quiet"
          data-testid="ladder-add"
          onClick={() => onChange({ ...value, steps: [...value.steps, { channel: 'email', afterMinutes: (value.steps.at(-1)?.afterMinutes ?? 0) + 60 }] })}
        >
          {t('announcements.ladder.add')}
        </button>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={value.repeat !== null} onChange={(e) => onChange({ ...value, repeat: e.target.checked ? { channel: 'email', everyHours: 24, times: 3 } : null })} data-testid="ladder-repeat" />
        {t('announcements.ladder.repeat')}
      </label>
      {value.repeat && (
        <div className="ladder-step">
          <select value={value.repeat.channel} onChange={(e) => onChange({ ...value, repeat: { ...value.repeat!, channel: e.target.value as 'app' | 'email' | 'sms' } })} aria-label={t('announcements.ladder.channel')}>
            {channels
              .filter((c) => c !== 'head')
              .map((c) => (
                <option key={c} value={c}>
                  {t(`announcements.channel.${c}`)}
                </option>
              ))}
          </select>
          <span>{t('announcements.ladder.every')}</span>
          <input type="number" min={1} value={value.repeat.everyHours} onChange={(e) => onChange({ ...value, repeat: { ...value.repeat!, everyHours: Math.max(1, Math.round(Number(e.target.value) || 1)) } })} aria-label={t('announcements.ladder.everyHours')} />
          <span>{t('announcements.unit.hours')}</span>
          <input type="number" min={1} value={value.repeat.times} onChange={(e) => onChange({ ...value, repeat: { ...value.repeat!, times: Math.max(1, Math.round(Number(e.target.value) || 1)) } })} aria-label={t('announcements.ladder.times')} />
          <span>{t('announcements.ladder.timesSuffix')}</span>
          <FieldProblemOf name="escalation.repeat.everyHours" />
          <FieldProblemOf name="escalation.repeat.times" />
          <FieldProblemOf name="escalation.repeat.channel" />
        </div>
      )}
    </fieldset>
  );
}
