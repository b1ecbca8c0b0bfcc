/** The entry editor's pure logic: only changed fields are sent, all-day midnights, and moving a whole series from one occurrence. */
import { describe, expect, it } from 'vitest';
import type { ScheduleEntryDTO } from '../../../../shared/schedule.js';
import { changedFields, entryToForm, formToInput, localIn, newEntryForm, occurrenceTimes, shiftSeries } from '../../../../client/src/features/schedule/entryForm.js';

const entry = (extra: Partial<ScheduleEntryDTO> = {}): ScheduleEntryDTO => ({
  id: '5', owner: { id: '1', displayName: 'A', email: 'a@example.com' }, kind: 'meeting', title: 'Stand-up', description: null, descriptionText: '',
  startsAt: '2026-03-02T01:00:00.000Z', endsAt: '2026-03-02T01:30:00.000Z', start: '2026-03-02T09:00:00', end: '2026-03-02T09:30:00', allDay: false, timeZone: 'Asia/Shanghai',
  planPeriod: null, customer: null, contactIds: [], status: 'planned', result: null, resultText: '', shared: false, rrule: 'FREQ=DAILY;COUNT=5', exdates: [],
  masterId: null, originalStart: null, occurrenceStart: null, reminderOffsets: [15], annotationCount: 0, createdAt: '', updatedAt: '',
  can: { edit: true, annotate: false, reply: true }, ...extra,
});

describe('entry form', () => {
  it('sends nothing when nothing changed, and only the changed fields otherwise', () => {
    const before = entryToForm(entry());
    expect(changedFields(before, { ...before })).toEqual({});
    expect(changedFields(before, { ...before, title: 'Daily stand-up', reminderOffsets: [15] })).toEqual({ title: 'Daily stand-up' });
    expect(changedFields(before, { ...before, contactIds: [] })).toEqual({});
  });

  it('sends start, end and all-day together when one of them moves', () => {
    const before = entryToForm(entry());
    expect(changedFields(before, { ...before, end: '2026-03-02T10:00' })).toEqual({ start: '2026-03-02T09:00', end: '2026-03-02T10:00', allDay: false });
  });

  it('makes an all-day entry run from midnight to the midnight after its last day', () => {
    const form = { ...newEntryForm('2026-02-28'), allDay: true };
    expect(formToInput(form)).toMatchObject({ start: '2026-02-28T00:00', end: '2026-03-01T00:00', allDay: true });
    expect(formToInput({ ...form, end: '2026-03-02T00:00' })).toMatchObject({ start: '2026-02-28T00:00', end: '2026-03-02T00:00' });
  });

  it('sends a recurrence change as the new rule', () => {
    const before = entryToForm(entry());
    const after = { ...before, recurrence: { form: { kind: 'weekly' as const, interval: 1, weekdays: ['MO' as const] }, end: {} } };
    expect(changedFields(before, after)).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO' });
  });

  it('places an occurrence in the entry’s zone and moves the whole series by as much as the occurrence moved', () => {
    expect(localIn('2026-03-04T01:00:00.000Z', 'Asia/Shanghai')).toBe('2026-03-04T09:00');
    expect(occurrenceTimes(entry(), '2026-03-04T01:00:00.000Z')).toEqual({ start: '2026-03-04T09:00', end: '2026-03-04T09:30' });
    // The occurrence on the 4th moved from 09:00 to 10:00 and now lasts an hour: the series (from the 2nd) does the same.
    expect(shiftSeries('2026-03-02T09:00:00', '2026-03-04T09:00', '2026-03-04T10:00', '2026-03-04T11:00')).toEqual({ start: '2026-03-02T10:00', end: '2026-03-02T11:00' });
    expect(shiftSeries('2026-03-31T23:30:00', '2026-04-02T23:30', '2026-04-03T00:30', '2026-04-03T01:00')).toEqual({ start: '2026-04-01T00:30', end: '2026-04-01T01:00' });
  });
});
