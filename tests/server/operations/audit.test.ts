/**
 * The audit log: every audited action writes its entry (actor, address, object, what changed), the
 * administrators read and export it with filters, everyone else gets 404, no route changes an
 * entry, the table itself refuses changes, and retention removes only what is past its period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestServer, type TestServer, ADMIN } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { createDepartment, createUser, PASSWORD, rootDepartment } from '../../support/factories.js';
import { createBoard, startThread } from '../../support/boards.js';
import { publish } from '../../support/announcements.js';
import { textBody } from '../../support/chat.js';
import { connectSocket } from '../../support/sockets.js';

let server: TestServer;
let admin: ApiClient;

async function sql<T extends pg.QueryResultRow = any>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** The newest entries of one action, through the administrators' API. */
async function entries(action: string, extra = '') {
  return ok(await admin.get(`/api/admin/audit?action=${action}${extra}`)).items as any[];
}

beforeAll(async () => {
  // Behind a trusted reverse proxy: addresses come from X-Forwarded-For, on HTTP and sockets alike.
  server = await startTestServer({ BACKUP_DIR: `/tmp/huitong-audit-test-${process.pid}`, TRUST_PROXY: 'true' });
  admin = await server.admin();
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('the audit log', () => {
  it('records sign-ins, failures, passwords, sessions, accounts, departments, settings, visibility, boards, announcements, exports, backups and author look-ups', async () => {
    const root = await rootDepartment(admin);
    const signedIn = await entries('auth.signed_in');
    expect(signedIn[0]).toMatchObject({ actor: { email: ADMIN.email }, targetType: 'session', address: expect.stringMatching(/127\.0\.0\.1/) });

    const wrong = await new ApiClient(server.url).post('/api/auth/login', { email: ADMIN.email, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect((await entries('auth.sign_in_failed'))[0]).toMatchObject({ actor: null, targetType: 'user', data: { email: ADMIN.email, reason: 'wrong_password' } });

    const sales = await createDepartment(admin, '销售部', root.id);
    const { user: wang, api: wangApi } = await createUser(admin, sales.id);
    expect((await entries('user.created'))[0]).toMatchObject({ targetId: wang.id, data: { email: wang.email, role: 'member' } });
    ok(await admin.patch(`/api/users/${wang.id}`, { role: 'admin', departmentId: root.id }));
    expect((await entries('user.changed', `&targetId=${wang.id}`))[0].data).toEqual({ role: ['member', 'admin'], departmentId: [sales.id, root.id] });
    ok(await admin.patch(`/api/departments/${sales.id}`, { managerIds: [wang.id] }));
    expect((await entries('department.changed'))[0]).toMatchObject({ targetId: sales.id, data: { managerIds: [[], [wang.id]] } });

    ok(await wangApi.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'Quiet-orchard-lantern-77' }));
    expect((await entries('auth.password_changed'))[0]).toMatchObject({ actor: { id: wang.id }, targetId: wang.id });
    ok(await admin.post(`/api/users/${wang.id}/password`, { password: 'Copper-meadow-whistle-58' }), 204);
    expect((await entries('user.password_reset'))[0]).toMatchObject({ actor: { email: ADMIN.email }, targetId: wang.id });
    const wangAgain = new ApiClient(server.url);
    await wangAgain.login(wang.email, 'Copper-meadow-whistle-58');
    expect((await wangAgain.post('/api/auth/logout')).status).toBe(204);
    expect((await entries('auth.signed_out'))[0]).toMatchObject({ actor: { id: wang.id }, targetType: 'session' });
    ok(await admin.patch(`/api/users/${wang.id}`, { active: false }));
    expect((await entries('user.changed', `&targetId=${wang.id}`))[0].data).toEqual({ active: [true, false] });
    ok(await admin.patch(`/api/users/${wang.id}`, { active: true }));

    ok(await admin.patch('/api/settings', { customerVisibility: 'owners' }));
    expect((await entries('settings.changed'))[0].data).toMatchObject({ customerVisibility: ['everyone', 'owners'] });
    const { user: li, api: liApi } = await createUser(admin, sales.id);
    const customer = ok(await liApi.post('/api/customers', { name: '华夏贸易', type: 'end_customer', tier: 'gold' }), 201);
    ok(await admin.patch(`/api/customers/${customer.id}`, { ownerIds: [wang.id] }));
    expect((await entries('customer.visibility_changed'))[0]).toMatchObject({ targetId: customer.id, data: { ownerIds: [[li.id], [wang.id]] } });

    const board = await createBoard(admin, { openness: 'open', allowAnonymous: true });
    expect((await entries('board.created'))[0]).toMatchObject({ targetId: board.id, data: { openness: 'open', allowAnonymous: true } });
    ok(await admin.patch(`/api/boards/${board.id}`, { openness: 'closed', members: { userIds: [li.id], departmentIds: [] } }));
    expect((await entries('board.settings_changed'))[0]).toMatchObject({ targetId: board.id, data: { openness: 'closed' } });
    const thread = await startThread(liApi, board.id, '匿名建议', textBody('建议'), { anonymous: true });
    ok(await admin.post(`/api/boards/threads/${thread.id}/author-lookup`));
    expect((await entries('board.author_lookup'))[0]).toMatchObject({ actor: { email: ADMIN.email }, targetType: 'board_thread', targetId: thread.id, data: { authorId: li.id } });

    await publish(admin, '年终通知', { departmentIds: [sales.id] });
    expect((await entries('announcement.published'))[0].data.scope).toMatchObject({ departmentIds: [sales.id] });

    const csv = await fetch(`${server.url}/api/customers/export`, { headers: { authorization: `Bearer ${liApi.token}` } });
    expect(csv.status).toBe(200);
    await csv.arrayBuffer();
    expect((await entries('export.csv'))[0]).toMatchObject({ actor: { id: li.id }, data: { export: 'customers' } });

    const started = ok(await admin.post('/api/admin/backups'), 202);
    expect((await entries('backup.created'))[0]).toMatchObject({ targetId: started.id, data: { kind: 'manual' } });
    const done = await (async () => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const item = ok(await admin.get('/api/admin/backups')).items.find((b: any) => b.id === started.id);
        if (item.status !== 'running' || Date.now() > deadline) return item;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    expect(done.status).toBe('succeeded');
    const download = await fetch(`${server.url}/api/admin/backups/${started.id}/download`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(download.status).toBe(200);
    await download.arrayBuffer();
    expect((await entries('backup.downloaded'))[0]).toMatchObject({ targetId: started.id, actor: { email: ADMIN.email } });

    // Filters combine; the CSV export is the same selection, through the one CSV writer.
    const byLi = ok(await admin.get(`/api/admin/audit?actorId=${li.id}`)).items as any[];
    expect(byLi.length).toBeGreaterThan(0);
    expect(byLi.every((e) => e.actor?.id === li.id)).toBe(true);
    const exported = await fetch(`${server.url}/api/admin/audit/export?actorId=${li.id}`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(exported.headers.get('content-type')).toMatch(/text\/csv/);
    const text = Buffer.from(await exported.arrayBuffer()).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.trim().split('\r\n')).toHaveLength(byLi.length + 1);
    expect((await entries('audit.exported'))[0].data.filters).toMatchObject({ actorId: li.id });
    const bad = await admin.get('/api/admin/audit?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('from');

    // To anyone but an administrator the log and the backups do not exist.
    for (const path of ['/api/admin/audit', '/api/admin/audit/export', '/api/admin/backups', '/api/admin/backups/status', `/api/admin/backups/${started.id}/download`]) {
      expect((await liApi.get(path)).status, path).toBe(404);
    }
    expect((await liApi.post('/api/admin/backups')).status).toBe(404);
    expect((await new ApiClient(server.url).get('/api/admin/audit')).status).toBe(401);
  }, 90_000);

  it('takes the client address from X-Forwarded-For behind the trusted proxy, for socket handshakes as for HTTP', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.9, 10.0.0.2' };
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...forwarded }, body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }) });
    expect(login.status).toBe(200);
    const { token } = ((await login.json()) as { data: { token: string } }).data;
    expect((await entries('auth.signed_in'))[0].address).toBe('203.0.113.9');
    // What a socket's commands record in the audit log (the runner's origin) is the handshake's address by the same rule.
    const proxied = await connectSocket(server.url, { token, headers: forwarded });
    const direct = await connectSocket(server.url, { token });
    try {
      const addresses = new Map((await server.io.fetchSockets()).map((s) => [s.id, s.data.address]));
      expect(addresses.get(proxied.id!)).toBe('203.0.113.9');
      expect(addresses.get(direct.id!)).toMatch(/127\.0\.0\.1/);
    } finally {
      proxied.close();
      direct.close();
    }
  });

  it('no route changes an entry, the table refuses it, and retention removes only entries past their period', async () => {
    const [entry] = await sql<{ id: string }>(`SELECT id::text AS id FROM audit_log ORDER BY id LIMIT 1`);
    const count = async () => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`))[0]!.n;
    const before = await count();
    for (const [method, path] of [['PATCH', `/api/admin/audit/${entry!.id}`], ['PUT', `/api/admin/audit/${entry!.id}`], ['DELETE', `/api/admin/audit/${entry!.id}`], ['DELETE', '/api/admin/audit'], ['POST', '/api/admin/audit']] as const) {
      const res = await admin.request(method, path, method === 'DELETE' ? undefined : { action: 'x' });
      expect([404, 405], `${method} ${path}`).toContain(res.status);
    }
    expect(await count()).toBe(before);
    await expect(sql(`UPDATE audit_log SET action = 'x' WHERE id = $1`, [entry!.id])).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM audit_log WHERE id = $1`, [entry!.id])).rejects.toThrow(/append-only/);

    await sql(`INSERT INTO audit_log (action, data, created_at) VALUES ('auth.signed_in', '{}', now() - interval '400 days'), ('auth.signed_in', '{}', now() - interval '300 days')`);
    expect(await server.jobs.operations.auditRetention()).toBe(1);
    expect((await sql(`SELECT 1 FROM audit_log WHERE created_at < now() - interval '365 days'`)).length).toBe(0);
    expect((await sql(`SELECT 1 FROM audit_log WHERE created_at < now() - interval '299 days'`)).length).toBe(1);
  });
});
