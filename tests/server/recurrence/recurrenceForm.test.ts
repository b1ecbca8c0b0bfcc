import { describe, expect, it } from 'vitest';
import { describeRecurrence, formToRrule, rruleToForm, type RecurrenceEnd, type RecurrenceForm } from '../../../shared/recurrenceForm.js';
import { compileSchedule, formatInZone } from '../../../server/recurrence/expand.js';

const cases: [RecurrenceForm, RecurrenceEnd, string | null, string, string][] = [
  [{ kind: 'once' }, {}, null, 'Once', '仅一次'],
  [{ kind: 'daily', interval: 3 }, {}, 'FREQ=DAILY;INTERVAL=3', 'Every 3 days', '每 3 天'],
  [{ kind: 'weekly', interval: 1, weekdays: ['WE', 'MO'] }, { count: 10 }, 'FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10', 'Weekly on Mon, Wed, 10 times', '每周周一、周三，共 10 次'],
  [{ kind: 'monthly', interval: 1, day: 15 }, {}, 'FREQ=MONTHLY;BYMONTHDAY=15', 'Monthly on the 15th', '每月15 日'],
  [{ kind: 'monthly', interval: 1, day: 'last' }, { until: '2026-12-31' }, 'FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20261231', 'Monthly on the last day, until 2026-12-31', '每月最后一天，直到 2026-12-31'],
  [{ kind: 'yearly', month: 2, day: 29 }, {}, 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'Yearly on 29 Feb', '每年 2 月 29 日'],
];

describe('the friendly recurrence form', () => {
  it.each(cases)('%o ↔ %s', (form, end, rrule, en, zh) => {
    expect(formToRrule(form, end)).toBe(rrule);
    const back = rruleToForm(rrule);
    expect(back.end).toEqual(end);
    expect(formToRrule(back.form, back.end)).toBe(rrule);
    expect(describeRecurrence(form, end, 'en')).toBe(en);
    expect(describeRecurrence(form, end, 'zh-CN')).toBe(zh);
  });

  it('keeps rules the form cannot show as raw RRULE', () => {
    for (const rrule of ['FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,17', 'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8']) {
      expect(rruleToForm(rrule)).toEqual({ form: { kind: 'custom', rrule }, end: {} });
      expect(formToRrule({ kind: 'custom', rrule: 'RRULE:' + rrule })).toBe(rrule);
    }
  });

  it('the rules it writes expand as the product promises: last day, the 31st, 29 February', () => {
    const expand = (form: RecurrenceForm, dtstart: string, n: number) =>
      compileSchedule({ rrule: formToRrule(form), dtstart, timeZone: 'Asia/Shanghai' }).next(n).map((d) => formatInZone(d, 'Asia/Shanghai').slice(0, 10));
    expect(expand({ kind: 'monthly', interval: 1, day: 'last' }, '2027-01-31T09:00', 3)).toEqual(['2027-01-31', '2027-02-28', '2027-03-31']);
    expect(expand({ kind: 'monthly', interval: 1, day: 31 }, '2027-01-31T09:00', 3)).toEqual(['2027-01-31', '2027-03-31', '2027-05-31']);
    expect(expand({ kind: 'yearly', month: 2, day: 29 }, '2027-01-01T09:00', 2)).toEqual(['2028-02-29', '2032-02-29']);
    expect(expand({ kind: 'weekly', interval: 2, weekdays: ['MO', 'WE'] }, '2026-03-02T09:00', 4)).toEqual(['2026-03-02', '2026-03-04', '2026-03-16', '2026-03-18']);
  });
});
