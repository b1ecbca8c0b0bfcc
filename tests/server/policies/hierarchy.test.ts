import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ApiClient, ok, unique } from '../../support/api.js';
import { createDepartment, createUser, PASSWORD } from '../../support/factories.js';
import { isSuperiorOf } from '../../../server/policies/hierarchy.js';

/**
 * The organisation used by every test (a tree of its own, beside the admin's head office):
 *
 *   Company            managers: ceo                 members: ceo
 *   ├─ Sales           managers: salesHead           members: salesHead, coLead
 *   │  ├─ East         managers: eastLead, coLead    members: eastLead, e1, e2
 *   │  └─ South        managers: southLead           members: southLead, s1
 *   └─ Service         managers: serviceHead         members: serviceHead, sv1
 *      └─ AfterSales   managers: asLead              members: asLead, as1
 */
let server: TestServer;
let admin: ApiClient;
const dept: Record<string, any> = {};
const people: Record<string, { user: any; api: ApiClient }> = {};

const id = (name: string) => people[name].user.id as string;
const ids = (...names: string[]) => names.map(id).sort();

beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: 'error', LOGIN_ATTEMPTS_PER_ADDRESS: '10000' });
  admin = await server.admin();
  dept.company = await createDepartment(admin, unique('Company'), null);
  dept.sales = await createDepartment(admin, unique('Sales'), dept.company.id);
  dept.service = await createDepartment(admin, unique('Service'), dept.company.id);
  dept.east = await createDepartment(admin, unique('East'), dept.sales.id);
  dept.south = await createDepartment(admin, unique('South'), dept.sales.id);
  dept.afterSales = await createDepartment(admin, unique('AfterSales'), dept.service.id);
  const membership: Record<string, string> = {
    ceo: 'company',
    salesHead: 'sales',
    coLead: 'sales',
    eastLead: 'east',
    e1: 'east',
    e2: 'east',
    southLead: 'south',
    s1: 'south',
    serviceHead: 'service',
    sv1: 'service',
    asLead: 'afterSales',
    as1: 'afterSales',
  };
  for (const [name, department] of Object.entries(membership)) {
    people[name] = await createUser(admin, dept[department].id, { displayName: `${name} ${unique('')}` });
  }
  const managers: Record<string, string[]> = {
    company: ['ceo'],
    sales: ['salesHead'],
    east: ['eastLead', 'coLead'],
    south: ['southLead'],
    service: ['serviceHead'],
    afterSales: ['asLead'],
  };
  for (const [department, names] of Object.entries(managers)) ok(await admin.patch(`/api/departments/${dept[department].id}`, { managerIds: names.map(id) }));
});
afterAll(() => server?.close());

const superiorsOf = async (name: string) => ok(await people[name].api.get('/api/me')).superiors.map((s: any) => s.id).sort();
const subordinatesOf = async (name: string) => ok<any[]>(await people[name].api.get('/api/me/subordinates')).map((s) => s.id).sort();
const managesAnyone = async (name: string) => ok(await people[name].api.get('/api/me')).managesAnyone as boolean;

describe('superiors (GET /api/me)', () => {
  it('are the managers of the user’s department and of every ancestor', async () => {
    expect(await superiorsOf('e1')).toEqual(ids('eastLead', 'coLead', 'salesHead', 'ceo'));
    expect(await superiorsOf('s1')).toEqual(ids('southLead', 'salesHead', 'ceo'));
    expect(await superiorsOf('as1')).toEqual(ids('asLead', 'serviceHead', 'ceo'));
    expect(await superiorsOf('sv1')).toEqual(ids('serviceHead', 'ceo'));
  });

  it('never include the user themselves', async () => {
    expect(await superiorsOf('eastLead')).toEqual(ids('coLead', 'salesHead', 'ceo'));
    expect(await superiorsOf('salesHead')).toEqual(ids('ceo'));
    expect(await superiorsOf('ceo')).toEqual([]);
    // coLead works in Sales and manages East: their superiors come from Sales upwards only.
    expect(await superiorsOf('coLead')).toEqual(ids('salesHead', 'ceo'));
  });

  it('come as id, name and e-mail, each once', async () => {
    const me = ok(await people.e1.api.get('/api/me'));
    expect(me.department).toEqual({ id: dept.east.id, name: dept.east.name });
    const ceo = people.ceo.user;
    expect(me.superiors).toContainEqual({ id: ceo.id, displayName: ceo.displayName, email: ceo.email });
    expect(new Set(me.superiors.map((s: any) => s.id)).size).toBe(me.superiors.length);
  });
});

describe('subordinates (GET /api/me/subordinates)', () => {
  it('are everyone in the subtree a manager manages', async () => {
    const everyoneButCeo = Object.keys(people).filter((n) => n !== 'ceo');
    expect(await subordinatesOf('ceo')).toEqual(ids(...everyoneButCeo));
    expect(await subordinatesOf('salesHead')).toEqual(ids('coLead', 'eastLead', 'e1', 'e2', 'southLead', 's1'));
    expect(await subordinatesOf('serviceHead')).toEqual(ids('sv1', 'asLead', 'as1'));
    expect(await subordinatesOf('eastLead')).toEqual(ids('e1', 'e2'));
    expect(await subordinatesOf('coLead')).toEqual(ids('eastLead', 'e1', 'e2'));
  });

  it('a manager of a sibling subtree sees nothing beyond it', async () => {
    expect(await subordinatesOf('southLead')).toEqual(ids('s1'));
    expect(await subordinatesOf('asLead')).toEqual(ids('as1'));
    for (const outsider of ['e1', 'eastLead', 'salesHead', 'sv1']) expect(await subordinatesOf('southLead')).not.toContain(id(outsider));
  });

  it('a member who manages nobody has none, and managesAnyone says so', async () => {
    for (const name of ['e1', 'e2', 's1', 'sv1', 'as1']) {
      expect(await subordinatesOf(name)).toEqual([]);
      expect(await managesAnyone(name)).toBe(false);
    }
    for (const name of ['ceo', 'salesHead', 'eastLead', 'coLead', 'southLead', 'serviceHead', 'asLead']) expect(await managesAnyone(name)).toBe(true);
  });

  it('agree with isSuperiorOf', async () => {
    const em = server.orm.em.fork();
    expect(await isSuperiorOf(em, id('ceo'), id('as1'))).toBe(true);
    expect(await isSuperiorOf(em, id('coLead'), id('e1'))).toBe(true);
    expect(await isSuperiorOf(em, id('southLead'), id('e1'))).toBe(false);
    expect(await isSuperiorOf(em, id('e1'), id('eastLead'))).toBe(false);
    expect(await isSuperiorOf(em, id('eastLead'), id('eastLead'))).toBe(false);
  });
});

describe('changes to the tree', () => {
  it('moving a department changes superiors and subordinates at once', async () => {
    ok(await admin.patch(`/api/departments/${dept.south.id}`, { parentId: dept.service.id }));
    try {
      expect(await superiorsOf('s1')).toEqual(ids('southLead', 'serviceHead', 'ceo'));
      expect(await subordinatesOf('salesHead')).toEqual(ids('coLead', 'eastLead', 'e1', 'e2'));
      expect(await subordinatesOf('serviceHead')).toEqual(ids('sv1', 'asLead', 'as1', 'southLead', 's1'));
    } finally {
      ok(await admin.patch(`/api/departments/${dept.south.id}`, { parentId: dept.sales.id }));
    }
    expect(await superiorsOf('s1')).toEqual(ids('southLead', 'salesHead', 'ceo'));
  });

  it('moving a user into another department changes their superiors', async () => {
    const { user, api } = await createUser(admin, dept.east.id);
    const superiors = async () => ok(await api.get('/api/me')).superiors.map((s: any) => s.id).sort();
    expect(await superiors()).toEqual(ids('eastLead', 'coLead', 'salesHead', 'ceo'));
    ok(await admin.patch(`/api/users/${user.id}`, { departmentId: dept.afterSales.id }));
    expect(await superiors()).toEqual(ids('asLead', 'serviceHead', 'ceo'));
    expect(await subordinatesOf('eastLead')).not.toContain(user.id);
    expect(await subordinatesOf('asLead')).toContain(user.id);
  });

  it('a deactivated manager is no longer anyone’s superior, and a deactivated member nobody’s subordinate', async () => {
    const department = await createDepartment(admin, unique('Temp'), dept.afterSales.id);
    const boss = await createUser(admin, department.id);
    const worker = await createUser(admin, department.id);
    ok(await admin.patch(`/api/departments/${department.id}`, { managerIds: [boss.user.id] }));
    expect(ok(await worker.api.get('/api/me')).superiors.map((s: any) => s.id)).toContain(boss.user.id);
    ok(await admin.patch(`/api/users/${worker.user.id}`, { active: false }));
    expect(ok<any[]>(await boss.api.get('/api/me/subordinates')).map((s) => s.id)).not.toContain(worker.user.id);
    expect(await subordinatesOf('asLead')).not.toContain(worker.user.id);
    ok(await admin.patch(`/api/users/${worker.user.id}`, { active: true }));
    await worker.api.login(worker.user.email, PASSWORD);
    ok(await admin.patch(`/api/users/${boss.user.id}`, { active: false }));
    expect(ok(await worker.api.get('/api/me')).superiors.map((s: any) => s.id)).not.toContain(boss.user.id);
  });

  it('removing a manager removes them from the superiors', async () => {
    ok(await admin.patch(`/api/departments/${dept.east.id}`, { managerIds: [id('eastLead')] }));
    try {
      expect(await superiorsOf('e1')).toEqual(ids('eastLead', 'salesHead', 'ceo'));
      expect(await subordinatesOf('coLead')).toEqual([]);
      expect(await managesAnyone('coLead')).toBe(false);
    } finally {
      ok(await admin.patch(`/api/departments/${dept.east.id}`, { managerIds: [id('eastLead'), id('coLead')] }));
    }
  });

  it('requires a session', async () => {
    expect((await server.client().get('/api/me/subordinates')).status).toBe(401);
    expect((await server.client().get('/api/me')).status).toBe(401);
  });
});
