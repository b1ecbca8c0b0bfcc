import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok, unique } from '../../support/api.js';
import { createDepartment, createUser, PASSWORD, rootDepartment } from '../../support/factories.js';

let server: TestServer;
let admin: ApiClient;
let root: any;

beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: 'error', LOGIN_ATTEMPTS_PER_ADDRESS: '10000' });
  admin = await server.admin();
  root = await rootDepartment(admin);
});
afterAll(() => server?.close());

const newUserBody = (fields: Record<string, unknown> = {}) => ({
  email: `${unique('person')}@huitong.test`,
  displayName: unique('Person'),
  password: PASSWORD,
  departmentId: root.id,
  ...fields,
});
const getUser = async (id: string) => ok(await admin.get(`/api/users/${id}`));
const detailPaths = (res: { body: any }) => (res.body.error.details ?? []).map((d: any) => d.path);
const canLogin = async (email: string, password: string) => (await server.client().post('/api/auth/login', { email, password })).status === 200;

const badIds = ['abc', '0', '-5', '9223372036854775808', '99999999999999999999'];

describe('POST /api/users', () => {
  it('creates a user with defaults, lower-cases the e-mail, and the user can sign in', async () => {
    const body = newUserBody({ email: `${unique('MiXeD')}@HuiTong.Test` });
    const res = await admin.post('/api/users', body);
    expect(res.status).toBe(201);
    const created = res.body.data;
    expect(created).toEqual({
      id: expect.stringMatching(/^\d+$/),
      email: body.email.toLowerCase(),
      displayName: body.displayName,
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      mobile: null,
      role: 'member',
      active: true,
      departmentId: root.id,
      createdAt: expect.any(String),
    });
    expect(created).not.toHaveProperty('passwordHash');
    expect(await getUser(created.id)).toEqual(created);
    expect(await canLogin(body.email.toUpperCase(), PASSWORD)).toBe(true);
  });

  it('keeps the chosen locale, time zone, mobile number and role', async () => {
    const created = ok(await admin.post('/api/users', newUserBody({ locale: 'en', timeZone: 'Europe/Berlin', mobile: '+8613800138000', role: 'admin' })), 201);
    expect(created).toMatchObject({ locale: 'en', timeZone: 'Europe/Berlin', mobile: '+8613800138000', role: 'admin' });
  });

  it('refuses an e-mail address that exists in another case with 409', async () => {
    const first = ok(await admin.post('/api/users', newUserBody()), 201);
    const res = await admin.post('/api/users', newUserBody({ email: first.email.toUpperCase() }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect((await admin.post('/api/users', newUserBody({ email: ADMIN.email.toUpperCase() }))).status).toBe(409);
  });

  it('answers 409, never 500, when the same e-mail address is created twice at once', async () => {
    const email = `${unique('race')}@huitong.test`;
    const results = await Promise.all([0, 1, 2].map(() => admin.post('/api/users', newUserBody({ email }))));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.code).toBe('conflict');
    const listed = ok<{ items: any[] }>(await admin.get(`/api/users?q=${encodeURIComponent(email)}`)).items;
    expect(listed.length).toBe(1);
  });

  it.each([
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['timeZone', { timeZone: '' }],
    ['mobile', { mobile: '13800138000' }],
    ['mobile', { mobile: '+86 138 0013 8000' }],
    ['mobile', { mobile: '+0123456789' }],
    ['locale', { locale: 'fr' }],
    ['locale', { locale: 'zh-TW' }],
    ['email', { email: 'not-an-email' }],
    ['password', { password: 'short' }],
    ['displayName', { displayName: '   ' }],
    ['departmentId', { departmentId: 'abc' }],
    ['role', { role: 'superuser' }],
  ])('refuses a bad %s with 400 and details naming the field', async (field, fields) => {
    const body = newUserBody(fields);
    const res = await admin.post('/api/users', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(detailPaths(res)).toEqual([field]);
    expect(res.body.error.message).toContain(field);
    expect(await canLogin(body.email as string, body.password as string)).toBe(false);
  });

  it('refuses an unknown department with 400 naming departmentId', async () => {
    const body = newUserBody({ departmentId: '987654321' });
    const res = await admin.post('/api/users', body);
    expect(res.status).toBe(400);
    expect(detailPaths(res)).toEqual(['departmentId']);
    expect(await canLogin(body.email, PASSWORD)).toBe(false);
  });
});

describe('PATCH /api/users/:id', () => {
  it('edits name, e-mail, locale, time zone, mobile number and department', async () => {
    const { user } = await createUser(admin, root.id);
    const department = await createDepartment(admin, unique('Target'), root.id);
    const email = `${unique('Renamed')}@Huitong.test`;
    const res = await admin.patch(`/api/users/${user.id}`, { displayName: '新名字', email, locale: 'en', timeZone: 'America/New_York', mobile: '+14155550123', departmentId: department.id });
    expect(res.status).toBe(200);
    const expected = { ...user, displayName: '新名字', email: email.toLowerCase(), locale: 'en', timeZone: 'America/New_York', mobile: '+14155550123', departmentId: department.id };
    expect(res.body.data).toEqual(expected);
    expect(await getUser(user.id)).toEqual(expected);
    expect(ok(await admin.patch(`/api/users/${user.id}`, { mobile: null })).mobile).toBeNull();
    expect(await canLogin(email, PASSWORD)).toBe(true);
  });

  it('refuses another user’s e-mail address (any case) with 409, bad fields with 400, and changes nothing', async () => {
    const { user: a } = await createUser(admin, root.id);
    const { user: b } = await createUser(admin, root.id);
    const taken = await admin.patch(`/api/users/${a.id}`, { email: b.email.toUpperCase(), displayName: 'Should not stick' });
    expect(taken.status).toBe(409);
    for (const [field, value] of [['timeZone', 'Nowhere/City'], ['mobile', '12345'], ['locale', 'de']] as const) {
      const res = await admin.patch(`/api/users/${a.id}`, { [field]: value, displayName: 'Should not stick' });
      expect(res.status).toBe(400);
      expect(detailPaths(res)).toEqual([field]);
    }
    expect((await admin.patch(`/api/users/${a.id}`, { departmentId: '987654321' })).status).toBe(400);
    expect((await admin.patch(`/api/users/${a.id}`, {})).status).toBe(400);
    expect(await getUser(a.id)).toEqual(a);
    // Keeping one's own address (in another case) is not a conflict.
    expect(ok(await admin.patch(`/api/users/${a.id}`, { email: a.email.toUpperCase() })).email).toBe(a.email);
  });

  it('deactivation ends the sessions, refuses sign-in, hides the user; reactivation lets them back', async () => {
    const { user, api } = await createUser(admin, root.id);
    const deactivated = ok(await admin.patch(`/api/users/${user.id}`, { active: false }));
    expect(deactivated.active).toBe(false);
    expect((await api.get('/api/me')).status).toBe(401);
    expect(await canLogin(user.email, PASSWORD)).toBe(false);
    expect(ok<{ items: any[] }>(await admin.get('/api/users')).items.some((u) => u.id === user.id)).toBe(false);
    expect(ok<{ items: any[] }>(await admin.get('/api/users?includeInactive=true')).items.find((u) => u.id === user.id)).toMatchObject({ active: false });
    ok(await admin.patch(`/api/users/${user.id}`, { active: true }));
    expect(await canLogin(user.email, PASSWORD)).toBe(true);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await admin.patch('/api/users/987654321', { displayName: 'x' })).status).toBe(404);
    expect((await admin.get('/api/users/987654321')).status).toBe(404);
    for (const id of badIds) {
      for (const res of [await admin.get(`/api/users/${id}`), await admin.patch(`/api/users/${id}`, { displayName: 'x' }), await admin.post(`/api/users/${id}/password`, { password: 'long-enough-1' })]) {
        expect(res.status, `id ${id}`).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
    }
  });
});

describe('POST /api/users/:id/password', () => {
  it('sets a new password and revokes every session of the user', async () => {
    const { user, api } = await createUser(admin, root.id);
    const second = new ApiClient(server.url);
    await second.login(user.email, PASSWORD);
    const res = await admin.post(`/api/users/${user.id}/password`, { password: 'brand-new-secret' });
    expect(res.status).toBe(204);
    expect((await api.get('/api/me')).status).toBe(401);
    expect((await second.get('/api/me')).status).toBe(401);
    expect(await canLogin(user.email, PASSWORD)).toBe(false);
    expect(await canLogin(user.email, 'brand-new-secret')).toBe(true);
    // The administrator's own session is untouched.
    expect((await admin.get('/api/me')).status).toBe(200);
  });

  it('refuses a short password and changes nothing', async () => {
    const { user, api } = await createUser(admin, root.id);
    const res = await admin.post(`/api/users/${user.id}/password`, { password: 'short' });
    expect(res.status).toBe(400);
    expect(detailPaths(res)).toEqual(['password']);
    expect((await api.get('/api/me')).status).toBe(200);
    expect(await canLogin(user.email, PASSWORD)).toBe(true);
  });
});

describe('the last administrator', () => {
  it('cannot be deactivated or demoted while no other active administrator exists (409)', async () => {
    // A second administrator who is deactivated does not count.
    const dormant = ok(await admin.post('/api/users', newUserBody({ role: 'admin' })), 201);
    const others = ok<{ items: any[] }>(await admin.get('/api/users?includeInactive=true')).items.filter((u) => u.role === 'admin' && u.email !== ADMIN.email);
    for (const other of others) ok(await admin.patch(`/api/users/${other.id}`, { active: false }));
    const me = admin.me;

    const deactivate = await admin.patch(`/api/users/${me.id}`, { active: false });
    expect(deactivate.status).toBe(409);
    expect(deactivate.body.error.code).toBe('conflict');
    const demote = await admin.patch(`/api/users/${me.id}`, { role: 'member' });
    expect(demote.status).toBe(409);
    const both = await admin.patch(`/api/users/${me.id}`, { role: 'member', active: false, displayName: 'Not applied' });
    expect(both.status).toBe(409);
    expect(await getUser(me.id)).toMatchObject({ role: 'admin', active: true, displayName: me.displayName });
    expect((await admin.get('/api/me')).status).toBe(200);

    // With another active administrator, demotion is allowed; then the other one is the last.
    ok(await admin.patch(`/api/users/${dormant.id}`, { active: true }));
    const other = new ApiClient(server.url);
    await other.login(dormant.email, PASSWORD);
    expect(ok(await admin.patch(`/api/users/${me.id}`, { role: 'member' })).role).toBe('member');
    expect((await other.patch(`/api/users/${dormant.id}`, { role: 'member' })).status).toBe(409);
    expect((await other.patch(`/api/users/${dormant.id}`, { active: false })).status).toBe(409);
    ok(await other.patch(`/api/users/${me.id}`, { role: 'admin' }));
    expect((await admin.get(`/api/users/${me.id}`)).status).toBe(200);
  });
});

describe('the last administrator, under concurrency', () => {
  it('two administrators removing each other at once: one wins, the other is refused', async () => {
    for (let round = 0; round < 3; round++) {
      // Exactly two active administrators: the first one and a new one.
      const second = ok(await admin.post('/api/users', newUserBody({ role: 'admin' })), 201);
      const others = ok<{ items: any[] }>(await admin.get('/api/users?includeInactive=true')).items.filter((u) => u.role === 'admin' && u.active && u.id !== admin.me.id && u.id !== second.id);
      for (const other of others) ok(await admin.patch(`/api/users/${other.id}`, { active: false }));
      const secondApi = new ApiClient(server.url);
      await secondApi.login(second.email, PASSWORD);

      const [demoteSecond, deactivateFirst] = await Promise.all([
        admin.patch(`/api/users/${second.id}`, { role: 'member' }),
        secondApi.patch(`/api/users/${admin.me.id}`, { active: false }),
      ]);
      // The loser is refused as the last administrator (409) when both checks ran before either
      // commit, and as no longer an administrator (403) or signed out (401) when the winner's change
      // was already in place when its request was authorised.
      const statuses = [demoteSecond.status, deactivateFirst.status].sort();
      expect(statuses[0]).toBe(200);
      expect([401, 403, 409]).toContain(statuses[1]);

      // Put the first administrator back if the second one won.
      if (deactivateFirst.status === 200) {
        ok(await secondApi.patch(`/api/users/${admin.me.id}`, { active: true }));
        await admin.login(ADMIN.email, ADMIN.password);
      }
      const admins = ok<{ items: any[] }>(await admin.get('/api/users?includeInactive=true')).items.filter((u) => u.role === 'admin' && u.active);
      expect(admins.length).toBeGreaterThanOrEqual(1);
      expect(admins.map((u) => u.id)).toContain(admin.me.id);
      if (demoteSecond.status !== 200) ok(await admin.patch(`/api/users/${second.id}`, { active: false }));
    }
  });
});

describe('refused callers', () => {
  it('a member gets 403 from every administrator endpoint and nothing changes', async () => {
    const { user: victim, api: victimApi } = await createUser(admin, root.id);
    const { user: self, api: member } = await createUser(admin, root.id);
    const snapshot = ok<{ items: any[] }>(await admin.get('/api/users?includeInactive=true')).items;
    const body = newUserBody();

    const attempts = [
      await member.post('/api/users', body),
      await member.post('/api/users', { ...newUserBody(), role: 'admin' }),
      await member.get(`/api/users/${victim.id}`),
      await member.get(`/api/users/${self.id}`),
      await member.patch(`/api/users/${victim.id}`, { displayName: 'Hacked' }),
      await member.patch(`/api/users/${victim.id}`, { active: false }),
      await member.patch(`/api/users/${self.id}`, { role: 'admin' }),
      await member.patch(`/api/users/${admin.me.id}`, { role: 'member' }),
      await member.post(`/api/users/${victim.id}/password`, { password: 'taken-over-1' }),
      await member.post(`/api/users/${admin.me.id}/password`, { password: 'taken-over-1' }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }

    expect(ok<{ items: any[] }>(await admin.get('/api/users?includeInactive=true')).items).toEqual(snapshot);
    expect(await canLogin(body.email, PASSWORD)).toBe(false);
    expect((await victimApi.get('/api/me')).status).toBe(200);
    expect(await canLogin(victim.email, PASSWORD)).toBe(true);
    expect(await canLogin(ADMIN.email, ADMIN.password)).toBe(true);
    expect(ok(await member.get('/api/me')).role).toBe('member');
  });

  it('an unauthenticated caller gets 401 from every endpoint', async () => {
    const { user } = await createUser(admin, root.id);
    const anonymous = server.client();
    const attempts = [
      await anonymous.get('/api/users'),
      await anonymous.post('/api/users', newUserBody()),
      await anonymous.get(`/api/users/${user.id}`),
      await anonymous.patch(`/api/users/${user.id}`, { displayName: 'x' }),
      await anonymous.post(`/api/users/${user.id}/password`, { password: 'long-enough-1' }),
      await anonymous.get('/api/me'),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    expect(await getUser(user.id)).toEqual(user);
  });
});

describe('GET /api/users (the directory)', () => {
  it('shows a member active users only, without administrator-only fields', async () => {
    const department = await createDepartment(admin, unique('Directory'), root.id);
    const { user: visible } = await createUser(admin, department.id, { mobile: '+8613900139000' });
    const { user: gone } = await createUser(admin, department.id);
    ok(await admin.patch(`/api/users/${gone.id}`, { active: false }));
    const { api: member } = await createUser(admin, root.id);

    for (const path of ['/api/users', '/api/users?includeInactive=true', `/api/users?departmentId=${department.id}`, `/api/users?departmentId=${department.id}&includeInactive=true`]) {
      const listed = ok<{ items: any[] }>(await member.get(path)).items;
      expect(listed.some((u) => u.id === gone.id), path).toBe(false);
      for (const entry of listed) expect(Object.keys(entry).sort()).toEqual(['departmentId', 'displayName', 'email', 'id']);
    }
    const inDepartment = ok<{ items: any[] }>(await member.get(`/api/users?departmentId=${department.id}`)).items;
    expect(inDepartment).toEqual([{ id: visible.id, displayName: visible.displayName, email: visible.email, departmentId: department.id }]);
    const byName = ok<{ items: any[] }>(await member.get(`/api/users?q=${encodeURIComponent(visible.displayName.toUpperCase())}`)).items;
    expect(byName.map((u) => u.id)).toEqual([visible.id]);
    // LIKE wildcards in the query are taken literally.
    expect(ok<{ items: any[] }>(await member.get('/api/users?q=%25%25%25_')).items).toEqual([]);

    // Administrators see everything, including deactivated accounts when asked.
    const forAdmin = ok<{ items: any[] }>(await admin.get(`/api/users?departmentId=${department.id}&includeInactive=true`)).items;
    expect(forAdmin.map((u) => u.id).sort()).toEqual([visible.id, gone.id].sort());
    expect(forAdmin.find((u) => u.id === visible.id)).toMatchObject({ mobile: '+8613900139000', role: 'member', active: true });
  });

  it('validates the query string', async () => {
    const res = await admin.get('/api/users?limit=0');
    expect(res.status).toBe(400);
    expect(detailPaths(res)).toEqual(['limit']);
    expect((await admin.get('/api/users?departmentId=abc')).status).toBe(400);
    expect(ok<{ items: any[] }>(await admin.get('/api/users?limit=1')).items.length).toBe(1);
  });
});
