import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import http from 'node:http';
import pg from 'pg';
import { startTestServer, type TestServer } from '../support/server.js';
import { ok } from '../support/api.js';
import { createTestDatabase } from '../support/database.js';
import { waitFor } from '../support/wait.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: 'fatal' });
});
afterAll(() => server?.close());

const raw = (path: string, init: RequestInit = {}) => fetch(server.url + path, init);

describe('health', () => {
  it('/healthz answers 200 without touching the database', async () => {
    const res = await raw('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 when the database is reachable and migrated', async () => {
    const res = await raw('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  describe('when the database becomes unreachable', () => {
    let outage: TestServer;
    let admin: pg.Client;
    let database: string;
    let token: string;
    const moved = () => `${database}_away`;

    beforeAll(async () => {
      const url = await createTestDatabase();
      database = new URL(url).pathname.slice(1);
      outage = await startTestServer({ LOG_LEVEL: 'fatal' }, { databaseUrl: url });
      token = (await outage.admin()).token!;
      admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
      await admin.connect();
    });
    afterAll(async () => {
      await outage?.close();
      await admin?.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin?.query(`DROP DATABASE IF EXISTS "${moved()}" WITH (FORCE)`);
      await admin?.end();
    });

    it('/readyz answers 503, API calls 503 with code unavailable, /healthz stays 200; all recover once it is back', async () => {
      // Cut every connection of the server and rename its database: reconnecting fails until it is renamed back.
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
      await admin.query(`ALTER DATABASE "${database}" RENAME TO "${moved()}"`);
      try {
        const ready = await fetch(`${outage.url}/readyz`);
        expect(ready.status).toBe(503);
        expect((await ready.json()).error.code).toBe('unavailable');
        const api = await fetch(`${outage.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
        expect(api.status).toBe(503);
        expect((await api.json()).error.code).toBe('unavailable');
        expect((await fetch(`${outage.url}/healthz`)).status).toBe(200);
      } finally {
        await admin.query(`ALTER DATABASE "${moved()}" RENAME TO "${database}"`);
        await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
      }
      await waitFor(async () => (await fetch(`${outage.url}/readyz`)).status === 200, { timeoutMs: 10_000, intervalMs: 100, what: '/readyz to recover' });
      const me = await fetch(`${outage.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
    });
  });
});

describe('request bodies', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ LOG_LEVEL: 'fatal', BODY_LIMIT_KB: '1' });
  });
  afterAll(() => small?.close());

  it('a JSON body over the limit gets 413 payload_too_large', async () => {
    const res = await fetch(`${small.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2000) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: 'payload_too_large', message: expect.any(String) });
  });

  it('a body just under the limit is accepted', async () => {
    const res = await fetch(`${small.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@huitong.test', password: 'wrong', padding: 'x'.repeat(900) }),
    });
    expect(res.status).toBe(401);
  });

  it('invalid JSON gets 400 with a JSON error', async () => {
    for (const body of ['{"email": ', 'not json at all', '{"a":1}}']) {
      const res = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect((await res.json()).error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/JSON/) });
    }
  });

  it('a JSON value that is not an object is a validation error, not a crash', async () => {
    for (const body of ['[]', '"text"', 'null', '42']) {
      const res = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
  });
});

describe('routing', () => {
  it('an unknown /api route is a JSON 404', async () => {
    for (const [method, path] of [['GET', '/api/nope'], ['POST', '/api/nope/deeper'], ['GET', '/api/'], ['DELETE', '/api/departments/1/extra']]) {
      const res = await raw(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect((await res.json()).error).toMatchObject({ code: 'not_found', message: expect.any(String) });
    }
  });
  it('a known /api path asked with another method is a JSON 405 that says which methods it answers', async () => {
    for (const [method, path] of [['PUT', '/api/me'], ['POST', '/api/conversations/read'], ['PROPFIND', '/api/me']]) {
      const res = await raw(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect((await res.json()).error).toMatchObject({ code: 'method_not_allowed', message: expect.any(String) });
    }
    expect((await raw('/api/me', { method: 'PUT' })).headers.get('allow')).toMatch(/GET/);
  });
});

describe('headers', () => {
  it('security headers are set on API answers and pages', async () => {
    for (const path of ['/api/me', '/healthz', '/']) {
      const res = await raw(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      const framing = res.headers.get('x-frame-options') ?? '';
      expect(/^(DENY|SAMEORIGIN)$/i.test(framing) || /frame-ancestors '(self|none)'/.test(csp), path).toBe(true);
      expect(res.headers.get('x-powered-by')).toBeNull();
      // Plain http: no HSTS.
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('X-Request-Id is echoed when sane and generated otherwise', async () => {
    const echoed = await raw('/healthz', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(echoed.headers.get('x-request-id')).toBe('trace-abc.123');
    const generated = [await raw('/healthz'), await raw('/api/nope')].map((r) => r.headers.get('x-request-id'));
    for (const id of generated) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated[0]).not.toBe(generated[1]);
    for (const bad of ['has spaces in it', 'x'.repeat(101), '<script>']) {
      const replaced = (await raw('/healthz', { headers: { 'x-request-id': bad } })).headers.get('x-request-id');
      expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document built from the request schemas', async () => {
    const res = await raw('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });

    const login = doc.paths['/api/auth/login']?.post;
    expect(login).toBeDefined();
    const schema = login.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['email', 'password']));
    expect(schema.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(login.security).toEqual([]);

    const patch = doc.paths['/api/departments/{id}']?.patch;
    expect(patch).toBeDefined();
    expect(patch.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path', required: true }));
    expect(Object.keys(patch.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['name', 'parentId', 'managerIds']));
    expect(patch.security.length).toBeGreaterThan(0);

    const list = doc.paths['/api/notifications']?.get;
    expect(list.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['before', 'limit', 'unread']));
  });

  it('lists every path as it is served (no trailing slashes, {param} placeholders)', async () => {
    const doc = await (await raw('/api/openapi.json')).json();
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/departments', '/api/users', '/api/me', '/api/notifications', '/api/users/{id}']));
    for (const path of paths) {
      expect(path, path).not.toMatch(/.\/$/);
      expect(path, path).not.toContain(':');
    }
    // Each listed GET without path parameters is really there (answers 401, not 404, without a session).
    for (const path of paths.filter((p) => doc.paths[p].get && !p.includes('{') && doc.paths[p].get.security.length > 0)) {
      expect((await raw(path)).status, path).toBe(401);
    }
    const admin = await server.admin();
    ok(await admin.get('/api/departments'));
  });
});

describe('shutdown', () => {
  it('closes while a client keeps sending requests on a kept-alive connection that was busy when shutdown began', async () => {
    const closing = await startTestServer({ LOG_LEVEL: 'fatal' });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // A sign-in with a wrong password: slow enough (the password hash) to be running when close() begins.
    const signIn = () =>
      new Promise<number>((resolve) => {
        const req = http.request(`${closing.url}/api/auth/login`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) =>
          res.resume().on('end', () => resolve(res.statusCode ?? 0)),
        );
        req.on('error', () => resolve(0));
        req.end(JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' }));
      });
    expect(await signIn()).toBeGreaterThanOrEqual(400);
    let stopping = false;
    const traffic = (async () => {
      while (!stopping) await signIn();
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const outcome = await Promise.race([closing.close().then(() => 'closed'), new Promise((resolve) => setTimeout(() => resolve('still open after 8 s'), 8_000))]);
      expect(outcome).toBe('closed');
    } finally {
      stopping = true;
      await traffic;
      agent.destroy();
    }
  });
});
