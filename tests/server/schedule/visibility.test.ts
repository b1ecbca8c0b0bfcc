import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { textBody } from '../../support/chat.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;
const day = '2026-03-02';
const entry = (title: string, extra: Record<string, unknown> = {}) => ({ kind: 'task', title, start: `${day}T10:00`, end: `${day}T11:00`, ...extra });
const range = `from=${day}T00:00:00%2B08:00&to=2026-03-03T00:00:00%2B08:00`;
const titles = (list: any) => list.data.map((e: any) => e.title).sort();

beforeAll(async () => {
  server = await startTestServer();
  org = await buildOrg(await server.admin());
});
afterAll(async () => server?.close());

describe('who sees a schedule entry', () => {
  it('the owner and their superiors; a peer, another department’s manager and a stranger get 404 for reading and annotating', async () => {
    const { a, b, e, m, s, c } = org;
    const mine = ok(await a.api.post('/api/schedule/entries', entry('a private task')), 201);
    for (const viewer of [a, e, m]) expect((await viewer.api.get(`/api/schedule/entries/${mine.id}`)).status).toBe(200);
    for (const viewer of [b, s, c]) {
      expect((await viewer.api.get(`/api/schedule/entries/${mine.id}`)).status).toBe(404);
      expect((await viewer.api.post(`/api/schedule/entries/${mine.id}/annotations`, { body: textBody('hm') })).status).toBe(404);
      expect((await viewer.api.patch(`/api/schedule/entries/${mine.id}`, { title: 'taken over' })).status).toBe(404);
      expect((await viewer.api.get(`/api/schedule/entries/${mine.id}/annotations`)).status).toBe(404);
    }
    // Superiors see but do not edit: 403, and nothing changed.
    expect((await e.api.patch(`/api/schedule/entries/${mine.id}`, { title: 'edited by boss' })).status).toBe(403);
    expect((await e.api.put(`/api/schedule/entries/${mine.id}/result`, { result: textBody('done?') })).status).toBe(403);
    expect(ok(await a.api.get(`/api/schedule/entries/${mine.id}`)).title).toBe('a private task');
    // The owner may not annotate their own entry.
    expect((await a.api.post(`/api/schedule/entries/${mine.id}/annotations`, { body: textBody('note to self') })).status).toBe(403);
  });

  it('sharing with the department lets colleagues read it but not annotate or change it', async () => {
    const { a, b, c } = org;
    const shared = ok(await a.api.post('/api/schedule/entries', entry('a shared meeting', { kind: 'meeting', shared: true })), 201);
    expect(shared.shared).toBe(true);
    expect(ok(await b.api.get(`/api/schedule/entries/${shared.id}`)).title).toBe('a shared meeting');
    expect((await b.api.post(`/api/schedule/entries/${shared.id}/annotations`, { body: textBody('nice') })).status).toBe(403);
    expect((await b.api.patch(`/api/schedule/entries/${shared.id}`, { title: 'x' })).status).toBe(403);
    expect((await c.api.get(`/api/schedule/entries/${shared.id}`)).status).toBe(404);
    ok(await a.api.patch(`/api/schedule/entries/${shared.id}`, { shared: false }));
    expect((await b.api.get(`/api/schedule/entries/${shared.id}`)).status).toBe(404);
    ok(await a.api.patch(`/api/schedule/entries/${shared.id}`, { shared: true }));
  });

  it('person, department and team queries show each viewer exactly what they may see', async () => {
    const { a, b, e, m, s, c, departments } = org;
    ok(await b.api.post('/api/schedule/entries', entry('b task')), 201);
    ok(await e.api.post('/api/schedule/entries', entry('e task')), 201);
    ok(await m.api.post('/api/schedule/entries', entry('m task')), 201);

    // One person: oneself, a superior, a colleague (shared only), others 404.
    expect(titles(ok(await a.api.get(`/api/schedule/entries?${range}`)))).toEqual(['a private task', 'a shared meeting']);
    expect(titles(ok(await m.api.get(`/api/schedule/entries?userId=${a.user.id}&${range}`)))).toEqual(['a private task', 'a shared meeting']);
    expect(titles(ok(await b.api.get(`/api/schedule/entries?userId=${a.user.id}&${range}`)))).toEqual(['a shared meeting']);
    expect((await c.api.get(`/api/schedule/entries?userId=${a.user.id}&${range}`)).status).toBe(404);
    expect((await e.api.get(`/api/schedule/entries?userId=${m.user.id}&${range}`)).status).toBe(404);

    // A department: its managers and their superiors see all, members what is shared, others 404.
    expect(titles(ok(await e.api.get(`/api/schedule/departments/${departments.east.id}?${range}`)))).toEqual(['a private task', 'a shared meeting', 'b task', 'e task']);
    expect(titles(ok(await m.api.get(`/api/schedule/departments/${departments.east.id}?${range}`)))).toEqual(['a private task', 'a shared meeting', 'b task', 'e task']);
    expect(titles(ok(await b.api.get(`/api/schedule/departments/${departments.east.id}?${range}`)))).toEqual(['a shared meeting', 'b task']);
    expect((await s.api.get(`/api/schedule/departments/${departments.east.id}?${range}`)).status).toBe(404);
    expect((await e.api.get(`/api/schedule/departments/${departments.sales.id}?${range}`)).status).toBe(404);

    // The team: the whole managed subtree and nothing beyond (not the manager's own superior).
    expect(titles(ok(await m.api.get(`/api/schedule/team?${range}`)))).toEqual(['a private task', 'a shared meeting', 'b task', 'e task']);
    expect(titles(ok(await e.api.get(`/api/schedule/team?${range}`)))).toEqual(['a private task', 'a shared meeting', 'b task']);
    expect(ok(await a.api.get(`/api/schedule/team?${range}`)).data).toEqual([]);
  });

  it('refuses bad input with 4xx and changes nothing', async () => {
    const { a } = org;
    const bad = [
      entry('ends before it starts', { end: `${day}T09:00` }),
      entry('no such kind', { kind: 'party' }),
      entry('', {}),
      entry('all day at noon', { allDay: true }),
      entry('bad rule', { rrule: 'FREQ=SOMETIMES' }),
      entry('unknown customer', { customerId: '999999' }),
      entry('contact without customer', { contactIds: ['1'] }),
    ];
    const before = ok(await a.api.get(`/api/schedule/entries?${range}`)).data.length;
    for (const body of bad) {
      const res = await a.api.post('/api/schedule/entries', body);
      expect([400, 404]).toContain(res.status);
      expect(res.body.error.code).toMatch(/validation_failed|bad_request|not_found/);
    }
    expect((await a.api.get(`/api/schedule/entries?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z`)).status).toBe(400);
    expect((await a.api.get(`/api/schedule/entries/abc`)).status).toBe(404);
    expect(ok(await a.api.get(`/api/schedule/entries?${range}`)).data.length).toBe(before);
  });
});
