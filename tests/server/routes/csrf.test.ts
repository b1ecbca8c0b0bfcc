/**
 * Cross-site request forgery from the attacker's side: a page on another site makes the victim's
 * browser send requests that carry the victim's session cookie. Whatever the content type, a
 * change authenticated by the cookie is refused unless it comes from our own origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';

let server: TestServer;
let cookie: string;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(ADMIN) });
  cookie = login.headers.get('set-cookie')!.split(';')[0];
  token = ((await login.json()) as any).data.token;
});
afterAll(() => server?.close());

const EVIL = 'https://evil.example';
const send = (method: string, path: string, headers: Record<string, string>, body?: string) => fetch(`${server.url}${path}`, { method, headers: { cookie, ...headers }, body });

describe('requests authenticated by the session cookie', () => {
  it('a change from another site is refused, whatever its content type, and changes nothing', async () => {
    const admin = await server.admin();
    const before = ok<any[]>(await admin.get('/api/departments')).length;
    // A plain HTML form can post text/plain or urlencoded bodies without a preflight.
    for (const contentType of ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await send('POST', '/api/departments', { origin: EVIL, 'content-type': contentType }, JSON.stringify({ name: 'Planted', parentId: null }));
      expect(res.status, contentType).toBe(403);
      expect(((await res.json()) as any).error.code).toBe('forbidden');
    }
    expect(ok<any[]>(await admin.get('/api/departments')).length).toBe(before);
    // Bodiless changes as well: signing the victim out, revoking their calendar link.
    expect((await send('POST', '/api/auth/logout', { origin: EVIL })).status).toBe(403);
    expect((await send('DELETE', '/api/me/calendar-link', { origin: EVIL })).status).toBe(403);
    expect((await send('GET', '/api/me', {})).status).toBe(200);
  });

  it('without Origin, Sec-Fetch-Site decides; with neither, the change is refused', async () => {
    expect((await send('POST', '/api/notifications/read-all', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await send('POST', '/api/notifications/read-all', { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await send('POST', '/api/notifications/read-all', {})).status).toBe(403);
    expect((await send('POST', '/api/notifications/read-all', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('our own pages change things as before; reads from anywhere are not refused (CORS keeps their answers from other sites)', async () => {
    const res = await send('POST', '/api/departments', { origin: server.url, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, JSON.stringify({ name: 'Legit', parentId: null }));
    expect(res.status).toBe(201);
    expect((await send('GET', '/api/departments', { origin: EVIL, 'sec-fetch-site': 'cross-site' })).status).toBe(200);
  });

  it('signing in from another site is refused, so no site can sign a visitor into an account of its choosing', async () => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: EVIL }, body: JSON.stringify(ADMIN) });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('bearer-token clients are not browsers and are not affected', async () => {
    const res = await fetch(`${server.url}/api/notifications/read-all`, { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: EVIL } });
    expect(res.status).toBe(200);
  });
});
