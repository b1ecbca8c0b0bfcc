/**
 * Instants as the API writes them, fast enough for lists of thousands: a department's month
 * presents four instants and two local times per entry, and `new Date(text).toISOString()` and
 * `Intl.DateTimeFormat#format` were most of its time in JavaScript.
 */

// The raw query driver returns a timestamptz as PostgreSQL's text in the session zone, which the ORM sets to UTC.
const PG_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/** A timestamptz (PostgreSQL's text or a Date) as ISO 8601 in UTC with milliseconds, as Date#toISOString writes it. */
export function isoInstant(value: string | Date): string {
  if (typeof value === 'string') {
    const m = PG_UTC.exec(value);
    // Extra digits are cut, not rounded, as Date does.
    if (m) return `${m[1]}T${m[2]}.${m[3] ? (m[3] + '00').slice(0, 3) : '000'}Z`;
  }
  return new Date(value).toISOString();
}

const DAY = 86_400_000;

/**
 * An instant given as milliseconds since the epoch, as isoInstant writes it (Date#toISOString), for
 * grids of thousands: the date part is looked up once per UTC day, the time written from tables.
 */
export function isoInstantOfMs(ms: number): string {
  if (!(ms >= FAST_FROM && ms < FAST_TO) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY);
  const inDay = ms - day * DAY;
  const seconds = Math.floor(inDay / 1000);
  return `${dateOfDay(day)}T${pad2[Math.floor(seconds / 3600)]}:${pad2[Math.floor(seconds / 60) % 60]}:${pad2[seconds % 60]}.${pad3[inDay % 1000]}Z`;
}
// Years 1000-9999, where ISO and the sv-SE locale both write four-digit years.
const FAST_FROM = Date.UTC(1000, 0, 2);
const FAST_TO = Date.UTC(9999, 11, 30);

const formatters = new Map<string, Intl.DateTimeFormat>();
// The sv-SE locale writes YYYY-MM-DD HH:mm:ss.
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

// The zone's UTC offset (ms) at the start of each UTC day asked about, per zone.
const offsets = new Map<string, Map<number, number>>();
function offsetAtDayStart(zone: string, day: number): number {
  let byDay = offsets.get(zone);
  if (!byDay) offsets.set(zone, (byDay = new Map()));
  let offset = byDay.get(day);
  if (offset === undefined) {
    if (byDay.size >= 50_000) byDay.clear();
    const at = day * DAY;
    offset = Date.parse(formatter(zone).format(at).replace(' ', 'T') + 'Z') - at;
    byDay.set(day, offset);
  }
  return offset;
}

const pad2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
// YYYY-MM-DD of each local day (days since the epoch) asked about.
const dates = new Map<number, string>();
function dateOfDay(day: number): string {
  let date = dates.get(day);
  if (date === undefined) {
    if (dates.size >= 50_000) dates.clear();
    date = new Date(day * DAY).toISOString().slice(0, 10);
    dates.set(day, date);
  }
  return date;
}

/**
 * The local wall-clock time of an instant in a zone, as YYYY-MM-DDTHH:mm:ss (seconds cut).
 * The zone's offset is looked up once per UTC day: when it is the same at the start of the day
 * and of the next, no transition lies between (the time zone database has none closer than four
 * days apart), so the local time is the instant plus that offset. Days with a transition, and
 * years outside 1000-9999, ask Intl for each instant.
 */
export function localIn(at: Date | number, zone: string): string {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (ms >= FAST_FROM && ms < FAST_TO) {
    const day = Math.floor(ms / DAY);
    const offset = offsetAtDayStart(zone, day);
    if (offset === offsetAtDayStart(zone, day + 1)) {
      const local = ms + offset;
      const localDay = Math.floor(local / DAY);
      const seconds = Math.floor((local - localDay * DAY) / 1000);
      return `${dateOfDay(localDay)}T${pad2[Math.floor(seconds / 3600)]}:${pad2[Math.floor(seconds / 60) % 60]}:${pad2[seconds % 60]}`;
    }
  }
  return formatter(zone).format(ms).replace(' ', 'T');
}
