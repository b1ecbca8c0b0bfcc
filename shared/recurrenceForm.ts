/**
 * The reminder editor's friendly recurrence ("every N days", "weekly on Mon, Wed", "monthly on
 * the 15th / last day", "yearly on 29 Feb") and its RFC 5545 RRULE, both ways. Rules the form
 * cannot show stay as raw RRULE text (`custom`), for advanced users.
 */
export const weekdays = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof weekdays)[number];

export type RecurrenceForm =
  | { kind: 'once' }
  | { kind: 'daily'; interval: number }
  | { kind: 'weekly'; interval: number; weekdays: Weekday[] }
  | { kind: 'monthly'; interval: number; day: number | 'last' }
  | { kind: 'yearly'; month: number; day: number }
  | { kind: 'custom'; rrule: string };

/** How a recurring reminder ends: never, after a date (inclusive, YYYY-MM-DD) or after a count. */
export type RecurrenceEnd = { until?: string; count?: number };

/** The RRULE of a friendly recurrence (null for a one-time reminder). */
export function formToRrule(form: RecurrenceForm, end: RecurrenceEnd = {}): string | null {
  if (form.kind === 'once') return null;
  if (form.kind === 'custom') return form.rrule.trim().replace(/^RRULE:/i, '');
  const parts: string[] = [];
  const every = (interval: number) => (interval > 1 ? [`INTERVAL=${interval}`] : []);
  switch (form.kind) {
    case 'daily':
      parts.push('FREQ=DAILY', ...every(form.interval));
      break;
    case 'weekly':
      parts.push('FREQ=WEEKLY', ...every(form.interval), `BYDAY=${weekdays.filter((d) => form.weekdays.includes(d)).join(',')}`);
      break;
    case 'monthly':
      // The 31st is skipped in shorter months (RFC 5545); "last" is BYMONTHDAY=-1.
      parts.push('FREQ=MONTHLY', ...every(form.interval), `BYMONTHDAY=${form.day === 'last' ? -1 : form.day}`);
      break;
    case 'yearly':
      // 29 February happens in leap years only.
      parts.push('FREQ=YEARLY', `BYMONTH=${form.month}`, `BYMONTHDAY=${form.day}`);
      break;
  }
  if (end.count) parts.push(`COUNT=${end.count}`);
  else if (end.until) parts.push(`UNTIL=${end.until.replace(/-/g, '')}`);
  return parts.join(';');
}

/** The friendly form of an RRULE when it has one, otherwise `custom`. */
export function rruleToForm(rrule: string | null | undefined): { form: RecurrenceForm; end: RecurrenceEnd } {
  if (!rrule) return { form: { kind: 'once' }, end: {} };
  const text = rrule.trim().replace(/^RRULE:/i, '').toUpperCase();
  const parts = new Map(text.split(';').map((p) => p.split('=') as [string, string]));
  const end: RecurrenceEnd = {};
  if (parts.has('COUNT')) end.count = Number(parts.get('COUNT'));
  const until = parts.get('UNTIL');
  if (until && /^\d{8}$/.test(until)) end.until = `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}`;
  const known = new Set(['FREQ', 'INTERVAL', 'COUNT', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', ...(end.until ? ['UNTIL'] : [])]);
  const custom = { form: { kind: 'custom', rrule: text } as RecurrenceForm, end: {} };
  if ([...parts.keys()].some((k) => !known.has(k))) return custom;
  const interval = Number(parts.get('INTERVAL') ?? 1);
  const byDay = parts.get('BYDAY');
  const byMonthDay = parts.get('BYMONTHDAY');
  const byMonth = parts.get('BYMONTH');
  switch (parts.get('FREQ')) {
    case 'DAILY':
      return !byDay && !byMonthDay && !byMonth ? { form: { kind: 'daily', interval }, end } : custom;
    case 'WEEKLY': {
      const days = (byDay ?? '').split(',');
      return byDay && !byMonthDay && !byMonth && days.every((d) => (weekdays as readonly string[]).includes(d)) ? { form: { kind: 'weekly', interval, weekdays: days as Weekday[] }, end } : custom;
    }
    case 'MONTHLY':
      if (byDay || byMonth || !byMonthDay || !/^(-1|[1-9]|[12]\d|3[01])$/.test(byMonthDay)) return custom;
      return { form: { kind: 'monthly', interval, day: byMonthDay === '-1' ? 'last' : Number(byMonthDay) }, end };
    case 'YEARLY':
      if (byDay || interval !== 1 || !byMonth || !byMonthDay || !/^\d{1,2}$/.test(byMonth) || !/^\d{1,2}$/.test(byMonthDay)) return custom;
      return { form: { kind: 'yearly', month: Number(byMonth), day: Number(byMonthDay) }, end };
    default:
      return custom;
  }
}

const names = {
  en: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] },
  'zh-CN': { days: ['一', '二', '三', '四', '五', '六', '日'], months: [] as string[] },
};
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

/** A one-line description for the editor and lists, in English or Chinese. */
export function describeRecurrence(form: RecurrenceForm, end: RecurrenceEnd, locale: 'en' | 'zh-CN'): string {
  const zh = locale === 'zh-CN';
  const sorted = (list: Weekday[]) => weekdays.filter((d) => list.includes(d));
  const days = (list: Weekday[]) => sorted(list).map((d) => names[locale].days[weekdays.indexOf(d)]).join(zh ? '、' : ', ');
  let text: string;
  switch (form.kind) {
    case 'once':
      return zh ? '仅一次' : 'Once';
    case 'custom':
      return form.rrule;
    case 'daily':
      text = zh ? (form.interval > 1 ? `每 ${form.interval} 天` : '每天') : form.interval > 1 ? `Every ${form.interval} days` : 'Every day';
      break;
    case 'weekly':
      text = zh ? `${form.interval > 1 ? `每 ${form.interval} 周的` : '每周'}${sorted(form.weekdays).map((d) => '周' + names['zh-CN'].days[weekdays.indexOf(d)]).join('、')}` : `${form.interval > 1 ? `Every ${form.interval} weeks` : 'Weekly'} on ${days(form.weekdays)}`;
      break;
    case 'monthly': {
      const day = form.day === 'last' ? (zh ? '最后一天' : 'the last day') : zh ? `${form.day} 日` : `the ${ordinal(form.day)}`;
      text = zh ? `${form.interval > 1 ? `每 ${form.interval} 个月的` : '每月'}${day}` : `${form.interval > 1 ? `Every ${form.interval} months` : 'Monthly'} on ${day}`;
      break;
    }
    case 'yearly':
      text = zh ? `每年 ${form.month} 月 ${form.day} 日` : `Yearly on ${form.day} ${names.en.months[form.month - 1]}`;
      break;
  }
  if (end.count) text += zh ? `，共 ${end.count} 次` : `, ${end.count} times`;
  else if (end.until) text += zh ? `，直到 ${end.until}` : `, until ${end.until}`;
  return text;
}
