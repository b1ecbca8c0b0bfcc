import { useI18n } from '../i18n';

/**
 * A day (YYYY-MM-DD) shown in the interface's language ("2026年3月4日 周三"), which opens the
 * browser's date picker. A bare `<input type="date">` writes the date in the browser's format and
 * language (03/04/2026 in a Chinese page on an English phone); here it lies transparent over the
 * button, so a tap or click still lands on it and the native picker opens.
 */
export function DateButton({ value, onChange, label, testId }: { value: string; onChange: (day: string) => void; label: string; testId?: string }) {
  const { t, locale } = useI18n();
  const [y, m, d] = value.split('-').map(Number);
  const shown = new Date(y, m - 1, d).toLocaleDateString(locale, { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' });
  return (
    <span className="date-button">
      <input type="date" value={value} data-testid={testId} aria-label={`${label}: ${t('mobile.date.pick', { date: shown })}`} onChange={(e) => e.target.value && onChange(e.target.value)} />
      <span className="button-quiet date-button-face" aria-hidden="true">
        {shown}
      </span>
    </span>
  );
}
