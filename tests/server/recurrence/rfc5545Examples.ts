/**
 * RFC 5545 §3.8.5.3's recurrence examples (DTSTART;TZID=America/New_York), for the rule kinds
 * the product names and a few neighbours, plus zone and calendar edge cases. `dates` are the
 * local wall-clock dates (YYYYMMDD) of the expected occurrences, all at DTSTART's time of day
 * unless `times` gives local date-times; the offsets are derived independently with Intl.
 */
export type RecurrenceExample = {
  name: string;
  dtstart: string;
  tz: string;
  rrule: string;
  exdates?: string[];
  /** How many occurrences to ask for (the rule may end earlier). */
  take: number;
  dates?: string[];
  /** Expected ISO date-times with offsets, when the offset itself is the point of the example. */
  iso?: string[];
};

const NY = 'America/New_York';
const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);

export const rfc5545Examples: RecurrenceExample[] = [
  { name: 'daily for 10 occurrences', dtstart: '1997-09-02T09:00:00', tz: NY, rrule: 'FREQ=DAILY;COUNT=10', take: 50, dates: range('199709', 2, 11) },
  {
    name: 'daily until December 24, 1997 (crosses the end of DST)',
    dtstart: '1997-09-02T09:00:00', tz: NY, rrule: 'FREQ=DAILY;UNTIL=19971224T000000Z', take: 500,
    dates: [...range('199709', 2, 30), ...range('199710', 1, 31), ...range('199711', 1, 30), ...range('199712', 1, 23)],
  },
  { name: 'every 10 days, 5 occurrences', dtstart: '1997-09-02T09:00:00', tz: NY, rrule: 'FREQ=DAILY;INTERVAL=10;COUNT=5', take: 50, dates: ['19970902', '19970912', '19970922', '19971002', '19971012'] },
  {
    name: 'weekly for 10 occurrences', dtstart: '1997-09-02T09:00:00', tz: NY, rrule: 'FREQ=WEEKLY;COUNT=10', take: 50,
    dates: ['19970902', '19970909', '19970916', '19970923', '19970930', '19971007', '19971014', '19971021', '19971028', '19971104'],
  },
  {
    name: 'weekly on Tuesday and Thursday for five weeks', dtstart: '1997-09-02T09:00:00', tz: NY, rrule: 'FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH', take: 50,
    dates: ['19970902', '19970904', '19970909', '19970911', '19970916', '19970918', '19970923', '19970925', '19970930', '19971002'],
  },
  {
    name: 'every other week on Monday, Wednesday and Friday until December 24, 1997', dtstart: '1997-09-01T09:00:00', tz: NY,
    rrule: 'FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR', take: 100,
    dates: ['19970901', '19970903', '19970905', '19970915', '19970917', '19970919', '19970929', '19971001', '19971003', '19971013', '19971015', '19971017', '19971027', '19971029', '19971031', '19971110', '19971112', '19971114', '19971124', '19971126', '19971128', '19971208', '19971210', '19971212', '19971222'],
  },
  {
    name: 'every other week on Tuesday and Sunday, week starting Monday', dtstart: '1997-08-05T09:00:00', tz: NY, rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO', take: 10,
    dates: ['19970805', '19970810', '19970819', '19970824'],
  },
  {
    name: 'every other week on Tuesday and Sunday, week starting Sunday', dtstart: '1997-08-05T09:00:00', tz: NY, rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU', take: 10,
    dates: ['19970805', '19970817', '19970819', '19970831'],
  },
  {
    name: 'monthly on the first Friday for 10 occurrences', dtstart: '1997-09-05T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR', take: 50,
    dates: ['19970905', '19971003', '19971107', '19971205', '19980102', '19980206', '19980306', '19980403', '19980501', '19980605'],
  },
  { name: 'monthly on the second-to-last Monday for 6 months', dtstart: '1997-09-22T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO', take: 50, dates: ['19970922', '19971020', '19971117', '19971222', '19980119', '19980216'] },
  { name: 'monthly on the third-to-last day of the month', dtstart: '1997-09-28T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;BYMONTHDAY=-3', take: 6, dates: ['19970928', '19971029', '19971128', '19971229', '19980129', '19980226'] },
  {
    name: 'monthly on the 2nd and 15th for 10 occurrences', dtstart: '1997-09-02T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15', take: 50,
    dates: ['19970902', '19970915', '19971002', '19971015', '19971102', '19971115', '19971202', '19971215', '19980102', '19980115'],
  },
  {
    name: 'monthly on the first and last day for 10 occurrences', dtstart: '1997-09-30T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1', take: 50,
    dates: ['19970930', '19971001', '19971031', '19971101', '19971130', '19971201', '19971231', '19980101', '19980131', '19980201'],
  },
  {
    name: 'every 18 months on the 10th through 15th for 10 occurrences', dtstart: '1997-09-10T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15', take: 50,
    dates: [...range('199709', 10, 15), ...range('199903', 10, 13)],
  },
  {
    name: 'yearly in June and July for 10 occurrences', dtstart: '1997-06-10T09:00:00', tz: NY, rrule: 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7', take: 50,
    dates: ['19970610', '19970710', '19980610', '19980710', '19990610', '19990710', '20000610', '20000710', '20010610', '20010710'],
  },
  {
    name: 'every third year on the 1st, 100th and 200th day for 10 occurrences', dtstart: '1997-01-01T09:00:00', tz: NY, rrule: 'FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200', take: 50,
    dates: ['19970101', '19970410', '19970719', '20000101', '20000409', '20000718', '20030101', '20030410', '20030719', '20060101'],
  },
  { name: 'yearly on the 20th Monday', dtstart: '1997-05-19T09:00:00', tz: NY, rrule: 'FREQ=YEARLY;BYDAY=20MO', take: 3, dates: ['19970519', '19980518', '19990517'] },
  {
    name: 'every Friday the 13th, except DTSTART', dtstart: '1997-09-02T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', exdates: ['1997-09-02T09:00:00'], take: 5,
    dates: ['19980213', '19980313', '19981113', '19990813', '20001013'],
  },
  {
    name: 'the last work day of the month', dtstart: '1997-09-30T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', take: 6,
    dates: ['19970930', '19971031', '19971128', '19971231', '19980130', '19980227'],
  },
  { name: 'an invalid date (30 February) is skipped', dtstart: '2007-01-15T09:00:00', tz: NY, rrule: 'FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5', take: 10, dates: ['20070115', '20070130', '20070215', '20070315', '20070330'] },
];

/** The product's own cases: DST in two zones, a zone without DST, leap years, short months, the last day. */
export const zoneAndCalendarExamples: RecurrenceExample[] = [
  {
    name: 'America/New_York: 09:00 daily keeps its wall time across the March gap (offset -05:00 to -04:00)',
    dtstart: '2026-03-07T09:00:00', tz: NY, rrule: 'FREQ=DAILY;COUNT=3', take: 10,
    iso: ['2026-03-07T09:00:00-05:00', '2026-03-08T09:00:00-04:00', '2026-03-09T09:00:00-04:00'],
  },
  {
    // RFC 5545 §3.3.10: an instance at a nonexistent local time is ignored and not counted.
    name: 'America/New_York: 02:30 does not exist on 8 March 2026, so that day has no occurrence',
    dtstart: '2026-03-07T02:30:00', tz: NY, rrule: 'FREQ=DAILY;COUNT=3', take: 10,
    iso: ['2026-03-07T02:30:00-05:00', '2026-03-09T02:30:00-04:00', '2026-03-10T02:30:00-04:00'],
  },
  {
    name: 'America/New_York: 01:30 happens twice on 1 November 2026; the first one is used',
    dtstart: '2026-10-31T01:30:00', tz: NY, rrule: 'FREQ=DAILY;COUNT=3', take: 10,
    iso: ['2026-10-31T01:30:00-04:00', '2026-11-01T01:30:00-04:00', '2026-11-02T01:30:00-05:00'],
  },
  {
    name: 'Europe/Berlin: weekly on Monday 08:00 across both 2026 transitions',
    dtstart: '2026-03-23T08:00:00', tz: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20261103T000000Z', take: 100,
    dates: [], // filled below: every Monday from 23 March to 2 November 2026
  },
  {
    name: 'Europe/Berlin: 02:30 on 29 March 2026 does not exist and is skipped',
    dtstart: '2026-03-28T02:30:00', tz: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=2', take: 5,
    iso: ['2026-03-28T02:30:00+01:00', '2026-03-30T02:30:00+02:00'],
  },
  { name: 'Europe/Berlin: 02:30 on 25 October 2026 happens twice; the first one (+02:00) is used (RFC 5545 §3.3.5)', dtstart: '2026-10-25T02:30:00', tz: 'Europe/Berlin', rrule: 'FREQ=DAILY;COUNT=2', take: 5, iso: ['2026-10-25T02:30:00+02:00', '2026-10-26T02:30:00+01:00'] },
  {
    name: 'Asia/Shanghai: weekdays at 17:30 stay at +08:00 all year',
    dtstart: '2026-03-06T17:30:00', tz: 'Asia/Shanghai', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=4', take: 10,
    iso: ['2026-03-06T17:30:00+08:00', '2026-03-09T17:30:00+08:00', '2026-03-10T17:30:00+08:00', '2026-03-11T17:30:00+08:00'],
  },
  { name: 'yearly on 29 February only in leap years', dtstart: '2024-02-29T09:00:00', tz: 'Asia/Shanghai', rrule: 'FREQ=YEARLY;COUNT=3', take: 10, dates: ['20240229', '20280229', '20320229'] },
  { name: 'yearly BYMONTH=2;BYMONTHDAY=29 across a century (2100 is not a leap year)', dtstart: '2096-02-29T09:00:00', tz: 'Asia/Shanghai', rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=2', take: 5, dates: ['20960229', '21040229'] },
  {
    name: 'monthly on the 31st skips months without one', dtstart: '2026-01-31T09:00:00', tz: 'Asia/Shanghai', rrule: 'FREQ=MONTHLY;BYMONTHDAY=31;COUNT=7', take: 10,
    dates: ['20260131', '20260331', '20260531', '20260731', '20260831', '20261031', '20261231'],
  },
  {
    name: 'monthly on the last day (BYMONTHDAY=-1), leap February included', dtstart: '2028-01-31T18:00:00', tz: 'Asia/Shanghai', rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4', take: 10,
    dates: ['20280131', '20280229', '20280331', '20280430'],
  },
  { name: 'every 3 days with an exception date', dtstart: '2026-03-01T09:00:00', tz: 'Asia/Shanghai', rrule: 'FREQ=DAILY;INTERVAL=3;COUNT=4', exdates: ['2026-03-04T09:00:00'], take: 10, dates: ['20260301', '20260307', '20260310'] },
];

// Every Monday from 23 March to 2 November 2026: one test of the weekly rule through both transitions.
{
  const mondays: string[] = [];
  for (let d = new Date(Date.UTC(2026, 2, 23)); d <= new Date(Date.UTC(2026, 10, 2)); d = new Date(d.getTime() + 7 * 86400_000)) {
    mondays.push(d.toISOString().slice(0, 10).replace(/-/g, ''));
  }
  zoneAndCalendarExamples.find((e) => e.name.startsWith('Europe/Berlin: weekly'))!.dates = mondays;
}

/** The zone's UTC offset (+08:00 form) at a local wall-clock time, computed with Intl only. */
export function offsetAt(tz: string, localIso: string): string {
  // Search the instant whose wall time in `tz` equals localIso (first match: the earlier of a fold).
  const wall = Date.parse(localIso + 'Z');
  for (const guessHours of [-14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14].reverse()) {
    const instant = new Date(wall - guessHours * 3600_000);
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
    const get = (t: string) => parts.find((p) => p.type === t)!.value;
    if (`${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}` === localIso) {
      const sign = guessHours < 0 ? '-' : '+';
      return `${sign}${String(Math.abs(guessHours)).padStart(2, '0')}:00`;
    }
  }
  throw new Error(`no offset found for ${localIso} in ${tz}`);
}

/** The expected ISO strings of an example. */
export function expectedIso(example: RecurrenceExample): string[] {
  if (example.iso) return example.iso;
  const time = example.dtstart.slice(10);
  return example.dates!.map((d) => {
    const local = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}${time}`;
    return local + offsetAt(example.tz, local);
  });
}
