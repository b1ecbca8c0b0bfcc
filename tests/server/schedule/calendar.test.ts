import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;

beforeAll(async () => {
  server = await startTestServer();
  org = await buildOrg(await server.admin());
});
afterAll(async () => server?.close());

/** Parses a feed with ical.js, registering its VTIMEZONEs so TZID times resolve to instants. */
function parseFeed(body: string) {
  const calendar = new ICAL.Component(ICAL.parse(body));
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const vevents = calendar.getAllSubcomponents('vevent');
  const masters = vevents.filter((v) => !v.hasProperty('recurrence-id')).map((v) => new ICAL.Event(v));
  for (const v of vevents.filter((x) => x.hasProperty('recurrence-id'))) {
    const exception = new ICAL.Event(v);
    masters.find((m) => m.uid === exception.uid)!.relateException(exception);
  }
  return masters;
}

/** Every occurrence of the feed's events before `until`, as "ISO start|summary". */
function expand(events: ICAL.Event[], until: Date) {
  const out: string[] = [];
  for (const event of events) {
    if (!event.isRecurring()) {
      out.push(`${event.startDate.toJSDate().toISOString()}|${event.summary}`);
      continue;
    }
    const it = event.iterator();
    for (let next = it.next(); next && next.toJSDate() < until; next = it.next()) {
      const details = event.getOccurrenceDetails(next);
      out.push(`${details.startDate.toJSDate().toISOString()}|${details.item.summary}`);
    }
  }
  return out.sort();
}

describe('calendar subscription', () => {
  it('the private .ics link parses with ical.js and matches the entries, recurrence included; a revoked or replaced link answers 404', async () => {
    const { a, b } = org;
    const post = (body: Record<string, unknown>) => a.api.post('/api/schedule/entries', body).then((r) => ok(r, 201));
    await post({ kind: 'visit', title: 'Visit, with; commas', start: '2026-12-01T10:00', end: '2026-12-01T11:00' });
    await post({ kind: 'task', title: 'All-day plan', start: '2026-12-02T00:00', end: '2026-12-03T00:00', allDay: true });
    // Berlin crosses the end of summer time inside this series.
    const weekly = await post({ kind: 'meeting', title: 'Weekly Berlin', start: '2026-10-15T09:00', end: '2026-10-15T10:00', timeZone: 'Europe/Berlin', rrule: 'FREQ=WEEKLY;COUNT=4', exdates: ['2026-10-22T09:00'] });
    ok(await a.api.post(`/api/schedule/entries/${weekly.id}/occurrences/edit`, { occurrenceStart: '2026-10-29T08:00:00.000Z', scope: 'this', changes: { title: 'Weekly Berlin (late)', start: '2026-10-29T15:00', end: '2026-10-29T16:00' } }));
    await b.api.post('/api/schedule/entries', { kind: 'task', title: 'not mine', start: '2026-12-01T10:00', end: '2026-12-01T11:00' });

    expect(ok(await a.api.get('/api/me/calendar-link'))).toEqual({ active: false, createdAt: null });
    const { url } = ok(await a.api.post('/api/me/calendar-link'), 201);
    expect(url).toMatch(/\/calendar\/[\w-]+\.ics$/);
    const path = new URL(url).pathname;
    const res = await fetch(server.url + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const events = parseFeed(await res.text());
    const fromFeed = expand(events, new Date('2027-01-01T00:00:00Z'));

    const api = ok(await a.api.get(`/api/schedule/entries?from=${encodeURIComponent('2026-10-01T00:00:00Z')}&to=${encodeURIComponent('2027-01-01T00:00:00Z')}`)).data;
    const fromApi = api.filter((e: any) => !e.allDay).map((e: any) => `${e.startsAt}|${e.title}`).sort();
    expect(fromFeed.filter((x) => !x.includes('All-day'))).toEqual(fromApi);
    expect(fromApi).toEqual([
      '2026-10-15T07:00:00.000Z|Weekly Berlin',
      '2026-10-29T14:00:00.000Z|Weekly Berlin (late)',
      '2026-11-05T08:00:00.000Z|Weekly Berlin',
      '2026-12-01T02:00:00.000Z|Visit, with; commas',
    ]);
    const allDay = events.find((e) => e.summary === 'All-day plan')!;
    expect(allDay.startDate.isDate).toBe(true);
    expect(allDay.startDate.toString()).toBe('2026-12-02');
    expect(events.find((e) => e.summary === 'not mine')).toBeUndefined();

    // Replacing the link kills the old one; revoking kills the new one.
    const { url: second } = ok(await a.api.post('/api/me/calendar-link'), 201);
    expect((await fetch(server.url + path)).status).toBe(404);
    expect((await fetch(server.url + new URL(second).pathname)).status).toBe(200);
    ok(await a.api.delete('/api/me/calendar-link'), 204);
    expect((await fetch(server.url + new URL(second).pathname)).status).toBe(404);
    expect((await fetch(server.url + '/calendar/not-a-token.ics')).status).toBe(404);
  });
});
