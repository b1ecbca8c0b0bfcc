import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok, unique } from '../../support/api.js';
import { createDepartment, createUser, rootDepartment } from '../../support/factories.js';

let server: TestServer;
let admin: ApiClient;
let root: any;

beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: 'error' });
  admin = await server.admin();
  root = await rootDepartment(admin);
});
afterAll(() => server?.close());

const listDepartments = async () => ok<any[]>(await admin.get('/api/departments'));
const findDepartment = async (id: string) => (await listDepartments()).find((d) => d.id === id);

/** Ids that cannot name a department: not numbers, zero, beyond bigint, too long. */
const badIds = ['abc', '0', '-1', '1.5', '9223372036854775808', '9999999999999999999', '99999999999999999999'];

describe('POST /api/departments', () => {
  it('creates a department under a parent and lists it', async () => {
    const name = unique('销售部');
    const res = await admin.post('/api/departments', { name, parentId: root.id });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({ id: expect.stringMatching(/^\d+$/), name, parentId: root.id, managers: [], memberCount: 0 });
    expect(await findDepartment(res.body.data.id)).toEqual(res.body.data);
  });

  it('creates a department with managers', async () => {
    const { user } = await createUser(admin, root.id);
    const department = ok(await admin.post('/api/departments', { name: unique('Dept'), parentId: root.id, managerIds: [user.id] }), 201);
    expect(department.managers).toEqual([{ id: user.id, displayName: user.displayName, email: user.email }]);
  });

  it('refuses an unknown parent with 400 naming parentId, and creates nothing', async () => {
    const before = (await listDepartments()).length;
    const res = await admin.post('/api/departments', { name: unique('Orphan'), parentId: '987654321' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.details.map((d: any) => d.path)).toContain('parentId');
    expect((await listDepartments()).length).toBe(before);
  });

  it('validates the body: a name is required, ids must be ids', async () => {
    const noName = await admin.post('/api/departments', { name: '   ', parentId: root.id });
    expect(noName.status).toBe(400);
    expect(noName.body.error.code).toBe('validation_failed');
    expect(noName.body.error.details.map((d: any) => d.path)).toContain('name');
    const badParent = await admin.post('/api/departments', { name: 'x', parentId: 'abc' });
    expect(badParent.status).toBe(400);
    expect(badParent.body.error.details.map((d: any) => d.path)).toContain('parentId');
    const hugeParent = await admin.post('/api/departments', { name: 'x', parentId: '9999999999999999999' });
    expect(hugeParent.status).toBe(400);
    const unknownManager = await admin.post('/api/departments', { name: unique('M'), parentId: root.id, managerIds: ['987654321'] });
    expect(unknownManager.status).toBe(400);
    expect(unknownManager.body.error.details.map((d: any) => d.path)).toContain('managerIds');
  });
});

describe('PATCH /api/departments/:id', () => {
  it('renames a department', async () => {
    const department = await createDepartment(admin, unique('Old'), root.id);
    const name = unique('New');
    const res = await admin.patch(`/api/departments/${department.id}`, { name });
    expect(res.status).toBe(200);
    expect(res.body.data.name).toBe(name);
    expect((await findDepartment(department.id)).name).toBe(name);
  });

  it('moves a department to another parent, and to the top level', async () => {
    const a = await createDepartment(admin, unique('A'), root.id);
    const b = await createDepartment(admin, unique('B'), root.id);
    expect(ok(await admin.patch(`/api/departments/${b.id}`, { parentId: a.id })).parentId).toBe(a.id);
    expect((await findDepartment(b.id)).parentId).toBe(a.id);
    expect(ok(await admin.patch(`/api/departments/${b.id}`, { parentId: null })).parentId).toBeNull();
    expect((await findDepartment(b.id)).parentId).toBeNull();
  });

  it('refuses to move a department under itself or one of its descendants (409), and changes nothing', async () => {
    const top = await createDepartment(admin, unique('Top'), root.id);
    const middle = await createDepartment(admin, unique('Middle'), top.id);
    const bottom = await createDepartment(admin, unique('Bottom'), middle.id);
    for (const target of [top.id, middle.id, bottom.id]) {
      const res = await admin.patch(`/api/departments/${top.id}`, { parentId: target, name: 'Renamed in the same request' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
    const after = await findDepartment(top.id);
    expect(after.parentId).toBe(root.id);
    expect(after.name).toBe(top.name);
    // The root of the organisation cannot move under its own sub-department either.
    expect((await admin.patch(`/api/departments/${root.id}`, { parentId: bottom.id })).status).toBe(409);
    expect((await findDepartment(root.id)).parentId).toBeNull();
  });

  it('two crossing moves at once never make a cycle: one wins, the other gets 409', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await createDepartment(admin, unique('A'), root.id);
      const b = await createDepartment(admin, unique('B'), root.id);
      const results = await Promise.all([admin.patch(`/api/departments/${a.id}`, { parentId: b.id }), admin.patch(`/api/departments/${b.id}`, { parentId: a.id })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    }
    // Walking up from any department ends at a root.
    const all = await listDepartments();
    const byId = new Map(all.map((d) => [d.id, d]));
    for (const start of all) {
      const seen = new Set<string>();
      for (let d = start; d.parentId !== null; d = byId.get(d.parentId)!) {
        expect(seen.has(d.id), `cycle through ${d.name}`).toBe(false);
        seen.add(d.id);
      }
    }
  });

  it('refuses an unknown parent with 400 naming parentId', async () => {
    const department = await createDepartment(admin, unique('D'), root.id);
    const res = await admin.patch(`/api/departments/${department.id}`, { parentId: '987654321' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.path)).toContain('parentId');
    expect((await findDepartment(department.id)).parentId).toBe(root.id);
  });

  it('sets, replaces and clears the managers', async () => {
    const department = await createDepartment(admin, unique('Managed'), root.id);
    const { user: one } = await createUser(admin, department.id);
    const { user: two } = await createUser(admin, department.id);
    const both = ok(await admin.patch(`/api/departments/${department.id}`, { managerIds: [one.id, two.id, one.id] }));
    expect(both.managers.map((m: any) => m.id).sort()).toEqual([one.id, two.id].sort());
    expect(both.memberCount).toBe(2);
    const onlyTwo = ok(await admin.patch(`/api/departments/${department.id}`, { managerIds: [two.id] }));
    expect(onlyTwo.managers.map((m: any) => m.id)).toEqual([two.id]);
    expect(ok(await admin.patch(`/api/departments/${department.id}`, { managerIds: [] })).managers).toEqual([]);
    const unknown = await admin.patch(`/api/departments/${department.id}`, { managerIds: [one.id, '987654321'] });
    expect(unknown.status).toBe(400);
    expect((await findDepartment(department.id)).managers).toEqual([]);
  });

  it('refuses an empty change with 400', async () => {
    const department = await createDepartment(admin, unique('D'), root.id);
    const res = await admin.patch(`/api/departments/${department.id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await admin.patch('/api/departments/987654321', { name: 'x' })).status).toBe(404);
    for (const id of badIds) {
      const res = await admin.patch(`/api/departments/${id}`, { name: 'x' });
      expect(res.status, `PATCH /api/departments/${id}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});

describe('DELETE /api/departments/:id', () => {
  it('deletes an empty department', async () => {
    const department = await createDepartment(admin, unique('Empty'), root.id);
    expect((await admin.delete(`/api/departments/${department.id}`)).status).toBe(204);
    expect(await findDepartment(department.id)).toBeUndefined();
    expect((await admin.delete(`/api/departments/${department.id}`)).status).toBe(404);
  });

  it('deletes a department whose managers work elsewhere', async () => {
    const { user } = await createUser(admin, root.id);
    const department = await createDepartment(admin, unique('OnlyManaged'), root.id, [user.id]);
    expect((await admin.delete(`/api/departments/${department.id}`)).status).toBe(204);
    expect(await findDepartment(department.id)).toBeUndefined();
  });

  it('refuses to delete a department with members (409), even deactivated ones', async () => {
    const department = await createDepartment(admin, unique('Staffed'), root.id);
    const { user } = await createUser(admin, department.id);
    const res = await admin.delete(`/api/departments/${department.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    ok(await admin.patch(`/api/users/${user.id}`, { active: false }));
    expect((await admin.delete(`/api/departments/${department.id}`)).status).toBe(409);
    expect(await findDepartment(department.id)).toBeDefined();
  });

  it('refuses to delete a department with sub-departments (409)', async () => {
    const parent = await createDepartment(admin, unique('Parent'), root.id);
    const child = await createDepartment(admin, unique('Child'), parent.id);
    const res = await admin.delete(`/api/departments/${parent.id}`);
    expect(res.status).toBe(409);
    expect(await findDepartment(parent.id)).toBeDefined();
    expect((await admin.delete(`/api/departments/${child.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/departments/${parent.id}`)).status).toBe(204);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await admin.delete('/api/departments/987654321')).status).toBe(404);
    for (const id of badIds) expect((await admin.delete(`/api/departments/${id}`)).status, `DELETE /api/departments/${id}`).toBe(404);
  });
});

describe('refused callers', () => {
  it('a member may read the tree but gets 403 from every change, and nothing changes', async () => {
    const department = await createDepartment(admin, unique('Guarded'), root.id);
    const { user, api: member } = await createUser(admin, department.id);
    const before = await listDepartments();

    expect(ok<any[]>(await member.get('/api/departments'))).toEqual(before);
    const attempts = [
      await member.post('/api/departments', { name: unique('Sneaky'), parentId: root.id }),
      await member.patch(`/api/departments/${department.id}`, { name: 'Renamed by a member' }),
      await member.patch(`/api/departments/${department.id}`, { managerIds: [user.id] }),
      await member.patch(`/api/departments/${department.id}`, { parentId: null }),
      await member.delete(`/api/departments/${department.id}`),
      await member.delete(`/api/departments/${(await createDepartment(admin, unique('Empty'), root.id)).id}`),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const after = await listDepartments();
    expect(after.filter((d) => before.some((b) => b.id === d.id))).toEqual(before);
    expect(after.length).toBe(before.length + 1); // only the admin's "Empty" one
    expect(after.some((d) => d.name.startsWith('Sneaky'))).toBe(false);
  });

  it('an unauthenticated caller gets 401 everywhere', async () => {
    const anonymous = server.client();
    const department = await createDepartment(admin, unique('D'), root.id);
    const attempts = [
      await anonymous.get('/api/departments'),
      await anonymous.post('/api/departments', { name: 'x', parentId: root.id }),
      await anonymous.patch(`/api/departments/${department.id}`, { name: 'x' }),
      await anonymous.delete(`/api/departments/${department.id}`),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    }
    const badToken = new ApiClient(server.url);
    badToken.token = 'not-a-real-token';
    expect((await badToken.get('/api/departments')).status).toBe(401);
    expect(await findDepartment(department.id)).toEqual(department);
  });
});
