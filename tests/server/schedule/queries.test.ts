import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { textBody } from '../../support/chat.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;
const titles = (list: any) => list.data.map((e: any) => e.title);
const enc = encodeURIComponent;

beforeAll(async () => {
  server = await startTestServer();
  // Everyone in Shanghai (UTC+8) unless a test says otherwise.
  org = await buildOrg(await server.admin());
});
afterAll(async () => server?.close());

describe('schedule queries', () => {
  it('a day is the viewer’s local day: entries crossing midnight appear on both days; all-day entries on theirs only', async () => {
    const { a, e } = org;
    const post = (body: Record<string, unknown>) => a.api.post('/api/schedule/entries', body).then((r) => ok(r, 201));
    await post({ kind: 'other', title: 'late call', start: '2026-04-10T23:30', end: '2026-04-11T00:30' });
    await post({ kind: 'task', title: 'all day 11th', start: '2026-04-11T00:00', end: '2026-04-12T00:00', allDay: true });
    await post({ kind: 'task', title: 'berlin morning', start: '2026-04-11T08:00', end: '2026-04-11T09:00', timeZone: 'Europe/Berlin' });
    await post({ kind: 'task', title: 'april plan', start: '2026-04-01T00:00', end: '2026-05-01T00:00', allDay: true, planPeriod: 'month' });
    expect(titles(ok(await a.api.get('/api/schedule/entries?day=2026-04-10')))).toEqual(['april plan', 'late call']);
    expect(titles(ok(await a.api.get('/api/schedule/entries?day=2026-04-11')))).toEqual(['april plan', 'late call', 'all day 11th', 'berlin morning']);
    // 08:00 in Berlin is 14:00 in Shanghai; the entry keeps its own zone in the answer.
    const berlin = ok(await a.api.get('/api/schedule/entries?day=2026-04-11')).data.find((x: any) => x.title === 'berlin morning');
    expect(berlin).toMatchObject({ start: '2026-04-11T08:00:00', timeZone: 'Europe/Berlin', startsAt: '2026-04-11T06:00:00.000Z' });
    // The same day seen from Berlin: the late call (16:30-17:30 UTC on the 10th) is not on the 11th there.
    expect(titles(ok(await a.api.get('/api/schedule/entries?day=2026-04-11&timeZone=Europe/Berlin')))).toEqual(['april plan', 'all day 11th', 'berlin morning']);
    expect(titles(ok(await e.api.get(`/api/schedule/entries?userId=${a.user.id}&day=2026-04-12`)))).toEqual(['april plan']);
    expect(titles(ok(await a.api.get('/api/schedule/entries?day=2026-05-01')))).toEqual([]);
  });

  it('recurring entries are expanded into the range, without exceptions', async () => {
    const { b } = org;
    const weekly = ok(await b.api.post('/api/schedule/entries', { kind: 'meeting', title: 'weekly sync', start: '2026-04-06T09:00', end: '2026-04-06T10:00', rrule: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6', exdates: ['2026-04-09T09:00'] }), 201);
    const list = ok(await b.api.get(`/api/schedule/entries?from=${enc('2026-04-01T00:00:00+08:00')}&to=${enc('2026-05-01T00:00:00+08:00')}`));
    const occurrences = list.data.filter((x: any) => x.id === weekly.id);
    expect(occurrences.map((x: any) => x.start)).toEqual(['2026-04-06T09:00:00', '2026-04-13T09:00:00', '2026-04-16T09:00:00', '2026-04-20T09:00:00', '2026-04-23T09:00:00']);
    expect(occurrences[1]).toMatchObject({ occurrenceStart: '2026-04-13T01:00:00.000Z', endsAt: '2026-04-13T02:00:00.000Z', rrule: 'FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6' });
    // A range in the middle of the series finds only what overlaps it.
    expect(titles(ok(await b.api.get('/api/schedule/entries?day=2026-04-16')))).toEqual(['weekly sync']);
    expect(titles(ok(await b.api.get('/api/schedule/entries?day=2026-04-17')))).toEqual([]);
    expect(titles(ok(await b.api.get('/api/schedule/entries?day=2026-04-27')))).toEqual([]);
  });

  it('editing one occurrence or all following works as in calendar programs', async () => {
    const { a } = org;
    const daily = ok(await a.api.post('/api/schedule/entries', { kind: 'call', title: 'standup', start: '2026-08-03T09:00', end: '2026-08-03T09:15', rrule: 'FREQ=DAILY;COUNT=5' }), 201);
    const week = `from=${enc('2026-08-03T00:00:00+08:00')}&to=${enc('2026-08-10T00:00:00+08:00')}`;
    const view = async () => ok(await a.api.get(`/api/schedule/entries?${week}`)).data.map((x: any) => `${x.start.slice(5, 16)} ${x.title}`);
    const at = (day: string) => new Date(`2026-08-${day}T01:00:00Z`).toISOString();
    // This occurrence only: moved and renamed; the series skips it.
    const moved = ok(await a.api.post(`/api/schedule/entries/${daily.id}/occurrences/edit`, { occurrenceStart: at('04'), scope: 'this', changes: { title: 'standup (moved)', start: '2026-08-04T11:00', end: '2026-08-04T11:15' } }));
    expect(moved).toMatchObject({ masterId: daily.id, originalStart: at('04'), rrule: null });
    expect((await a.api.post(`/api/schedule/entries/${daily.id}/occurrences/edit`, { occurrenceStart: at('04'), scope: 'this', changes: { title: 'again' } })).status).toBe(409);
    // This and following: the series ends before the 6th and a new one carries the rest (COUNT split 3 + 2).
    const tail = ok(await a.api.post(`/api/schedule/entries/${daily.id}/occurrences/edit`, { occurrenceStart: at('06'), scope: 'following', changes: { title: 'standup v2' } }));
    expect(tail.rrule).toBe('FREQ=DAILY;COUNT=2');
    // One occurrence deleted.
    await a.api.post(`/api/schedule/entries/${daily.id}/occurrences/delete`, { occurrenceStart: at('05'), scope: 'this' });
    expect(await view()).toEqual(['08-03T09:00 standup', '08-04T11:00 standup (moved)', '08-06T09:00 standup v2', '08-07T09:00 standup v2']);
    // Not an occurrence, or not recurring: refused, nothing changes.
    expect((await a.api.post(`/api/schedule/entries/${daily.id}/occurrences/edit`, { occurrenceStart: '2026-08-03T01:30:00Z', scope: 'this', changes: { title: 'x' } })).status).toBe(404);
    expect((await a.api.post(`/api/schedule/entries/${moved.id}/occurrences/delete`, { occurrenceStart: at('04'), scope: 'this' })).status).toBe(400);
    expect((await org.e.api.post(`/api/schedule/entries/${daily.id}/occurrences/delete`, { occurrenceStart: at('03'), scope: 'following' })).status).toBe(403);
    // Following from the new series' second occurrence: it ends after one.
    ok(await a.api.post(`/api/schedule/entries/${tail.id}/occurrences/delete`, { occurrenceStart: at('07'), scope: 'following' }), 204);
    expect(await view()).toEqual(['08-03T09:00 standup', '08-04T11:00 standup (moved)', '08-06T09:00 standup v2']);
  });

  it('a change names only what changes: an entry or an occurrence edited on its own keeps every field left out', async () => {
    const { a } = org;
    const customer = ok(await a.api.post('/api/customers', { name: 'Partial Update Co', type: 'partner', tier: 'silver', contacts: [{ name: 'Zhou' }] }), 201);
    const description = textBody('agenda');
    const kept = { planPeriod: 'week', customer: { id: customer.id }, contactIds: [customer.contacts[0].id], shared: true, rrule: 'FREQ=WEEKLY;COUNT=3', reminderOffsets: [15], descriptionText: 'agenda' };
    const weekly = ok(await a.api.post('/api/schedule/entries', {
      kind: 'visit', title: 'weekly visit', start: '2026-10-05T09:00', end: '2026-10-05T10:00', planPeriod: 'week', customerId: customer.id, contactIds: [customer.contacts[0].id], shared: true, rrule: 'FREQ=WEEKLY;COUNT=3', reminderOffsets: [15], description,
    }), 201);
    expect(ok(await a.api.patch(`/api/schedule/entries/${weekly.id}`, { title: 'weekly visit (renamed)' }))).toMatchObject({ ...kept, title: 'weekly visit (renamed)' });
    const single = ok(await a.api.post(`/api/schedule/entries/${weekly.id}/occurrences/edit`, { occurrenceStart: '2026-10-12T01:00:00.000Z', scope: 'this', changes: { title: 'second visit' } }));
    expect(single).toMatchObject({ ...kept, rrule: null, title: 'second visit', start: '2026-10-12T09:00:00', masterId: weekly.id });
    expect(ok(await a.api.patch(`/api/schedule/entries/${single.id}`, { status: 'cancelled' }))).toMatchObject({ ...kept, rrule: null, status: 'cancelled' });
  });

  it('moving a whole series moves its exception dates and separately edited occurrences with it, so none reappears', async () => {
    const { b } = org;
    const daily = ok(await b.api.post('/api/schedule/entries', { kind: 'meeting', title: 'sync', start: '2026-09-07T09:00', end: '2026-09-07T09:30', rrule: 'FREQ=DAILY;COUNT=5', exdates: ['2026-09-09T09:00'] }), 201);
    const week = `from=${enc('2026-09-07T00:00:00+08:00')}&to=${enc('2026-09-14T00:00:00+08:00')}`;
    const view = async () => ok(await b.api.get(`/api/schedule/entries?${week}`)).data.map((x: any) => `${x.start.slice(5, 16)} ${x.title}`);
    ok(await b.api.post(`/api/schedule/entries/${daily.id}/occurrences/edit`, { occurrenceStart: '2026-09-10T01:00:00.000Z', scope: 'this', changes: { title: 'sync with customer', start: '2026-09-10T15:00', end: '2026-09-10T16:00' } }));
    // The whole series moves a day and an hour later: the deleted 9th is now the 10th, the 10th edited on its own the 11th.
    ok(await b.api.patch(`/api/schedule/entries/${daily.id}`, { start: '2026-09-08T10:00', end: '2026-09-08T10:30' }));
    expect(await view()).toEqual(['09-08T10:00 sync', '09-09T10:00 sync', '09-10T15:00 sync with customer', '09-12T10:00 sync']);
    const moved = ok(await b.api.get(`/api/schedule/entries/${daily.id}`));
    expect(moved.exdates).toEqual(['2026-09-10T10:00:00']);
    // Changing the time zone keeps the wall-clock times, and the exceptions stay matched.
    ok(await b.api.patch(`/api/schedule/entries/${daily.id}`, { timeZone: 'Europe/Berlin' }));
    const berlin = ok(await b.api.get(`/api/schedule/entries?from=${enc('2026-09-07T00:00:00Z')}&to=${enc('2026-09-14T00:00:00Z')}`)).data;
    expect(berlin.map((x: any) => `${x.start.slice(5, 16)} ${x.title}`)).toEqual(['09-08T10:00 sync', '09-09T10:00 sync', '09-10T15:00 sync with customer', '09-12T10:00 sync']);
    // A patch that gives exception dates keeps exactly those.
    ok(await b.api.patch(`/api/schedule/entries/${daily.id}`, { start: '2026-09-08T11:00', end: '2026-09-08T11:30', exdates: [] }));
    expect(ok(await b.api.get(`/api/schedule/entries/${daily.id}`)).exdates).toEqual([]);
  });

  it('visits to a customer over a range name who made them; department queries can keep only customer-related entries', async () => {
    const { a, b, e, departments } = org;
    const customer = ok(await a.api.post('/api/customers', { name: 'Visited Ltd', type: 'end_customer', tier: 'silver' }), 201);
    for (const [who, day] of [[a, '2026-06-01'], [b, '2026-06-15'], [a, '2026-07-01']] as const) {
      ok(await who.api.post('/api/schedule/entries', { kind: 'visit', title: `visit ${day}`, start: `${day}T10:00`, end: `${day}T11:00`, customerId: customer.id }), 201);
    }
    ok(await a.api.post('/api/schedule/entries', { kind: 'call', title: 'call 2026-06-02', start: '2026-06-02T10:00', end: '2026-06-02T10:30', customerId: customer.id }), 201);
    ok(await b.api.post('/api/schedule/entries', { kind: 'task', title: 'paperwork', start: '2026-06-03T10:00', end: '2026-06-03T10:30' }), 201);
    const june = `from=${enc('2026-06-01T00:00:00+08:00')}&to=${enc('2026-07-01T00:00:00+08:00')}`;
    const visits = ok(await org.c.api.get(`/api/schedule/customers/${customer.id}/visits?${june}`));
    expect(visits.data.map((v: any) => [v.title, v.owner.id])).toEqual([['visit 2026-06-01', a.user.id], ['visit 2026-06-15', b.user.id]]);
    expect(titles(ok(await org.c.api.get(`/api/schedule/customers/${customer.id}/visits?${june}&kinds=visit,call`)))).toEqual(['visit 2026-06-01', 'call 2026-06-02', 'visit 2026-06-15']);
    expect((await org.c.api.get(`/api/schedule/customers/${customer.id}/visits?${june}&kinds=party`)).status).toBe(400);
    expect((await org.c.api.get(`/api/schedule/customers/999999/visits?${june}`)).status).toBe(404);
    expect(titles(ok(await e.api.get(`/api/schedule/departments/${departments.east.id}?${june}&customerOnly=true`)))).toEqual(['visit 2026-06-01', 'call 2026-06-02', 'visit 2026-06-15']);
    expect(titles(ok(await e.api.get(`/api/schedule/departments/${departments.east.id}?${june}`)))).toContain('paperwork');
  });
});
