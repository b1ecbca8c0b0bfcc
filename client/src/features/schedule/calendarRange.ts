/** Day, week and month ranges in the browser's zone, as the schedule views page through them. */
export type CalendarView = 'day' | 'week' | 'month';

const pad = (n: number) => String(n).padStart(2, '0');
/** A local date as YYYY-MM-DD. */
export const dayKey = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** Local midnight of a YYYY-MM-DD day. */
export const parseDay = (key: string) => {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y, m - 1, d);
};
const addDays = (d: Date, n: number) => new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);

/** The days a view shows around `anchor` (weeks start on Monday; a month view fills whole weeks). */
export function viewDays(view: CalendarView, anchor: string): Date[] {
  const a = parseDay(anchor);
  if (view === 'day') return [a];
  const monday = (d: Date) => addDays(d, -((d.getDay() + 6) % 7));
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => addDays(monday(a), i));
  const first = monday(new Date(a.getFullYear(), a.getMonth(), 1));
  const last = new Date(a.getFullYear(), a.getMonth() + 1, 0);
  const days: Date[] = [];
  for (let d = first; d <= last || days.length % 7 !== 0; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The anchor one page earlier (-1) or later (+1). */
export function shiftAnchor(view: CalendarView, anchor: string, step: -1 | 1): string {
  const a = parseDay(anchor);
  if (view === 'day') return dayKey(addDays(a, step));
  if (view === 'week') return dayKey(addDays(a, 7 * step));
  return dayKey(new Date(a.getFullYear(), a.getMonth() + step, 1));
}

/** A local date-time for an <input type="datetime-local">, from an instant. */
export const localInput = (d: Date) => `${dayKey(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
