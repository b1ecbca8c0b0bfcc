import { Temporal } from 'temporal-polyfill';

const offset = (ns: number) => {
  const minutes = Math.round(ns / 60e9);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
};
const localStamp = (zdt: Temporal.ZonedDateTime) => zdt.toPlainDateTime().toString({ smallestUnit: 'second' }).replace(/[-:]/g, '');

/**
 * A VTIMEZONE for an IANA zone between two years, one observance per transition (as RFC 5545
 * §3.6.5 allows), taken from the runtime's zone data, so calendar programs and parsers that
 * do not know IANA names still place TZID times and recurrences correctly across DST changes.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): string[] {
  let at = Temporal.ZonedDateTime.from({ timeZone: zone, year: fromYear, month: 1, day: 1 });
  const end = Temporal.ZonedDateTime.from({ timeZone: zone, year: toYear + 1, month: 1, day: 1 });
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const observance = (zdt: Temporal.ZonedDateTime, fromNs: number) => {
    const daylight = zdt.offsetNanoseconds > Temporal.ZonedDateTime.from({ timeZone: zone, year: zdt.year, month: 1, day: 1 }).offsetNanoseconds
      || zdt.offsetNanoseconds > Temporal.ZonedDateTime.from({ timeZone: zone, year: zdt.year, month: 7, day: 1 }).offsetNanoseconds;
    const kind = daylight ? 'DAYLIGHT' : 'STANDARD';
    lines.push(`BEGIN:${kind}`, `DTSTART:${localStamp(zdt)}`, `TZOFFSETFROM:${offset(fromNs)}`, `TZOFFSETTO:${offset(zdt.offsetNanoseconds)}`, `END:${kind}`);
  };
  observance(at, at.offsetNanoseconds);
  for (;;) {
    const next = at.getTimeZoneTransition('next');
    if (!next || Temporal.ZonedDateTime.compare(next, end) >= 0) break;
    observance(next, at.offsetNanoseconds);
    at = next;
  }
  lines.push('END:VTIMEZONE');
  return lines;
}
