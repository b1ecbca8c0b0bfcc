import type { ReportKind } from '../../../../shared/reportPeriods';
import type { ReportSectionDTO } from '../../../../shared/reports';
import type { Locale } from '../../../../shared/schemas/common';
import type { Translate } from '../../i18n';

/** A section's title in the reader's language (the English one where the template has it). */
export const sectionTitle = (section: ReportSectionDTO, locale: Locale) => (locale === 'en' && section.titleEn ? section.titleEn : section.title);

/** A period as people say it: a day, “week of …”, a month. */
export function periodLabel(t: Translate, kind: ReportKind, start: string, end: string): string {
  if (kind === 'daily') return start;
  if (kind === 'weekly') return t('reports.weekOf', { start, end });
  return start.slice(0, 7);
}

/** Today in a time zone (the organisation's), as YYYY-MM-DD. */
export const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
