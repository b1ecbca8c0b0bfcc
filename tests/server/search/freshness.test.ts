import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ok } from '../../support/api.js';
import { sendText, textBody } from '../../support/chat.js';
import { createTestDatabase } from '../../support/database.js';
import { buildOrg } from '../../support/org.js';
import { startServerProcess, type RunningServerProcess } from '../../support/process.js';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';

/*
 * Two server processes on one database: `one` runs in this test process with its indexer stopped,
 * `two` is the real server (server/main.ts) in a process of its own. A change written through
 * `one` is queued by the triggers, heard by `two`'s indexer and found through `one` within a second.
 */
let one: TestServer;
let two: RunningServerProcess;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  one = await startTestServer({}, { databaseUrl });
  await one.searchIndexer.stop();
  two = await startServerProcess({ DATABASE_URL: databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
}, 90_000);
afterAll(async () => {
  await two?.stop('SIGTERM');
  await one?.close();
});

/** How long until `api` on `one` finds `count` results of `kind` (fails after the deadline). */
async function foundWithin(api: ApiClient, q: string, kind: string, count: number): Promise<number> {
  const started = performance.now();
  await waitFor(
    async () => {
      const r = ok(await api.get(`/api/search?${new URLSearchParams({ q, kind })}`));
      return (r.groups[0]?.count ?? 0) === count;
    },
    { timeoutMs: 5_000, intervalMs: 20, what: `${count} ${kind} for ${q}` },
  );
  return performance.now() - started;
}

describe('search index freshness across server processes', () => {
  it('finds a change made in one process within a second, indexed by the other: create, edit, delete, and a removal from the conversation', async () => {
    const admin = await one.admin();
    const org = await buildOrg(admin);
    const { a, b } = org;
    const room = ok(await a.api.post('/api/conversations', { name: 'Fresh', memberIds: [b.user.id] }), 201);
    const timings: number[] = [];

    const message = await sendText(a.api, room.id, '新鲜的报价单 QX-771');
    timings.push(await foundWithin(b.api, '报价单', 'message', 1));
    ok(await a.api.patch(`/api/conversations/${room.id}/messages/${message.id}`, { body: textBody('改成合同草案 QX-772') }));
    timings.push(await foundWithin(b.api, 'QX-772', 'message', 1));
    expect(await foundWithin(b.api, '报价单', 'message', 0)).toBeLessThan(1000);
    ok(await a.api.post('/api/customers', { name: '即时客户', type: 'channel' }), 201);
    timings.push(await foundWithin(b.api, 'jskh', 'customer', 1));
    ok(await a.api.delete(`/api/conversations/${room.id}/messages/${message.id}`));
    timings.push(await foundWithin(a.api, 'QX-772', 'message', 0));
    for (const ms of timings) expect(ms).toBeLessThan(1000);

    // Indexed by the other process, and still no re-index is needed for access: b removed sees nothing at once.
    await sendText(a.api, room.id, '第二条 QX-773');
    await foundWithin(b.api, 'QX-773', 'message', 1);
    expect((await a.api.delete(`/api/conversations/${room.id}/members/${b.user.id}`)).status).toBeLessThan(300);
    expect(ok(await b.api.get('/api/search?q=QX-773')).total).toBe(0);
    // The process that indexed it answers the same.
    const bOnTwo = new ApiClient(two.url);
    bOnTwo.token = b.api.token;
    expect(ok(await bOnTwo.get('/api/search?q=QX-773')).total).toBe(0);
    const aOnTwo = new ApiClient(two.url);
    aOnTwo.token = a.api.token;
    expect(ok(await aOnTwo.get('/api/search?q=QX-773')).total).toBe(1);
  });
});
