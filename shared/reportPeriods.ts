/**
 * Report periods as calendar dates (YYYY-MM-DD) in the organisation's time zone: a day, an ISO
 * week (Monday to Sunday) or a month. Pure date arithmetic on the proleptic Gregorian calendar,
 * shared by the server (periods, deadlines, status) and the client (navigation, grids).
 */

export const reportKinds = ['daily', 'weekly', 'monthly'] as const;
export type ReportKind = (typeof reportKinds)[number];

/** A period: its first and last day, both included. */
export type Period = { start: string; end: string };

const toUtc = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date;
};
const fromUtc = (date: Date) => {
  const y = date.getUTCFullYear();
  return `${String(y).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
};

/** The day `n` days after `day` (before, for a negative n). */
export function addDays(day: string, n: number): string {
  const date = toUtc(day);
  date.setUTCDate(date.getUTCDate() + n);
  return fromUtc(date);
}

/** Days from `a` to `b` (negative when b is before a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

/** ISO weekday: 1 Monday … 7 Sunday. */
export function isoWeekday(day: string): number {
  return ((toUtc(day).getUTCDay() + 6) % 7) + 1;
}

/** The last day of the month of `day`. */
export function monthEnd(day: string): string {
  const date = toUtc(day.slice(0, 7) + '-01');
  date.setUTCMonth(date.getUTCMonth() + 1, 0);
  return fromUtc(date);
}

/** The period of a kind that holds `day`. */
export function periodOf(kind: ReportKind, day: string): Period {
  if (kind === 'daily') return { start: day, end: day };
  if (kind === 'weekly') {
    const start = addDays(day, 1 - isoWeekday(day));
    return { start, end: addDays(start, 6) };
  }
  return { start: day.slice(0, 7) + '-01', end: monthEnd(day) };
}

/** The period after (step 1) or before (step -1) the one starting at `start`. */
export function shiftPeriod(kind: ReportKind, start: string, step: number): Period {
  if (kind === 'daily') return periodOf(kind, addDays(start, step));
  if (kind === 'weekly') return periodOf(kind, addDays(start, 7 * step));
  const date = toUtc(start.slice(0, 7) + '-01');
  date.setUTCMonth(date.getUTCMonth() + step);
  return periodOf(kind, fromUtc(date));
}

/** Every day from `start` to `end`, both included. */
export function daysOf(period: Period): string[] {
  const days: string[] = [];
  for (let day = period.start; day <= period.end; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The periods of a kind that overlap `range`, in order. */
export function periodsIn(kind: ReportKind, range: Period): Period[] {
  const periods: Period[] = [];
  for (let period = periodOf(kind, range.start); period.start <= range.end; period = shiftPeriod(kind, period.start, 1)) periods.push(period);
  return periods;
}

/** Holidays and moved working days of the organisation, by date. */
export type DayOverrides = ReadonlyMap<string, 'holiday' | 'workday'>;

/** A working day: Monday to Friday unless a holiday, or a weekend day the organisation made a working day (调休). */
export function isWorkingDay(day: string, overrides: DayOverrides): boolean {
  const override = overrides.get(day);
  if (override) return override === 'workday';
  return isoWeekday(day) <= 5;
}

/** The last working day of a period, or its last day when it has none. */
export function lastWorkingDay(period: Period, overrides: DayOverrides): string {
  for (let day = period.end; day >= period.start; day = addDays(day, -1)) if (isWorkingDay(day, overrides)) return day;
  return period.end;
}

/** The first working day after `day`. */
export function nextWorkingDay(day: string, overrides: DayOverrides): string {
  let next = addDays(day, 1);
  // A year of holidays in a row is not a calendar anyone keeps; the bound only keeps a bad list from looping.
  for (let i = 0; i < 366 && !isWorkingDay(next, overrides); i++) next = addDays(next, 1);
  return next;
}

/**
 * When a period's report is due, as a local date and time: `day` means, for daily reports, 0 the
 * same day and n the n-th working day after; for weekly reports the ISO weekday 1–7 of the week, 0
 * its last working day; for monthly reports the day of the month 1–31 (a short month's last day
 * for a later one), 0 its last working day.
 */
export function deadlineDay(kind: ReportKind, period: Period, day: number, overrides: DayOverrides): string {
  if (kind === 'daily') {
    let due = period.start;
    for (let i = 0; i < day; i++) due = nextWorkingDay(due, overrides);
    return due;
  }
  if (day === 0) return lastWorkingDay(period, overrides);
  if (kind === 'weekly') return addDays(period.start, Math.min(7, Math.max(1, day)) - 1);
  return addDays(period.start, Math.min(day, daysBetween(period.start, period.end) + 1) - 1);
}
