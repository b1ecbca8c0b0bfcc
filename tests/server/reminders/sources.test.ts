/**
 * Reminders that a schedule entry or a contact's birthday keeps show where they come from in the
 * owner's reminders list, and change only with their source: editing or deleting them there is
 * refused and changes nothing; pausing is the owner's to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;

beforeAll(async () => {
  server = await startTestServer();
  org = await buildOrg(await server.admin());
});
afterAll(() => server?.close());

describe('reminders kept by a schedule entry or a birthday', () => {
  it('show their source, refuse edits and deletion with 409, and may be paused', async () => {
    const { a } = org;
    const entry = ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: '拜访长城机电', start: '2031-05-06T10:00', end: '2031-05-06T11:00', reminderOffsets: [30] }), 201);
    const customer = ok(await a.api.post('/api/customers', { name: '长城机电', type: 'end_customer', tier: 'gold', contacts: [{ name: '赵总', birthday: '1975-08-09' }] }), 201);
    const own = ok(await a.api.post('/api/reminders', { title: '交周报', dtstart: '2031-05-09T17:00', timeZone: 'Asia/Shanghai' }), 201);

    const listed = ok(await a.api.get('/api/reminders')).items as any[];
    const fromEntry = listed.find((r) => r.source?.kind === 'entry');
    const birthday = listed.find((r) => r.source?.kind === 'birthday');
    expect(fromEntry.source).toEqual({ kind: 'entry', entryId: entry.id, entryTitle: '拜访长城机电' });
    expect(birthday.source).toEqual({ kind: 'birthday', customerId: customer.id, customerName: '长城机电', contactName: '赵总' });
    expect(listed.find((r) => r.id === own.id).source).toBeNull();
    expect(ok(await a.api.get(`/api/reminders/${fromEntry.id}`)).source).toEqual(fromEntry.source);

    for (const kept of [fromEntry, birthday]) {
      const edit = await a.api.patch(`/api/reminders/${kept.id}`, { title: 'changed' });
      expect(edit.status).toBe(409);
      expect(edit.body.error.code).toBe('conflict');
      const removal = await a.api.delete(`/api/reminders/${kept.id}`);
      expect(removal.status).toBe(409);
      expect(ok(await a.api.get(`/api/reminders/${kept.id}`))).toMatchObject({ title: kept.title, status: 'active' });
    }
    const paused = ok(await a.api.post(`/api/reminders/${fromEntry.id}/pause`));
    expect(paused).toMatchObject({ status: 'paused', source: fromEntry.source });

    // The one the user set here stays theirs to change.
    expect(ok(await a.api.patch(`/api/reminders/${own.id}`, { title: '交周报（改）' })).title).toBe('交周报（改）');
    expect((await a.api.delete(`/api/reminders/${own.id}`)).status).toBe(204);
  });
});
