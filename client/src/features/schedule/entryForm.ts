/** The entry editor's state and how it becomes what the schedule API takes, for new and existing entries. */
import type { PlanPeriod, ScheduleEntryDTO } from '../../../../shared/schedule';
import { formToRrule, rruleToForm, type RecurrenceEnd, type RecurrenceForm } from '../../../../shared/recurrenceForm';
import type { EntryInput } from './scheduleApi';

export type EntryFormState = {
  kind: ScheduleEntryDTO['kind'];
  title: string;
  /** Local date-times as an <input type="datetime-local"> holds them (YYYY-MM-DDTHH:mm). */
  start: string;
  end: string;
  allDay: boolean;
  shared: boolean;
  planPeriod: PlanPeriod | null;
  customer: { id: string; name: string } | null;
  contactIds: string[];
  recurrence: { form: RecurrenceForm; end: RecurrenceEnd };
  reminderOffsets: number[];
  description: Record<string, unknown> | null;
};

/** What a change to a recurring entry applies to, as calendar programs ask it. */
export type EditScope = 'this' | 'following' | 'all';

const minutes = (local: string) => local.slice(0, 16);

/** A blank entry on a day (a visit when planned from a customer's page). */
export function newEntryForm(day: string, customer?: { id: string; name: string }): EntryFormState {
  return {
    kind: customer ? 'visit' : 'task', title: '', start: `${day}T09:00`, end: `${day}T10:00`, allDay: false, shared: false, planPeriod: null,
    customer: customer ? { id: customer.id, name: customer.name } : null, contactIds: [], recurrence: rruleToForm(null), reminderOffsets: [], description: null,
  };
}

/** The form of a stored entry; `times` places it at one occurrence of a recurring entry. */
export function entryToForm(entry: ScheduleEntryDTO, times?: { start: string; end: string }): EntryFormState {
  return {
    kind: entry.kind, title: entry.title, start: minutes(times?.start ?? entry.start), end: minutes(times?.end ?? entry.end), allDay: entry.allDay, shared: entry.shared,
    planPeriod: entry.planPeriod, customer: entry.customer, contactIds: entry.contactIds, recurrence: rruleToForm(entry.rrule),
    reminderOffsets: entry.reminderOffsets, description: entry.description,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
// Wall-clock arithmetic: a local date-time read as if it were UTC, so days and hours add without any zone's DST.
const wallMs = (local: string) => Date.parse(`${minutes(local)}:00Z`);
const wallText = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const nextDay = (local: string) => wallText(wallMs(`${local.slice(0, 10)}T00:00`) + 86400_000).slice(0, 10);

/** The API's fields: an all-day entry runs from midnight to the midnight after its last day. */
export function formToInput(state: EntryFormState): Omit<EntryInput, 'timeZone'> {
  const day = (v: string) => v.slice(0, 10);
  const start = state.allDay ? `${day(state.start)}T00:00` : state.start;
  const end = state.allDay ? `${day(state.end) > day(state.start) ? day(state.end) : nextDay(state.start)}T00:00` : state.end;
  return {
    kind: state.kind, title: state.title, description: state.description, start, end, allDay: state.allDay, planPeriod: state.planPeriod,
    customerId: state.customer?.id ?? null, contactIds: state.contactIds, shared: state.shared,
    rrule: formToRrule(state.recurrence.form, state.recurrence.end), reminderOffsets: state.reminderOffsets,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sorted = <T>(list: T[] | undefined) => [...(list ?? [])].sort();

/** Only the fields the user changed, so an edit of one occurrence keeps what the series has for the rest. */
export function changedFields(before: EntryFormState, after: EntryFormState): Partial<EntryInput> {
  const a = formToInput(before);
  const b = formToInput(after);
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(b) as (keyof typeof b)[]) {
    const unordered = key === 'contactIds' || key === 'reminderOffsets';
    if (!(unordered ? same(sorted(a[key] as string[]), sorted(b[key] as string[])) : same(a[key], b[key]))) changes[key] = b[key];
  }
  // The server checks start and end against each other, so one moving sends both.
  if ('start' in changes || 'end' in changes || 'allDay' in changes) Object.assign(changes, { start: b.start, end: b.end, allDay: b.allDay });
  return changes as Partial<EntryInput>;
}

/**
 * New start and end of a whole series when one of its occurrences was moved: the series' first
 * start moves by as much as the occurrence did, and takes the occurrence's new length.
 */
export function shiftSeries(seriesStart: string, occurrenceStart: string, newStart: string, newEnd: string): { start: string; end: string } {
  const start = wallMs(seriesStart) + (wallMs(newStart) - wallMs(occurrenceStart));
  return { start: wallText(start), end: wallText(start + (wallMs(newEnd) - wallMs(newStart))) };
}

// Cached per zone: the sv-SE locale writes YYYY-MM-DD HH:mm:ss.
const formatters = new Map<string, Intl.DateTimeFormat>();
/** The wall-clock time of an instant in a zone, as YYYY-MM-DDTHH:mm. */
export function localIn(iso: string, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f.format(new Date(iso)).replace(' ', 'T');
}

/** Local start and end of the occurrence of a recurring entry that starts at `occurrenceStart`. */
export function occurrenceTimes(entry: ScheduleEntryDTO, occurrenceStart: string): { start: string; end: string } {
  const length = Date.parse(entry.endsAt) - Date.parse(entry.startsAt);
  return { start: localIn(occurrenceStart, entry.timeZone), end: localIn(new Date(Date.parse(occurrenceStart) + length).toISOString(), entry.timeZone) };
}
