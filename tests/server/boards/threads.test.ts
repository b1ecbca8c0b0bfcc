/**
 * Threads and replies: who may post where, quotes, edits and deletes, reactions, moderation with a
 * reason for the author, anonymity and its logged lookup, the customer link, the CSV export, and
 * refusals that name the problem and change nothing — including generated malformed payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createUsers, mentionBody, textBody } from '../../support/chat.js';
import { createBoard, reply, startThread, threadIds } from '../../support/boards.js';
import { mutate, nastyValue } from '../../support/schemaArbitrary.js';

type Person = { user: { id: string; displayName: string }; api: ApiClient };
let server: TestServer;
let admin: ApiClient;
let author: Person, other: Person, moderator: Person, viewer: Person, stranger: Person;

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  [author, other, moderator, viewer, stranger] = await createUsers(admin, 5);
}, 60_000);
afterAll(() => server?.close());

const code = (res: { body: any }) => res.body?.error?.code;
const fields = (res: { body: any }) => (res.body?.error?.details ?? []).map((d: any) => `${d.path}:${d.code}`);

/** The rows of every board table, to prove a refusal changed nothing. */
async function boardState() {
  const [row] = await server.orm.em.fork().execute<Record<string, string>[]>(
    `SELECT (SELECT count(*) FROM board_threads) AS threads, (SELECT count(*) FROM board_replies) AS replies, (SELECT count(*) FROM board_reactions) AS reactions,
            (SELECT count(*) FROM feed_items) AS feed, (SELECT count(*) FROM notifications) AS notifications, (SELECT count(*) FROM stream_events) AS events,
            (SELECT md5(string_agg(t::text, '' ORDER BY t.id)) FROM board_threads t) AS thread_rows, (SELECT md5(string_agg(r::text, '' ORDER BY r.id)) FROM board_replies r) AS reply_rows,
            (SELECT md5(string_agg(b::text, '' ORDER BY b.id)) FROM boards b) AS board_rows, (SELECT md5(string_agg(a::text, '' ORDER BY a.id)) FROM board_access a) AS access_rows`,
  );
  return row;
}

describe('posting', () => {
  it('read-only boards, locked threads, semi-open viewers and closed boards take posts only from whom they should', async () => {
    const readOnly = await createBoard(admin, { openness: 'open', readOnly: true, moderators: { userIds: [moderator.user.id] } });
    expect((await author.api.post(`/api/boards/${readOnly.id}/threads`, { title: 'no', body: textBody('no') })).status).toBe(403);
    const policy = await startThread(moderator.api, readOnly.id, 'Travel policy');
    expect(policy.can.reply).toBe(true);
    const seen = ok(await author.api.get(`/api/boards/threads/${policy.id}`));
    expect(seen.can.reply).toBe(false);
    const refused = await author.api.post(`/api/boards/threads/${policy.id}/replies`, { body: textBody('question') });
    expect([refused.status, code(refused)]).toEqual([403, 'forbidden']);

    const open = await createBoard(admin, { openness: 'open', moderators: { userIds: [moderator.user.id] } });
    const thread = await startThread(author.api, open.id, 'Lunch');
    ok(await moderator.api.post(`/api/boards/threads/${thread.id}/moderation`, { action: 'lock' }));
    expect(ok(await other.api.get(`/api/boards/threads/${thread.id}`)).can.reply).toBe(false);
    expect((await other.api.post(`/api/boards/threads/${thread.id}/replies`, { body: textBody('late') })).status).toBe(403);
    // Moderators still reply in a locked thread.
    await reply(moderator.api, thread.id, 'closing this');
    // Only moderators moderate; a visible thread refused is a 403.
    expect((await other.api.post(`/api/boards/threads/${thread.id}/moderation`, { action: 'unlock' })).status).toBe(403);

    const box = await createBoard(admin, { openness: 'semi_open', everyonePosts: false, posters: { userIds: [author.user.id] }, viewers: { userIds: [viewer.user.id] } });
    const suggestion = await startThread(author.api, box.id, 'Suggestion');
    // A viewer answers the suggestion but does not start threads there; someone neither poster nor viewer does not see the board.
    expect(ok(await viewer.api.get(`/api/boards/${box.id}`)).can.post).toBe(false);
    expect((await viewer.api.post(`/api/boards/${box.id}/threads`, { title: 'mine', body: textBody('x') })).status).toBe(403);
    await reply(viewer.api, suggestion.id, 'thanks, we will look into it');
    expect((await stranger.api.post(`/api/boards/${box.id}/threads`, { title: 'mine', body: textBody('x') })).status).toBe(404);

    const closed = await createBoard(admin, { openness: 'closed', members: { userIds: [author.user.id] } });
    expect((await stranger.api.post(`/api/boards/${closed.id}/threads`, { title: 'in', body: textBody('x') })).status).toBe(404);
    expect((await stranger.api.get(`/api/boards/${closed.id}/threads`)).status).toBe(404);
    await startThread(author.api, closed.id, 'members only');
  });

  it('bad input is refused with a clear error and changes nothing', async () => {
    const board = await createBoard(admin, { openness: 'open' });
    const thread = await startThread(author.api, board.id, 'Refusals');
    const first = await reply(other.api, thread.id, 'first');
    const elsewhere = await startThread(author.api, board.id, 'Elsewhere');
    const foreign = await reply(author.api, elsewhere.id, 'another thread');
    const before = await boardState();
    const cases: [string, Promise<{ status: number; body: any }>, number, string[]][] = [
      ['oversized title', author.api.post(`/api/boards/${board.id}/threads`, { title: 'x'.repeat(201), body: textBody('b') }), 400, ['title:too_big']],
      ['title with a line break', author.api.post(`/api/boards/${board.id}/threads`, { title: 'a\nb', body: textBody('b') }), 400, ['title:invalid_characters']],
      ['not rich text', author.api.post(`/api/boards/${board.id}/threads`, { title: 't', body: { root: 'nope' } }), 400, [':invalid_rich_text']],
      ['empty body', author.api.post(`/api/boards/threads/${thread.id}/replies`, { body: textBody('') }), 400, ['body:required']],
      ['quote from another thread', other.api.post(`/api/boards/threads/${thread.id}/replies`, { body: textBody('q'), quoteReplyId: foreign.id }), 400, ['quoteReplyId:other_thread']],
      ['quote of a reply that does not exist', other.api.post(`/api/boards/threads/${thread.id}/replies`, { body: textBody('q'), quoteReplyId: '999999' }), 404, []],
      ['anonymous where not allowed', author.api.post(`/api/boards/${board.id}/threads`, { title: 't', body: textBody('b'), anonymous: true }), 400, ['anonymous:anonymous_not_allowed']],
      ['a customer one cannot see', author.api.post(`/api/boards/${board.id}/threads`, { title: 't', body: textBody('b'), customerId: '999999' }), 404, []],
      ['someone else’s reply edited', author.api.patch(`/api/boards/replies/${first.id}`, { body: textBody('mine now') }), 403, []],
      ['someone else’s reply deleted', author.api.delete(`/api/boards/replies/${first.id}`), 403, []],
      ['someone else’s thread edited', other.api.patch(`/api/boards/threads/${thread.id}`, { title: 'mine now' }), 403, []],
      ['an unknown reaction', other.api.post(`/api/boards/threads/${thread.id}/reactions`, { reaction: 'rocket', on: true }), 400, ['reaction:invalid_value']],
      ['a hide without a reason', admin.post(`/api/boards/threads/${thread.id}/moderation`, { action: 'hide', reason: '' }), 400, ['reason:required']],
      ['moving to the same board', admin.post(`/api/boards/threads/${thread.id}/moderation`, { action: 'move', boardId: board.id }), 400, ['boardId:same_board']],
      ['a read position below zero', other.api.post(`/api/boards/threads/${thread.id}/read`, { number: -1 }), 400, ['number:too_small']],
      ['a board with an unknown moderator', admin.post('/api/boards', { name: 'x', openness: 'open', moderators: { userIds: ['999999'], departmentIds: [] } }), 400, ['moderators.userIds:unknown_user']],
      ['a board by a member', author.api.post('/api/boards', { name: 'x', openness: 'open' }), 403, []],
      ['an author lookup by a member', author.api.post(`/api/boards/threads/${thread.id}/author-lookup`), 403, []],
    ];
    for (const [what, pending, status, problems] of cases) {
      const res = await pending;
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(typeof res.body.error.message, what).toBe('string');
      for (const problem of problems) expect(fields(res), what).toContain(problem);
    }
    expect(await boardState()).toEqual(before);
  });

  it('generated malformed payloads at the board endpoints never answer 500 and change nothing', { timeout: 60_000 }, async () => {
    const board = await createBoard(admin, { openness: 'open', moderators: { userIds: [moderator.user.id] } });
    const thread = await startThread(author.api, board.id, 'Fuzzed');
    const target = await reply(author.api, thread.id, 'target');
    const valid: [string, (body: unknown) => Promise<{ status: number; body: any }>, unknown][] = [
      ['thread', (b) => author.api.post(`/api/boards/${board.id}/threads`, b), { title: 'A title', body: textBody('body'), anonymous: false, customerId: null }],
      ['reply', (b) => author.api.post(`/api/boards/threads/${thread.id}/replies`, b), { body: textBody('reply'), quoteReplyId: target.id }],
      ['edit', (b) => author.api.patch(`/api/boards/replies/${target.id}`, b), { body: textBody('edited') }],
      ['moderation', (b) => moderator.api.post(`/api/boards/threads/${thread.id}/moderation`, b), { action: 'hide', reason: 'spam' }],
      ['read', (b) => author.api.post(`/api/boards/threads/${thread.id}/read`, b), { number: 1 }],
      ['subscription', (b) => author.api.put(`/api/boards/threads/${thread.id}/subscription`, b), { level: 'muted' }],
      ['reaction', (b) => author.api.post(`/api/boards/replies/${target.id}/reactions`, b), { reaction: 'heart', on: true }],
      ['board', (b) => admin.post('/api/boards', b), { name: 'Board', openness: 'semi_open', moderators: { userIds: [moderator.user.id], departmentIds: [] } }],
    ];
    for (const [what, send, body] of valid) {
      const before = await boardState();
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutate(body), nastyValue), async (mutated) => {
          // Only refusals are of interest here: a mutation that is still valid (and so changes things) is skipped.
          const res = await send(mutated);
          expect(res.status, `${what} ${JSON.stringify(mutated)?.slice(0, 200)}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
          if (res.status >= 400) expect(typeof res.body?.error?.code).toBe('string');
          if (res.status < 400) return;
          expect(await boardState(), `${what} refused but changed something: ${JSON.stringify(mutated)?.slice(0, 200)}`).toEqual(before);
        }).beforeEach(async () => {
          Object.assign(before, await boardState());
        }),
        { numRuns: 15, seed: 4242 },
      );
    }
  });
});

describe('replies', () => {
  it('number in order, quote one another, are edited and deleted by their authors (a marker stays), and take reactions', async () => {
    const board = await createBoard(admin, { openness: 'open' });
    const thread = await startThread(author.api, board.id, 'Replies');
    const one = await reply(other.api, thread.id, 'one');
    const two = await reply(author.api, thread.id, 'two quotes one', one.id);
    expect([one.number, two.number]).toEqual([1, 2]);
    expect(two.quote).toMatchObject({ replyId: one.id, number: 1, excerpt: 'one', state: 'shown', author: { id: other.user.id } });

    const edited = ok(await other.api.patch(`/api/boards/replies/${one.id}`, { body: textBody('one, edited') }));
    expect([edited.text, edited.editedAt !== null]).toEqual(['one, edited', true]);
    const deleted = ok(await other.api.delete(`/api/boards/replies/${one.id}`));
    expect([deleted.deleted, deleted.body, deleted.text]).toEqual([true, null, '']);
    expect((await other.api.patch(`/api/boards/replies/${one.id}`, { body: textBody('back') })).status).toBe(409);
    // The marker keeps its number; a quote of it no longer shows its text, and it cannot be quoted again.
    const page = ok(await author.api.get(`/api/boards/threads/${thread.id}/replies`));
    expect(page.items.map((r: any) => [r.number, r.deleted])).toEqual([[1, true], [2, false]]);
    expect(page.items[1].quote).toMatchObject({ state: 'deleted', excerpt: '' });
    const again = await author.api.post(`/api/boards/threads/${thread.id}/replies`, { body: textBody('q'), quoteReplyId: one.id });
    expect(fields(again)).toContain('quoteReplyId:deleted');

    ok(await other.api.post(`/api/boards/replies/${two.id}/reactions`, { reaction: 'heart', on: true }));
    ok(await author.api.post(`/api/boards/replies/${two.id}/reactions`, { reaction: 'heart', on: true }));
    const reacted = ok(await author.api.post(`/api/boards/replies/${two.id}/reactions`, { reaction: 'thumbs_up', on: true }));
    expect(reacted.reactions).toEqual([
      { reaction: 'thumbs_up', count: 1, userIds: [author.user.id] },
      { reaction: 'heart', count: 2, userIds: [other.user.id, author.user.id] },
    ]);
    const taken = ok(await other.api.post(`/api/boards/replies/${two.id}/reactions`, { reaction: 'heart', on: false }));
    expect(taken.reactions.find((r: any) => r.reaction === 'heart')).toEqual({ reaction: 'heart', count: 1, userIds: [author.user.id] });
    const opening = ok(await other.api.post(`/api/boards/threads/${thread.id}/reactions`, { reaction: 'hooray', on: true }));
    expect(opening.reactions).toEqual([{ reaction: 'hooray', count: 1, userIds: [other.user.id] }]);
  });

  it('a moderator pins and hides with a reason its author sees; others no longer see it anywhere', async () => {
    const board = await createBoard(admin, { openness: 'open', moderators: { userIds: [moderator.user.id] } });
    const older = await startThread(author.api, board.id, 'Older');
    const newer = await startThread(other.api, board.id, 'Newer');
    expect(await threadIds(stranger.api, board.id)).toEqual([newer.id, older.id]);
    ok(await moderator.api.post(`/api/boards/threads/${older.id}/moderation`, { action: 'pin' }));
    expect(await threadIds(stranger.api, board.id)).toEqual([older.id, newer.id]);

    const rude = await reply(other.api, older.id, 'something rude');
    const quoting = await reply(author.api, older.id, 'quoting the rude one', rude.id);
    ok(await moderator.api.post(`/api/boards/replies/${rude.id}/moderation`, { action: 'hide', reason: 'Be kind' }));
    expect((await stranger.api.get(`/api/boards/replies/${rude.id}`)).status).toBe(404);
    const forOthers = ok(await stranger.api.get(`/api/boards/threads/${older.id}/replies`)).items;
    expect(forOthers.map((r: any) => r.number)).toEqual([2]);
    expect(forOthers[0].quote).toMatchObject({ replyId: rude.id, state: 'hidden', excerpt: '' });
    expect((await stranger.api.post(`/api/boards/threads/${older.id}/replies`, { body: textBody('x'), quoteReplyId: rude.id })).status).toBe(404);
    const own = ok(await other.api.get(`/api/boards/replies/${rude.id}`));
    expect([own.hidden?.reason, own.text, own.can.edit]).toEqual(['Be kind', 'something rude', false]);
    const notice = ok(await other.api.get('/api/notifications?limit=10')).items.find((n: any) => n.kind === 'board_moderation');
    expect(notice).toMatchObject({ body: 'Be kind', link: `/boards/threads/${older.id}?reply=1` });
    const forModerator = ok(await moderator.api.get(`/api/boards/threads/${older.id}/replies`)).items;
    expect(forModerator.map((r: any) => [r.number, r.hidden?.reason ?? null])).toEqual([[1, 'Be kind'], [2, null]]);
    expect(quoting.number).toBe(2);

    ok(await moderator.api.post(`/api/boards/threads/${newer.id}/moderation`, { action: 'hide', reason: 'Duplicate of “Older”' }));
    expect(await threadIds(stranger.api, board.id)).toEqual([older.id]);
    expect(ok(await other.api.get(`/api/boards/threads/${newer.id}`)).hiddenInfo).toMatchObject({ reason: 'Duplicate of “Older”' });
    expect((await other.api.patch(`/api/boards/threads/${newer.id}`, { title: 'sneaky' })).status).toBe(403);
    ok(await moderator.api.post(`/api/boards/threads/${newer.id}/moderation`, { action: 'unhide' }));
    expect((await stranger.api.get(`/api/boards/threads/${newer.id}`)).status).toBe(200);
  });

  it('anonymous threads show 匿名 to everyone, administrators included, until an administrator looks the author up, which is logged for good', async () => {
    const board = await createBoard(admin, { openness: 'open', allowAnonymous: true, moderators: { userIds: [moderator.user.id] } });
    const thread = await startThread(author.api, board.id, 'A complaint', textBody('the coffee'), { anonymous: true });
    expect([thread.author, thread.anonymous, thread.mine]).toEqual([null, true, true]);
    const answer = await reply(author.api, thread.id, 'and the tea');
    expect([answer.author, answer.anonymous]).toEqual([null, true]);
    for (const api of [other.api, moderator.api, admin]) {
      const seen = ok(await api.get(`/api/boards/threads/${thread.id}`));
      expect([seen.author, seen.mine]).toEqual([null, false]);
      expect(JSON.stringify(ok(await api.get(`/api/boards/${board.id}/threads`)))).not.toContain(author.user.displayName);
      expect(JSON.stringify(ok(await api.get(`/api/boards/threads/${thread.id}/replies`)))).not.toContain(author.user.displayName);
    }
    expect(ok(await admin.get(`/api/boards/threads/${thread.id}`)).can.lookUpAuthor).toBe(true);
    expect((await moderator.api.post(`/api/boards/threads/${thread.id}/author-lookup`)).status).toBe(403);
    const found = ok(await admin.post(`/api/boards/threads/${thread.id}/author-lookup`));
    expect(found.author).toMatchObject({ id: author.user.id });
    ok(await admin.post(`/api/boards/replies/${answer.id}/author-lookup`));
    const log = ok(await admin.get('/api/boards/audit'));
    expect(log.items.slice(0, 2).map((e: any) => [e.action, e.targetType, e.targetId, e.actor.id])).toEqual([
      ['board.author_lookup', 'board_reply', answer.id, admin.me.id],
      ['board.author_lookup', 'board_thread', thread.id, admin.me.id],
    ]);
    expect((await moderator.api.get('/api/boards/audit')).status).toBe(403);
    // Append-only, whoever asks: the database refuses to change or remove an entry.
    const em = server.orm.em.fork();
    await expect(em.execute(`UPDATE board_audit SET action = 'nothing' WHERE id = ?`, [found.auditId])).rejects.toThrow(/append-only/);
    await expect(em.execute(`DELETE FROM board_audit WHERE id = ?`, [found.auditId])).rejects.toThrow(/append-only/);
    // An anonymous thread is not linked to a customer (the feed names who wrote it).
    const customer = ok(await author.api.post('/api/customers', { name: 'Anon Co', type: 'channel' }), 201);
    expect(fields(await author.api.patch(`/api/boards/threads/${thread.id}`, { customerId: customer.id }))).toContain('customerId:anonymous_thread');
  });

  it('a thread linked to a customer shows in its feed, follows a new title, and leaves when unlinked', async () => {
    const board = await createBoard(admin, { openness: 'open' });
    const customer = ok(await author.api.post('/api/customers', { name: 'Feed Co', type: 'channel' }), 201);
    const thread = await startThread(author.api, board.id, 'Renewal terms', textBody('draft'), { customerId: customer.id });
    expect(thread.customer).toEqual({ id: customer.id, name: 'Feed Co' });
    const items = async () => ok(await other.api.get(`/api/customers/${customer.id}/feed`)).items.filter((i: any) => i.kind === 'thread');
    expect((await items()).map((i: any) => [i.data.threadId, i.data.title, i.actor.id])).toEqual([[thread.id, 'Renewal terms', author.user.id]]);
    ok(await author.api.patch(`/api/boards/threads/${thread.id}`, { title: 'Renewal terms 2027' }));
    expect((await items())[0].data.title).toBe('Renewal terms 2027');
    ok(await author.api.patch(`/api/boards/threads/${thread.id}`, { customerId: null }));
    expect(await items()).toEqual([]);
  });

  it('exports what the user sees as CSV, formulas neutralised, anonymous authors as 匿名', async () => {
    const board = await createBoard(admin, { openness: 'open', allowAnonymous: true });
    await startThread(author.api, board.id, '=HYPERLINK("http://evil.example")');
    await startThread(other.api, board.id, 'Anonymous one', textBody('text'), { anonymous: true });
    const res = await fetch(`${server.url}/api/boards/${board.id}/export`, { headers: { authorization: `Bearer ${stranger.api.token}` } });
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(text).toContain('"匿名"');
    expect(text).not.toContain(other.user.displayName);
  });

  it('mentions notify only those who may see the thread', async () => {
    const board = await createBoard(admin, { openness: 'closed', members: { userIds: [author.user.id, other.user.id] } });
    const thread = await startThread(author.api, board.id, 'Members talk');
    const body = mentionBody('hello ', other.user) as any;
    body.root.children[0].children.push(...(mentionBody('', stranger.user) as any).root.children[0].children);
    const posted = await reply(author.api, thread.id, body);
    const mentioned = async (api: ApiClient) => ok(await api.get('/api/notifications?limit=20')).items.some((n: any) => n.kind === 'mention' && n.data?.number === posted.number && n.data?.threadId === thread.id);
    expect(await mentioned(other.api)).toBe(true);
    expect(await mentioned(stranger.api)).toBe(false);
  });
});
