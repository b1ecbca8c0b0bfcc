import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, type ApiClient } from '../../support/api.js';
import { createBoard, reply, startThread } from '../../support/boards.js';
import { sendText, textBody } from '../../support/chat.js';
import { createUser } from '../../support/factories.js';
import { pdfBytes, upload } from '../../support/files.js';
import { buildOrg } from '../../support/org.js';
import { publish } from '../../support/announcements.js';
import { dayFromToday } from '../../support/reports.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { waitFor } from '../../support/wait.js';
import { foldText } from '../../../server/search/tokens.js';

let server: TestServer;
let admin: ApiClient;
let org: Awaited<ReturnType<typeof buildOrg>>;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  org = await buildOrg(admin);
});
afterAll(() => server?.close());

type Results = { total: number; groups: { kind: string; count: number; items: any[]; nextCursor: string | null }[] };

async function find(api: ApiClient, q: string, filters: Record<string, string> = {}): Promise<Results> {
  return ok(await api.get(`/api/search?${new URLSearchParams({ q, limit: '50', ...filters })}`));
}
const group = (r: Results, kind: string) => r.groups.find((g) => g.kind === kind);
const countOf = (r: Results, kind: string) => group(r, kind)?.count ?? 0;
/** Waits (the index follows a change within a second) until `api` finds `count` results of `kind`. */
const until = (api: ApiClient, q: string, kind: string, count: number, filters: Record<string, string> = {}) =>
  waitFor(async () => {
    const r = await find(api, q, filters);
    return countOf(r, kind) === count && r;
  }, { timeoutMs: 10_000, what: `${count} ${kind} for ${q}` });

describe('search', () => {
  it('finds Chinese, English, mixed text and order numbers in messages exactly when they contain the query, with marked snippets and links', async () => {
    const { a, b } = org;
    const conversation = ok(await a.api.post('/api/conversations', { name: '召回', memberIds: [b.user.id] }), 201);
    const texts = [
      '请把合同发给客户，今天下班前确认。',
      '客户说合作同事的态度很好',
      '合同编号 HT-2026-00123 已盖章',
      '风驰传媒下周来访，讨论年度框架合同',
      'Please send the CONTRACT to 风驰传媒 before Friday',
      'The contracts for Q3 are signed; order SO-20261206-0042 shipped.',
      '订单SO-20261206-0042延迟发货，客户投诉',
      'ＡＢＣ全角字母与１２３全角数字 abc',
      'reorder the items; Order #42 is urgent',
      // LIKE's wildcards are plain characters of a query: 50% is not 500, t_v is not txv.
      '本月折扣 50% 起',
      '库存 500 件',
      'report_v2 定稿',
      'reportxv2 草稿',
    ];
    const ids: string[] = [];
    for (const text of texts) ids.push((await sendText(a.api, conversation.id, text)).id);
    await until(b.api, 'a', 'message', texts.filter((t) => foldText(t).includes('a')).length);
    await until(b.api, 'reorder', 'message', 1);
    for (const q of ['合', '合同', '框架合同', '客户', 'contract', 'Order', 'SO-20261206-0042', '0042', '00123', 'abc', '123', '风驰传媒', 'ＨＴ-2026', '合同书', 'xyz', '50%', '500', 't_v', 'report']) {
      const expected = ids.filter((_, i) => foldText(texts[i]!).includes(foldText(q))).sort();
      const found = group(await find(b.api, q, { kind: 'message' }), 'message');
      expect([...(found?.items.map((item) => item.id) ?? [])].sort(), q).toEqual(expected);
      expect(found?.count ?? 0, q).toBe(expected.length);
    }
    const hit = group(await find(b.api, '框架合同'), 'message')!.items[0];
    expect(hit).toMatchObject({ kind: 'message', title: '召回', link: `/chat/${conversation.id}?message=${ids[3]}`, person: { id: a.user.id } });
    expect(hit.highlights.map(([s, e]: [number, number]) => hit.snippet.slice(s, e))).toEqual(['框架合同']);
    // Case-blind, marked in the original spelling.
    const english = group(await find(b.api, 'contract'), 'message')!.items.find((item) => item.id === ids[4]);
    expect(english.highlights.map(([s, e]: [number, number]) => english.snippet.slice(s, e))).toEqual(['CONTRACT']);

    // A file's name finds the message it was sent in, by the conversation's rule: not for c, outside it.
    const scan = ok(await upload(a.api, '季度框架协议扫描件.pdf', pdfBytes(), 'application/pdf'), 201);
    const withFile = await sendText(a.api, conversation.id, '见附件');
    ok(await a.api.post(`/api/attachments/message/${withFile.id}`, { fileIds: [scan.id] }), 201);
    const byName = (await until(b.api, '扫描件', 'message', 1)) as Results;
    expect(group(byName, 'message')!.items[0]).toMatchObject({ id: withFile.id, snippet: expect.stringContaining('季度框架协议扫描件.pdf') });
    expect((await find(org.c.api, '扫描件')).total).toBe(0);

    // Edits and deletions reach the index: the old words are gone, the new found.
    ok(await a.api.patch(`/api/conversations/${conversation.id}/messages/${ids[0]}`, { body: textBody('改成了报价单') }));
    ok(await a.api.delete(`/api/conversations/${conversation.id}/messages/${ids[2]}`));
    await until(b.api, '报价单', 'message', 1);
    await until(b.api, '合同', 'message', 1);
  });

  it('never shows what the user may not open — not in results, counts or snippets — for every kind and every reason', async () => {
    const { a, b, c, e, m, s } = org;
    const word = '机密合同';
    const people = { a, b, c, e, m, s };
    const seen = async () => {
      const out: Record<string, Record<string, number>> = {};
      for (const [name, person] of Object.entries(people)) {
        const r = await find(person.api, word);
        out[name] = Object.fromEntries(r.groups.map((g) => [g.kind, g.count]));
        expect(r.total).toBe(r.groups.reduce((sum, g) => sum + g.count, 0));
        for (const g of r.groups) expect(g.items.length).toBe(g.count);
      }
      return out;
    };

    // A group of a and b; c is not a member.
    const group1 = ok(await a.api.post('/api/conversations', { name: 'Deal room', memberIds: [b.user.id] }), 201);
    await sendText(a.api, group1.id, `${word}：第一稿`);
    // A semi-open board (a suggestion box): posters see only their own threads; e is its viewer.
    const semi = await createBoard(admin, { openness: 'semi_open', everyonePosts: true, viewers: { userIds: [e.user.id] } });
    const suggestion = await startThread(a.api, semi.id, `${word} 建议`);
    await reply(a.api, suggestion.id, `补充：${word}`);
    // A closed board of East; the rest of the company does not see it.
    const closed = await createBoard(admin, { openness: 'closed', members: { departmentIds: [org.departments.east.id] } });
    const eastThread = await startThread(b.api, closed.id, `${word} 东区`);
    // a's daily report reaches a's superiors (e, m); e annotates it.
    const day = dayFromToday(-1);
    const draft = ok(await a.api.post('/api/reports', { kind: 'daily', date: day }), 201);
    const saved = ok(await a.api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody(`谈了${word}`), plan: textBody('明天继续') } }));
    ok(await a.api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));
    ok(await e.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody(`${word}要法务看`) }), 201);
    // An announcement to Support only.
    await publish(s.api, `${word}通知`, { departmentIds: [org.departments.support.id] });
    // a's schedule entry: a and a's superiors.
    ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: `${word}拜访`, start: `${day}T10:00`, end: `${day}T11:00` }), 201);
    // a's customer, with a contact.
    ok(await a.api.post('/api/customers', { name: `${word}客户`, type: 'end_customer', tier: 'gold', contacts: [{ name: `${word}联系人` }] }), 201);

    await until(admin, word, 'announcement', 1);
    await waitFor(async () => (await find(a.api, word)).total === 9, { timeoutMs: 10_000, what: 'everything indexed' });
    const everyone = { customer: 1, contact: 1 };
    expect(await seen()).toEqual({
      a: { message: 1, thread: 2, reply: 1, report: 1, annotation: 1, entry: 1, ...everyone },
      b: { message: 1, thread: 1, ...everyone }, // a's suggestion is not b's to see; the report and the entry are not a peer's
      c: { announcement: 1, ...everyone }, // not a member, not in East, another department; in Support's announcement's scope
      e: { thread: 2, reply: 1, report: 1, annotation: 1, entry: 1, ...everyone }, // the box's viewer, in East, a's head
      m: { report: 1, annotation: 1, entry: 1, ...everyone }, // above East, but the closed board is East's; only a poster on the box
      s: { announcement: 1, ...everyone },
    });

    // A moderator moves threads. The documents carry their board (a look-up narrowed to the boards one
    // reads), so a moved thread's replies are re-indexed: c, who reads no board of these, finds the
    // suggestion and its reply once it is on an open board.
    const open = await createBoard(admin, { openness: 'open' });
    ok(await admin.post(`/api/boards/threads/${suggestion.id}/moderation`, { action: 'move', boardId: open.id }));
    await until(c.api, word, 'reply', 1);
    expect(countOf(await find(c.api, word), 'thread')).toBe(1);
    // b's thread leaves East's closed board for the box: a (a poster there, not its viewer) stops finding
    // it at once, before any re-index — the board rule is asked of the thread row; e, the box's viewer, still finds it.
    ok(await admin.post(`/api/boards/threads/${eastThread.id}/moderation`, { action: 'move', boardId: semi.id }));
    expect(countOf(await find(a.api, word), 'thread')).toBe(1);
    expect(countOf(await find(e.api, word), 'thread')).toBe(2);
    expect(countOf(await find(e.api, word, { board: semi.id }), 'thread')).toBe(1);

    // Removed from the conversation: b stops finding its messages at once (no re-index needed).
    expect((await a.api.delete(`/api/conversations/${group1.id}/members/${b.user.id}`)).status).toBeLessThan(300);
    expect(countOf(await find(b.api, word), 'message')).toBe(0);
    expect(countOf(await find(b.api, word, { conversation: group1.id }), 'message')).toBe(0);
    // Customers seen by their owners only: c (not an owner, not above one) loses them and their contacts.
    ok(await admin.patch('/api/settings', { customerVisibility: 'owners' }));
    try {
      const r = await find(c.api, word);
      expect(r.groups).toEqual(expect.not.arrayContaining([expect.objectContaining({ kind: 'customer' })]));
      expect(countOf(r, 'contact')).toBe(0);
      expect(countOf(await find(e.api, word), 'customer')).toBe(1);
    } finally {
      ok(await admin.patch('/api/settings', { customerVisibility: 'everyone' }));
    }
  });

  it('finds people and customers by pinyin and initials', async () => {
    const zhang = await createUser(admin, org.departments.sales.id, { displayName: '张伟' });
    ok(await org.a.api.post('/api/customers', { name: '风驰传媒', type: 'media', contacts: [{ name: '赵丽颖' }] }), 201);
    await until(org.b.api, 'fccm', 'customer', 1);
    for (const q of ['zhangwei', 'zw', 'Zhang Wei', '张伟', '伟']) {
      const people = group(await find(org.b.api, q, { kind: 'person' }), 'person');
      expect(people?.items.map((p) => p.id), q).toContain(zhang.user.id);
    }
    const byInitials = group(await find(org.b.api, 'zw', { kind: 'person' }), 'person')!.items.find((p) => p.id === zhang.user.id);
    expect(byInitials).toMatchObject({ snippet: '张伟', highlights: [], link: `/chat?direct=${zhang.user.id}` });
    for (const q of ['fccm', 'fengchi', '风驰']) expect(group(await find(org.b.api, q), 'customer')?.items.map((x) => x.title), q).toContain('风驰传媒');
    expect(group(await find(org.b.api, 'zly'), 'contact')?.items.map((x) => x.title)).toEqual(['风驰传媒']);
  });

  it('filters by kind, person, conversation, board, customer and date, and pages one kind', async () => {
    const { a, b } = org;
    const word = '筛选词';
    const room = ok(await a.api.post('/api/conversations', { name: 'Filters', memberIds: [b.user.id] }), 201);
    for (let i = 0; i < 7; i++) await sendText(i % 2 ? b.api : a.api, room.id, `${word} ${i}`);
    const board = await createBoard(admin, { openness: 'open' });
    const customer = ok(await a.api.post('/api/customers', { name: '筛选客户', type: 'channel' }), 201);
    await startThread(a.api, board.id, `${word} 帖子`, textBody(word), { customerId: customer.id });
    await until(b.api, word, 'thread', 1);
    await until(b.api, word, 'message', 7);
    expect(countOf(await find(b.api, word, { person: a.user.id }), 'message')).toBe(4);
    expect((await find(b.api, word, { conversation: room.id })).groups.map((g) => g.kind)).toEqual(['message']);
    expect((await find(b.api, word, { board: board.id })).groups.map((g) => [g.kind, g.count])).toEqual([['thread', 1]]);
    expect((await find(b.api, word, { customer: customer.id })).groups.map((g) => [g.kind, g.count])).toEqual([['thread', 1]]);
    expect((await find(b.api, word, { to: '2000-01-01T00:00:00Z' })).total).toBe(0);
    expect(countOf(await find(b.api, word, { from: new Date(Date.now() - 3_600_000).toISOString() }), 'message')).toBe(7);
    // Newest first among equals; pages of one kind follow each other without gaps or repeats.
    const first = group(await find(b.api, word, { kind: 'message', limit: '3' }), 'message')!;
    expect(first.items.map((x) => x.snippet)).toEqual([`${word} 6`, `${word} 5`, `${word} 4`]);
    const second = group(await find(b.api, word, { kind: 'message', limit: '3', cursor: first.nextCursor! }), 'message')!;
    const third = group(await find(b.api, word, { kind: 'message', limit: '3', cursor: second.nextCursor! }), 'message')!;
    expect([...second.items, ...third.items].map((x) => x.snippet)).toEqual([3, 2, 1, 0].map((i) => `${word} ${i}`));
    expect(third.nextCursor).toBeNull();
  });

  it('refuses overlong queries and malformed filters with a clear error', async () => {
    const api = org.a.api;
    const refused = async (query: string, path: string, code?: string) => {
      const res = await api.get(`/api/search?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details, query).toEqual(expect.arrayContaining([expect.objectContaining({ path, ...(code ? { code } : {}) })]));
    };
    await refused(`q=${'合'.repeat(101)}`, 'q', 'too_big');
    await refused('q=', 'q', 'required');
    await refused(`q=${encodeURIComponent('，。!!')}`, 'q', 'nothing_to_search');
    await refused('q=x&kind=files', 'kind.0');
    await refused('q=x&person=abc', 'person');
    await refused('q=x&board=-1', 'board');
    await refused('q=x&from=yesterday', 'from');
    await refused('q=x&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to', 'range_reversed');
    await refused('q=x&cursor=5', 'cursor', 'cursor_needs_kind');
    await refused('q=x&limit=500', 'limit');
    expect((await server.client().get('/api/search?q=x')).status).toBe(401);
  });
});
