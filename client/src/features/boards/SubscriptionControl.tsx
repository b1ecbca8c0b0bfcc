import { subscriptionLevels, type SubscriptionLevel } from '../../../../shared/boards';
import { useI18n } from '../../i18n';

/** Chooses a thread's or a board's level: watching, tracking, normal, muted (each says what it promises). */
export function SubscriptionControl({ level, onChange, testId }: { level: SubscriptionLevel; onChange: (level: SubscriptionLevel) => void; testId: string }) {
  const { t } = useI18n();
  return (
    <label className="subscription">
      <span className="muted">{t('boards.level')}</span>
      <select value={level} onChange={(e) => onChange(e.target.value as SubscriptionLevel)} data-testid={testId} title={t(`boards.level.${level}.hint`)}>
        {subscriptionLevels.map((l) => (
          <option key={l} value={l}>
            {t(`boards.level.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
