/**
 * The boundary rule from the attacker's side: characters PostgreSQL or our formats cannot hold,
 * malformed session tokens, dates outside 1900–9999 and bodies that are not what their
 * Content-Encoding says are refused with a 4xx and a field-level code, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { textBody } from '../../support/chat.js';
import { connectSocket, emitWithAck, type TestSocket } from '../../support/sockets.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;
let conversationId: string;
let customerId: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  org = await buildOrg(await server.admin());
  conversationId = ok(await org.a.api.post('/api/conversations/direct', { userId: org.b.user.id })).id;
  customerId = ok(await org.a.api.post('/api/customers', { name: 'Boundary Co', type: 'channel' }), 201).id;
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
});

const NUL = '\u0000';

/** A 400 whose details name the field and the `invalid_characters` code. */
function expectInvalidCharacters(res: { status: number; body: any }, path: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_failed');
  expect(res.body.error.details).toContainEqual(expect.objectContaining({ path, code: 'invalid_characters' }));
}

describe('characters PostgreSQL or our formats cannot hold', () => {
  it('a NUL in a reminder title, a customer name, a schedule entry, a message and a user search is refused, field by field', async () => {
    const api = org.a.api;
    expectInvalidCharacters(await api.post('/api/reminders', { title: `pay${NUL}`, dtstart: '2030-01-01T09:00', timeZone: 'Asia/Shanghai' }), 'title');
    expectInvalidCharacters(await api.post('/api/customers', { name: `Evil${NUL}Co`, type: 'channel' }), 'name');
    expectInvalidCharacters(await api.patch(`/api/customers/${customerId}`, { notes: `a${NUL}b` }), 'notes');
    expectInvalidCharacters(await api.post('/api/schedule/entries', { kind: 'task', title: `x${NUL}`, start: '2030-01-01T09:00', end: '2030-01-01T10:00' }), 'title');
    expectInvalidCharacters(await api.post(`/api/conversations/${conversationId}/messages`, { clientId: 'nul-message-1', body: textBody(`hi${NUL}`) }), 'body.root.children.0.children.0.text');
    expectInvalidCharacters(await api.get(`/api/users?q=${encodeURIComponent(NUL)}`), 'q');
    // Nothing was written.
    expect(ok(await api.get('/api/customers?q=Evil')).items).toEqual([]);
  });

  it('lone UTF-16 surrogates and other control characters are refused too; tab, newline and CR only where text may span lines', async () => {
    const api = org.a.api;
    // JSON can carry a lone surrogate as an escape; UTF-8 and PostgreSQL cannot hold it.
    const lone = await api.request('POST', '/api/customers', '{"name":"half \\ud83d","type":"channel"}');
    expectInvalidCharacters(lone, 'name');
    expectInvalidCharacters(await api.post('/api/customers', { name: 'bell\u0007', type: 'channel' }), 'name');
    // A name is one line; notes may hold several.
    expectInvalidCharacters(await api.post('/api/customers', { name: 'two\nlines', type: 'channel' }), 'name');
    const multiLine = await api.post('/api/customers', { name: 'Lines Co', type: 'channel', notes: 'first\r\nsecond\tthird' });
    expect(multiLine.status).toBe(201);
    expect(multiLine.body.data.notes).toBe('first\r\nsecond\tthird');
    expectInvalidCharacters(await api.post('/api/customers', { name: 'Esc Co', type: 'channel', notes: 'esc\u001b[31m' }), 'notes');
    // A key of a JSON object is a string that enters the system as well.
    expectInvalidCharacters(await api.patch('/api/me/notification-settings', { preferences: { [`x${NUL}`]: { email: true, sms: false } } }), 'preferences');
  });

  it('query strings with NUL or lone surrogates answer 400, whichever parameter holds them', async () => {
    const api = org.a.api;
    expectInvalidCharacters(await api.get(`/api/customers?q=${encodeURIComponent('a\u0000')}`), 'q');
    expectInvalidCharacters(await api.get(`/api/customers/team-feed?tiers=${encodeURIComponent('gold\u0001')}`), 'tiers');
    // %ED%A0%80 is a surrogate encoded as UTF-8: not valid UTF-8 at all.
    const res = await api.get('/api/customers?q=%ED%A0%80');
    expect(res.status).toBe(400);
  });

  it('a NUL in a socket payload is refused in the acknowledgement, and the socket stays usable', async () => {
    const socket = await connectSocket(server.url, { token: org.a.api.token });
    sockets.push(socket);
    const ack = await emitWithAck(socket, 'message:send', { conversationId, clientId: 'nul-socket-1', body: textBody(`x${NUL}`) });
    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [expect.objectContaining({ code: 'invalid_characters' })] } });
    const syncKey = await emitWithAck(socket, 'sync', { streams: { [`user:${NUL}`]: 0 } });
    expect(syncKey).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await emitWithAck(socket, 'ping', {})).toMatchObject({ ok: true });
  });

  it('a CSV row with a NUL or a control character is reported by line with the same code, and nothing is imported', async () => {
    const csv = ['name,type,notes', 'Fine Co,channel,ok', `Nul${NUL}Co,channel,`, 'Ctl Co,channel,bell\u0007'].join('\n');
    const upload = (dryRun: boolean) =>
      fetch(`${server.url}/api/customers/import?dryRun=${dryRun}`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${org.a.api.token}` }, body: csv }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const dry = await upload(true);
    expect(dry.status).toBe(200);
    expect(dry.body.data.problems).toEqual([
      expect.objectContaining({ line: 3, column: 'name', code: 'invalid_characters' }),
      expect.objectContaining({ line: 4, column: 'notes', code: 'invalid_characters' }),
    ]);
    const real = await upload(false);
    expect(real.status).toBe(422);
    expect(ok(await org.a.api.get('/api/customers?q=Fine')).items).toEqual([]);
  });
});

describe('malformed session cookies and tokens', () => {
  const cookies = [
    ['a broken percent escape', 'huitong_session=%E0%A4%A'],
    ['a lone percent sign', 'huitong_session=%'],
    ['5,000 characters', `huitong_session=${'x'.repeat(5000)}`],
    ['Latin-1 bytes', 'huitong_session=\u00ff\u00fe'],
    ['no value at all', 'huitong_session'],
  ];
  it.each(cookies)('a session cookie with %s is treated as no session: 401, not 500', async (_what, cookie) => {
    const res = await fetch(`${server.url}/api/me`, { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.code).toBe('unauthenticated');
  });

  it('a bearer token with odd bytes is treated as absent', async () => {
    for (const authorization of ['Bearer %00', 'Bearer \u00e9\u00e9', `Bearer ${'a'.repeat(300)}`, 'Bearer']) {
      const res = await fetch(`${server.url}/api/me`, { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
    }
  });

  it('a socket handshake with a malformed cookie is refused as unauthenticated', async () => {
    const error = await connectSocket(server.url, { headers: { cookie: 'huitong_session=%E0%A4%A' } }).then(
      (s) => {
        s.close();
        return null;
      },
      (e) => e,
    );
    expect(error?.data?.code).toBe('unauthenticated');
  });
});

describe('dates outside 1900–9999', () => {
  it('schedule entries, reminders, exdates, birthdays and range queries in year 0000 answer 400', async () => {
    const api = org.a.api;
    const entry = await api.post('/api/schedule/entries', { kind: 'task', title: 'ancient', start: '0000-01-01T09:00', end: '0000-01-01T10:00' });
    expect(entry.status).toBe(400);
    expect(entry.body.error.details).toContainEqual(expect.objectContaining({ path: 'start', code: 'date_out_of_range' }));
    const reminder = await api.post('/api/reminders', { title: 'ancient', dtstart: '0000-03-01T09:00', timeZone: 'Asia/Shanghai' });
    expect(reminder.status).toBe(400);
    expect(reminder.body.error.details).toContainEqual(expect.objectContaining({ path: 'dtstart', code: 'date_out_of_range' }));
    const exdate = await api.post('/api/schedule/entries', { kind: 'task', title: 'x', start: '2030-01-01T09:00', end: '2030-01-01T10:00', rrule: 'FREQ=DAILY', exdates: ['0000-01-02T09:00'] });
    expect(exdate.status).toBe(400);
    const contact = await api.post(`/api/customers/${customerId}/contacts`, { name: 'Old', birthday: '0000-02-29' });
    expect(contact.status).toBe(400);
    expect(contact.body.error.details).toContainEqual(expect.objectContaining({ path: 'birthday', code: 'date_out_of_range' }));
    const range = await api.get(`/api/schedule/entries?from=${encodeURIComponent('0000-01-01T00:00:00Z')}&to=${encodeURIComponent('0000-01-02T00:00:00Z')}`);
    expect(range.status).toBe(400);
    expect((await api.get('/api/schedule/entries?day=0000-01-01')).status).toBe(400);
    expect((await api.get('/api/recurrence/preview?rrule=FREQ=DAILY&dtstart=0000-01-01T09:00&tz=UTC')).status).toBe(400);
    expect((await api.get('/api/schedule/entries?day=10000-01-01')).status).toBe(400);
    // The end of 9999 west of Greenwich is already the year 10000 in UTC.
    const lateRange = await api.get(`/api/schedule/entries?from=${encodeURIComponent('9999-12-01T00:00:00Z')}&to=${encodeURIComponent('9999-12-31T23:00:00-05:00')}`);
    expect(lateRange.status).toBe(400);
    expect(lateRange.body.error.details).toContainEqual(expect.objectContaining({ path: 'to', code: 'date_out_of_range' }));
    expect((await api.post('/api/schedule/entries', { kind: 'task', title: 'late', start: '9999-12-31T20:00', end: '9999-12-31T23:00', timeZone: 'America/New_York' })).status).toBe(400);
    expect((await api.post('/api/reminders', { title: 'late', dtstart: '9999-12-31T23:00', timeZone: 'America/New_York' })).status).toBe(400);
    // The edges are fine.
    expect((await api.post('/api/schedule/entries', { kind: 'task', title: 'edge', start: '1900-01-01T09:00', end: '1900-01-01T10:00' })).status).toBe(201);
    expect((await api.post('/api/schedule/entries', { kind: 'task', title: 'edge', start: '9999-12-30T09:00', end: '9999-12-30T10:00' })).status).toBe(201);
  });
});

describe('bodies that are not what their Content-Encoding says', () => {
  const post = (headers: Record<string, string>, body: Buffer | string) =>
    fetch(`${server.url}/api/customers`, { method: 'POST', headers: { authorization: `Bearer ${org.a.api.token}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : new Uint8Array(body) });

  it('a false gzip, an unknown encoding and a truncated gzip answer 400 or 415', async () => {
    const plain = JSON.stringify({ name: 'Gzip Co', type: 'channel' });
    const falseGzip = await post({ 'content-encoding': 'gzip' }, plain);
    expect([400, 415]).toContain(falseGzip.status);
    expect(((await falseGzip.json()) as any).error.code).toBe('bad_request');
    expect([400, 415]).toContain((await post({ 'content-encoding': 'x-unknown' }, plain)).status);
    const truncated = gzipSync(plain).subarray(0, 12);
    expect([400, 415]).toContain((await post({ 'content-encoding': 'gzip' }, truncated)).status);
    expect([400, 415]).toContain((await post({ 'content-encoding': 'deflate' }, plain)).status);
    // A real gzip body is read.
    const real = await post({ 'content-encoding': 'gzip' }, gzipSync(plain));
    expect(real.status).toBe(201);
  });

  it('a CSV import with a false gzip answers 400 or 415', async () => {
    const res = await fetch(`${server.url}/api/customers/import?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${org.a.api.token}`, 'content-type': 'text/csv', 'content-encoding': 'gzip' }, body: 'name,type\nA,channel\n' });
    expect([400, 415]).toContain(res.status);
  });
});
