import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { createUser, PASSWORD, rootDepartment } from '../../support/factories.js';
import { waitFor } from '../../support/wait.js';

const THROTTLE_ENV = { TRUST_PROXY: 'true', LOGIN_FREE_FAILURES: '2', LOGIN_MAX_DELAY_SECONDS: '2', LOGIN_ATTEMPTS_PER_ACCOUNT: '6', LOG_LEVEL: 'error' };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(THROTTLE_ENV);
});
afterAll(() => server?.close());

describe('POST /api/auth/login', () => {
  it('answers the user, a bearer token and an HttpOnly SameSite=Lax session cookie', async () => {
    const res = await server.client().post('/api/auth/login', { email: ADMIN.email.toUpperCase(), password: ADMIN.password });
    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({ email: ADMIN.email, role: 'admin', locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(typeof res.body.data.user.id).toBe('string');
    expect(res.body.data.token).toMatch(/^[\w-]{40,}$/);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/huitong_session=/);
    expect(cookie.toLowerCase()).toContain('httponly');
    expect(cookie.toLowerCase()).toContain('samesite=lax');
    expect(cookie.toLowerCase()).not.toContain('secure');
  });

  it('accepts the session cookie as well as the bearer token', async () => {
    const res = await server.client().post('/api/auth/login', { email: ADMIN.email, password: ADMIN.password });
    const cookie = res.headers.get('set-cookie')!.split(';')[0];
    const me = await server.client().request('GET', '/api/me', undefined, { cookie });
    expect(me.status).toBe(200);
    expect(me.body.data.email).toBe(ADMIN.email);
  });

  it('refuses a wrong password with 401 and a code, and validates the body', async () => {
    const wrong = await server.client().post('/api/auth/login', { email: ADMIN.email, password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthenticated');
    const invalid = await server.client().post('/api/auth/login', { email: 5 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    expect(invalid.body.error.details.map((d: any) => d.path)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  const from = (address: string, email: string, password: string) => server.client().request('POST', '/api/auth/login', { email, password }, { 'x-forwarded-for': address });
  const retryAfter = (res: { headers: Headers }) => Number(res.headers.get('retry-after'));
  it('an attacker guessing from one address waits longer after each failure; the owner at their usual address is not blocked', { timeout: 30_000 }, async () => {
    const admin = await server.admin();
    const { user } = await createUser(admin, (await rootDepartment(admin)).id);
    expect((await from('10.0.0.1', user.email, PASSWORD)).status).toBe(200);

    // LOGIN_FREE_FAILURES=2: two free failures; the third makes the address wait 1 s, the next 2 s,
    // then 2 s again (LOGIN_MAX_DELAY_SECONDS).
    for (let i = 0; i < 3; i++) expect((await from('10.6.6.6', user.email, `guess-${i}`)).status).toBe(401);
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      // Even the right password must wait its turn from there...
      const refused = await from('10.6.6.6', user.email, PASSWORD);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      waits.push(retryAfter(refused));
      // ...while the owner signs in from their usual address at once.
      expect((await from('10.0.0.1', user.email, PASSWORD)).status).toBe(200);
      // The guess that gets through once the wait is over is the next failure.
      await waitFor(async () => (await from('10.6.6.6', user.email, `guess-after-${round}`)).status === 401, { timeoutMs: 10_000, intervalMs: 200, what: 'the wait to end' });
    }
    expect(waits).toEqual([1, 2, 2]);
  });

  it('guessing spread over many addresses reaches the account ceiling: new addresses are refused, the owner’s known address is not', async () => {
    const admin = await server.admin();
    const { user } = await createUser(admin, (await rootDepartment(admin)).id);
    expect((await from('10.0.0.2', user.email, PASSWORD)).status).toBe(200);
    // LOGIN_ATTEMPTS_PER_ACCOUNT=6 failures per 15 minutes from addresses the account never signed in from.
    for (let i = 0; i < 6; i++) expect((await from(`10.7.7.${i}`, user.email, 'spray')).status).toBe(401);
    const stranger = await from('10.9.9.9', user.email, PASSWORD);
    expect(stranger.status).toBe(429);
    expect(retryAfter(stranger)).toBeGreaterThan(0);
    expect((await from('10.0.0.2', user.email, PASSWORD)).status).toBe(200);
  });

  it('counts failed attempts across server processes sharing the database', async () => {
    const other = await startTestServer(THROTTLE_ENV, { databaseUrl: server.databaseUrl });
    try {
      const admin = await server.admin();
      const { user } = await createUser(admin, (await rootDepartment(admin)).id);
      const via = (target: TestServer) => target.client().request('POST', '/api/auth/login', { email: user.email, password: 'bad-guess' }, { 'x-forwarded-for': '10.5.5.5' });
      // Two failures here, the third there: the pair now waits in both.
      for (const target of [server, server, other]) expect((await via(target)).status).toBe(401);
      expect((await via(server)).status).toBe(429);
      expect((await via(other)).status).toBe(429);
    } finally {
      await other.close();
    }
  });
});

describe('sessions', () => {
  it('logout revokes the token', async () => {
    const api = await server.admin();
    expect((await api.post('/api/auth/logout')).status).toBe(204);
    expect((await api.get('/api/me')).status).toBe(401);
  });

  it('a password change signs out every other session but keeps the current one', async () => {
    const admin = await server.admin();
    const { user, api } = await createUser(admin, (await rootDepartment(admin)).id);
    const other = new ApiClient(server.url);
    await other.login(user.email, PASSWORD);
    ok(await api.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a-new-password' }));
    expect((await api.get('/api/me')).status).toBe(200);
    expect((await other.get('/api/me')).status).toBe(401);
    const wrongCurrent = await api.post('/api/auth/password', { currentPassword: 'not-it', newPassword: 'another-password' });
    expect(wrongCurrent.status).toBe(400);
  });

  it('deactivation revokes the sessions and login is refused', async () => {
    const admin = await server.admin();
    const { user, api } = await createUser(admin, (await rootDepartment(admin)).id);
    ok(await admin.patch(`/api/users/${user.id}`, { active: false }));
    expect((await api.get('/api/me')).status).toBe(401);
    expect((await server.client().post('/api/auth/login', { email: user.email, password: PASSWORD })).status).toBe(401);
  });
});

describe('password strength', () => {
  const weak = (res: { status: number; body: any }, path: string, warning: string | null) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ path, code: 'weak_password', warning }));
    expect(res.body.error.message).toMatch(/too easy to guess/);
  };

  it('creating a user with a common password, or one made of their own name, is refused with the reason', async () => {
    const admin = await server.admin();
    const departmentId = (await rootDepartment(admin)).id;
    const fields = { email: 'kowalczyk.ferdinand@huitong.test', displayName: 'Ferdinand Kowalczyk', departmentId };
    weak(await admin.post('/api/users', { ...fields, password: 'password1' }), 'password', 'common');
    weak(await admin.post('/api/users', { ...fields, password: 'Password123!' }), 'password', 'similarToCommon');
    // Long enough and not in any list, but it is the user's own name.
    weak(await admin.post('/api/users', { ...fields, password: 'kowalczykferdinand' }), 'password', 'userInputs');
    expect((await admin.post('/api/users', { ...fields, password: 'short' })).body.error.details).toContainEqual(expect.objectContaining({ path: 'password', code: 'too_small' }));
    expect((await admin.get('/api/users?q=kowalczyk')).body.data.items).toEqual([]);
    ok(await admin.post('/api/users', { ...fields, email: 'someone.else@huitong.test', displayName: 'Someone Else', password: 'kowalczykferdinand' }), 201);
  });

  it('changing or resetting a password to a weak one is refused, and the old one keeps working', async () => {
    const admin = await server.admin();
    const { user, api } = await createUser(admin, (await rootDepartment(admin)).id, { displayName: 'Ferdinand Kowalczyk' });
    weak(await api.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'qwertyuiop' }), 'newPassword', 'topHundred');
    const local = user.email.split('@')[0];
    weak(await api.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: `${local}ferdinand` }), 'newPassword', 'userInputs');
    weak(await admin.post(`/api/users/${user.id}/password`, { password: '12345678' }), 'password', 'topTen');
    await new ApiClient(server.url).login(user.email, PASSWORD);
  });
});

describe('GET /api/me', () => {
  it('returns the department, superiors and whether the user manages anyone', async () => {
    const admin = await server.admin();
    const root = await rootDepartment(admin);
    const { user: boss, api: bossApi } = await createUser(admin, root.id);
    ok(await admin.patch(`/api/departments/${root.id}`, { managerIds: [boss.id] }));
    const { api } = await createUser(admin, root.id);
    const me = ok(await api.get('/api/me'));
    expect(me.department).toEqual({ id: root.id, name: root.name });
    expect(me.superiors.map((s: any) => s.id)).toEqual([boss.id]);
    expect(me.managesAnyone).toBe(false);
    expect(ok(await bossApi.get('/api/me')).managesAnyone).toBe(true);
  });
});
