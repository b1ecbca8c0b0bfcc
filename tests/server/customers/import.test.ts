import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { connectSocket, type TestSocket } from '../../support/sockets.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  org = await buildOrg(await server.admin(), { timeZone: 'Asia/Shanghai' });
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
});

const upload = async (api: ApiClient, body: string | Buffer, query: string) => {
  const res = await fetch(`${server.url}/api/customers/import?${query}`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${api.token}` }, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return { status: res.status, body: (await res.json()) as any };
};
const customerNames = async (api: ApiClient, q: string) => ok(await api.get(`/api/customers?q=${encodeURIComponent(q)}&limit=100`)).items.map((c: any) => c.name).sort();

describe('CSV import', () => {
  it('a file with bad rows reports each with its line and reason, in the dry run and the real run, and imports nothing', async () => {
    const { a, e } = org;
    const csv = [
      'name,type,tier,class,owner,contact,birthday,email',
      'Good Co,channel,gold,,,Ann,1990-05-01,ann@good.test',
      ',channel,gold,,,,,',
      'Bad Type,friend,gold,,,,,',
      'Both Co,partner,gold,A,,,,',
      'Ghost Owner,media,,B,nobody@nowhere.test,,,',
      'Good Co,,,,,Bob,1990-02-30,',
      '"Quoted, Inc",supplier,poor,,' + e.user.email + ',Cy,,cy@quoted',
    ].join('\n');
    const dry = await upload(a.api, csv, 'dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body.data.problems.map((p: any) => [p.line, p.reason.slice(0, 22)])).toEqual([
      [3, 'the customer name is e'],
      [4, '"friend" is not a type'],
      [5, 'a customer has a tier '],
      [6, 'no active user has the'],
      [7, '"1990-02-30" is not a '],
      [8, '"cy@quoted" is not an '],
    ]);
    const real = await upload(a.api, csv, 'dryRun=false');
    expect(real.status).toBe(422);
    expect(real.body.error.details.problems).toHaveLength(6);
    expect(await customerNames(a.api, 'Good Co')).toEqual([]);
  });

  it('a GBK file with Chinese headers imports customers, owners and contacts in one go, with progress, and care reminders for birthdays', async () => {
    const { a, b } = org;
    const csv = ['客户名称,客户类型,客户等级,潜在客户分类,负责人,地址,联系人,职务,电话,邮箱,生日',
      `华南电子,渠道,铂金,,${b.user.email},深圳市南山区,陈总,总经理,13800138000,chen@hn.test,1975/3/9`,
      '华南电子,,,,,,刘工,工程师,,,',
      '北方物流,终端客户,,重要,,北京,,,,,',
    ].join('\r\n');
    const bytes = iconv.encode(csv, 'gbk');
    expect(bytes.includes(Buffer.from('客户名称'))).toBe(false); // really not UTF-8
    const socket = await connectSocket(server.url, { token: a.api.token });
    sockets.push(socket);
    const progress: any[] = [];
    socket.on('import:progress', (p) => progress.push(p));
    const dry = await upload(a.api, bytes, 'dryRun=true');
    expect(dry.body.data).toMatchObject({ dryRun: true, rows: 3, customers: 2, contacts: 2, problems: [] });
    expect(await customerNames(a.api, '华南')).toEqual([]);
    const real = await upload(a.api, bytes, 'dryRun=false&importId=gbk-1');
    expect(real.status).toBe(200);
    expect(real.body.data).toMatchObject({ dryRun: false, customers: 2, contacts: 2 });
    const list = ok(await a.api.get(`/api/customers?q=${encodeURIComponent('华南电子')}`)).items;
    expect(list).toHaveLength(1);
    const south = ok(await a.api.get(`/api/customers/${list[0].id}`));
    expect(south).toMatchObject({ type: 'channel', tier: 'platinum', address: '深圳市南山区', owners: [{ id: b.user.id }] });
    expect(south.contacts.map((c: any) => [c.name, c.title, c.birthday])).toEqual([['刘工', '工程师', null], ['陈总', '总经理', '1975-03-09']]);
    expect(ok(await a.api.get(`/api/customers?q=${encodeURIComponent('北方物流')}`)).items[0]).toMatchObject({ prospectClass: 'A', tier: null, owners: [{ id: a.user.id }] });
    await expect.poll(() => progress.find((p) => p.importId === 'gbk-1' && p.done === p.total)).toBeTruthy();

    // The owner has a yearly birthday reminder at 09:00 in their zone.
    const care = ok<any>(await b.api.get('/api/reminders')).items.filter((r: any) => r.title.includes('陈总'));
    expect(care).toHaveLength(1);
    expect(care[0]).toMatchObject({ rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=9', timeZone: 'Asia/Shanghai' });
    expect(care[0].nextDueAt).toMatch(/-03-09T09:00:00\+08:00$/);

    // Kept in step: a new owner takes it over, a changed birthday moves it.
    ok(await b.api.patch(`/api/customers/${south.id}`, { ownerIds: [a.user.id] }));
    expect(ok<any>(await b.api.get('/api/reminders')).items.filter((r: any) => r.title.includes('陈总'))).toEqual([]);
    const chen = south.contacts.find((c: any) => c.name === '陈总');
    ok(await a.api.patch(`/api/customers/${south.id}/contacts/${chen.id}`, { birthday: '1976-02-29' }));
    const moved = ok<any>(await a.api.get('/api/reminders')).items.filter((r: any) => r.title.includes('陈总'));
    expect(moved.map((r: any) => [r.rrule, r.nextDueAt.slice(0, 10)])).toEqual([['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2028-02-29']]);
  });

  it('refuses what is not a CSV upload', async () => {
    const { a } = org;
    expect((await a.api.post('/api/customers/import?dryRun=true', { file: 'x' })).status).toBe(400);
    expect((await upload(a.api, 'a,b\n1,2', 'encoding=latin1')).status).toBe(400);
    expect((await upload(a.api, 'just,a,header\n', 'dryRun=true')).body.data.problems[0].reason).toMatch(/No customer name column/);
  });
});
