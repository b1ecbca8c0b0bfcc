import { describe, expect, it } from 'vitest';
import { compileSchedule, formatInZone, RecurrenceError } from '../../../server/recurrence/expand.js';
import { expectedIso, rfc5545Examples, zoneAndCalendarExamples, type RecurrenceExample } from './rfc5545Examples.js';

const expand = (e: RecurrenceExample) =>
  compileSchedule({ rrule: e.rrule, dtstart: e.dtstart, timeZone: e.tz, exdates: e.exdates })
    .next(e.take)
    .map((d) => formatInZone(d, e.tz));

describe('RFC 5545 §3.8.5.3 examples', () => {
  it.each(rfc5545Examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    expect(expand(example)).toEqual(expectedIso(example));
  });
});

describe('time zones, DST, leap years and short months', () => {
  it.each(zoneAndCalendarExamples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    expect(expand(example)).toEqual(expectedIso(example));
  });

  it('lists occurrences strictly after a given instant', () => {
    const schedule = compileSchedule({ rrule: 'FREQ=DAILY', dtstart: '2026-03-01T09:00', timeZone: 'Asia/Shanghai' });
    expect(schedule.next(2, new Date('2026-03-05T01:00:00Z')).map((d) => formatInZone(d, 'Asia/Shanghai'))).toEqual(['2026-03-06T09:00:00+08:00', '2026-03-07T09:00:00+08:00']);
  });

  it('lists occurrences before a given end only, however many were asked for', () => {
    const schedule = compileSchedule({ rrule: 'FREQ=DAILY', dtstart: '2016-03-01T09:00', timeZone: 'Asia/Shanghai', exdates: ['2026-03-06T09:00'] });
    const week = schedule.next(100, new Date('2026-03-05T00:00:00Z'), new Date('2026-03-09T01:00:00Z'));
    expect(week.map((d) => formatInZone(d, 'Asia/Shanghai'))).toEqual(['2026-03-05T09:00:00+08:00', '2026-03-07T09:00:00+08:00', '2026-03-08T09:00:00+08:00']);
    const once = compileSchedule({ dtstart: '2026-03-01T09:30', timeZone: 'Europe/Berlin' });
    expect(once.next(5, undefined, new Date('2026-03-01T08:30:00Z'))).toEqual([]);
  });

  it('a one-time reminder has exactly its DTSTART, and nothing after it', () => {
    const once = compileSchedule({ dtstart: '2026-03-01T09:30', timeZone: 'Europe/Berlin' });
    expect(once.next(5).map((d) => d.toISOString())).toEqual(['2026-03-01T08:30:00.000Z']);
    expect(once.next(5, new Date('2026-03-01T08:30:00Z'))).toEqual([]);
  });
});

describe('invalid input gets a readable reason', () => {
  const cases: [string, Parameters<typeof compileSchedule>[0], RegExp][] = [
    ['missing FREQ', { rrule: 'COUNT=3', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /needs FREQ/],
    ['unknown FREQ', { rrule: 'FREQ=SOMETIMES', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /FREQ must be one of/],
    ['minutely rules', { rrule: 'FREQ=MINUTELY', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /at most hourly/],
    ['day of month out of range', { rrule: 'FREQ=MONTHLY;BYMONTHDAY=32', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /BYMONTHDAY values/],
    ['bad weekday', { rrule: 'FREQ=WEEKLY;BYDAY=XX', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /BYDAY/],
    ['COUNT and UNTIL together', { rrule: 'FREQ=DAILY;COUNT=2;UNTIL=20260310', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /either COUNT or UNTIL/],
    ['unknown part', { rrule: 'FREQ=DAILY;FOO=1', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /FOO is not a rule part/],
    ['garbage', { rrule: 'every day please', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /NAME=VALUE/],
    ['a rule that never matches', { rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', dtstart: '2026-03-01T09:00', timeZone: 'UTC' }, /no occurrences/],
    ['unknown zone', { rrule: 'FREQ=DAILY', dtstart: '2026-03-01T09:00', timeZone: 'Mars/Olympus' }, /not a known IANA time zone/],
    ['offset in DTSTART', { rrule: 'FREQ=DAILY', dtstart: '2026-03-01T09:00:00+08:00', timeZone: 'UTC' }, /without offset/],
    ['impossible DTSTART', { rrule: 'FREQ=DAILY', dtstart: '2026-02-30T09:00', timeZone: 'UTC' }, /not a real date/],
  ];
  it.each(cases)('%s', (_name, input, message) => {
    expect(() => compileSchedule(input)).toThrow(RecurrenceError);
    expect(() => compileSchedule(input)).toThrow(message);
  });
});
