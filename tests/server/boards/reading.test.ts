/**
 * Reading: subscriptions produce exactly the notifications they promise; unread markers and counts;
 * thread lists and replies paged by cursor in both directions; read positions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createUsers, mentionBody, textBody } from '../../support/chat.js';
import { createBoard, reply, startThread, threadIds } from '../../support/boards.js';
import { User } from '../../../server/entities/User.js';
import { replyCreator } from '../../../server/commands/boards/replies.js';
import { fanOutLostReplies } from '../../../server/jobs/boardReplyFanOut.js';

type Person = { user: { id: string; displayName: string }; api: ApiClient };
let server: TestServer;
let admin: ApiClient;
// One set of people for the whole file (each test has boards and threads of its own): signing people up is the slow part.
let people: Person[];

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.admin();
  people = (await createUsers(admin, 8)) as Person[];
}, 60_000);
afterAll(() => server?.close());

/** The notifications of a person about a thread, as "kind#number" (number absent for the thread itself). */
async function told(person: Person, threadId: string): Promise<string[]> {
  const { items } = ok(await person.api.get('/api/notifications?limit=100'));
  return items.filter((n: any) => n.data?.threadId === threadId).map((n: any) => `${n.kind}#${n.data.number ?? 0}`).sort();
}

const subscribe = async (person: Person, threadId: string, level: string) => ok(await person.api.put(`/api/boards/threads/${threadId}/subscription`, { level }));
const unreadOf = async (person: Person, boardId: string) => ok<any[]>(await person.api.get('/api/boards/unread')).find((u) => u.boardId === boardId);

describe('subscriptions', () => {
  it('watching, tracking, normal and muted produce exactly the notifications they promise', async () => {
    const [author, watcher, tracker, normal, muted, replier, boardWatcher, boardMuted] = people;
    const board = await createBoard(admin, { openness: 'open' });
    ok(await boardWatcher.api.put(`/api/boards/${board.id}/subscription`, { level: 'watching' }));
    ok(await boardMuted.api.put(`/api/boards/${board.id}/subscription`, { level: 'muted' }));
    const thread = await startThread(author.api, board.id, 'Subscribed');
    // A board's watchers hear of new threads.
    expect(await told(boardWatcher, thread.id)).toEqual(['board_reply#0']);
    expect(await told(boardMuted, thread.id)).toEqual([]);
    await subscribe(watcher, thread.id, 'watching');
    await subscribe(tracker, thread.id, 'tracking');
    await subscribe(muted, thread.id, 'muted');
    // boardMuted overrides the board for this thread: watching it.
    await subscribe(boardMuted, thread.id, 'watching');

    const plain = await reply(replier.api, thread.id, 'plain');
    const everyone = mentionBody('hello ', watcher.user) as any;
    for (const p of [tracker, normal, muted]) everyone.root.children[0].children.push(...(mentionBody('', p.user) as any).root.children[0].children);
    const mentioning = await reply(replier.api, thread.id, everyone);
    const byNormal = await reply(normal.api, thread.id, 'from normal');
    const byMuted = await reply(muted.api, thread.id, 'from muted');
    const quoteNormal = await reply(replier.api, thread.id, 'quoting normal', byNormal.id);
    const quoteMuted = await reply(replier.api, thread.id, 'quoting muted', byMuted.id);

    const replies = (...numbers: number[]) => numbers.map((n) => `board_reply#${n}`);
    const everyReply = [plain, mentioning, byNormal, byMuted, quoteNormal, quoteMuted].map((r) => r.number);
    // The author watches their own thread: every reply, a mention instead where they are mentioned (they are not).
    expect(await told(author, thread.id)).toEqual(replies(...everyReply).sort());
    expect(await told(watcher, thread.id)).toEqual([...replies(plain.number, byNormal.number, byMuted.number, quoteNormal.number, quoteMuted.number), `mention#${mentioning.number}`].sort());
    expect(await told(tracker, thread.id)).toEqual([`mention#${mentioning.number}`]);
    // Replying made "normal" track the thread: still told of mentions and quotes only.
    expect(await told(normal, thread.id)).toEqual([`board_quote#${quoteNormal.number}`, `mention#${mentioning.number}`].sort());
    expect(await told(muted, thread.id)).toEqual([]);
    expect(await told(replier, thread.id)).toEqual([]);
    expect(await told(boardWatcher, thread.id)).toEqual(['board_reply#0', ...replies(...everyReply)].sort());
    expect(await told(boardMuted, thread.id)).toEqual(replies(...everyReply).sort());
    // The levels as each sees them.
    expect(ok(await tracker.api.get(`/api/boards/threads/${thread.id}`)).level).toBe('tracking');
    expect(ok(await normal.api.get(`/api/boards/threads/${thread.id}`)).level).toBe('tracking');
    expect(ok(await author.api.get(`/api/boards/threads/${thread.id}`)).level).toBe('watching');
  });

  it('a watcher who lost access to the thread is told nothing more', async () => {
    const [author, watcher, replier] = people;
    const board = await createBoard(admin, { openness: 'closed', members: { userIds: [author.user.id, watcher.user.id, replier.user.id] } });
    const thread = await startThread(author.api, board.id, 'Members');
    await subscribe(watcher, thread.id, 'watching');
    const before = await reply(replier.api, thread.id, 'while a member');
    ok(await admin.patch(`/api/boards/${board.id}`, { members: { userIds: [author.user.id, replier.user.id], departmentIds: [] } }));
    const after = await reply(replier.api, thread.id, 'after leaving');
    expect(await told(watcher, thread.id)).toEqual([`board_reply#${before.number}`]);
    expect(await told(author, thread.id)).toEqual([`board_reply#${before.number}`, `board_reply#${after.number}`]);
  });

  it('a reply whose fan-out a stopped process left undone is fanned out by the sweep, exactly once', async () => {
    const [author, watcher, replier] = people;
    const board = await createBoard(admin, { openness: 'open' });
    const thread = await startThread(author.api, board.id, 'Left undone');
    await subscribe(watcher, thread.id, 'watching');
    // Stored as the route stores a reply; the process "stops" before the fan-out that follows the commit.
    const store = async (text: string) => {
      const em = server.orm.em.fork();
      const as = await em.findOneOrFail(User, replier.user.id);
      const { replyId } = await server.runner.run(em, as, (cx) => replyCreator(cx, thread.id, { body: textBody(text), quoteReplyId: null }));
      await em.execute(`UPDATE board_reply_fanouts SET created_at = now() - interval '1 hour' WHERE reply_id = ?`, [replyId]);
    };
    await store('undone');
    expect(await told(watcher, thread.id)).toEqual([]);
    expect(ok(await replier.api.get(`/api/boards/threads/${thread.id}`)).readNumber).toBe(null);
    await server.jobs.sweep();
    expect(await told(watcher, thread.id)).toEqual(['board_reply#1']);
    expect(await told(author, thread.id)).toEqual(['board_reply#1']);
    expect(ok(await replier.api.get(`/api/boards/threads/${thread.id}`)).readNumber).toBe(1);
    // Two sweepers at once: one does it, the other finds it taken or done.
    await store('undone again');
    const done = await Promise.all([fanOutLostReplies(server, 60), fanOutLostReplies(server, 60), server.jobs.sweep()]);
    expect(done[0] + done[1]).toBeLessThanOrEqual(1);
    expect(await told(watcher, thread.id)).toEqual(['board_reply#1', 'board_reply#2']);
    expect(await told(author, thread.id)).toEqual(['board_reply#1', 'board_reply#2']);
  });
});

describe('unread markers and counts', () => {
  it('new threads, N new replies since the read position, board counts for tracked threads, marking a board read', async () => {
    const [author, reader] = people.slice(3);
    const board = await createBoard(admin, { openness: 'open' });
    const first = await startThread(author.api, board.id, 'First');
    const second = await startThread(author.api, board.id, 'Second');
    const marker = async (threadId: string) => ok(await reader.api.get(`/api/boards/${board.id}/threads`)).items.find((t: any) => t.id === threadId).unread;
    expect(await marker(first.id)).toEqual({ isNew: true, newReplies: 0, readNumber: null });
    expect(await unreadOf(reader, board.id)).toEqual({ boardId: board.id, unreadThreads: 0, newThreads: 2 });
    // The author has read their own thread.
    expect(ok(await author.api.get(`/api/boards/${board.id}/threads`)).items.map((t: any) => t.unread.isNew)).toEqual([false, false]);

    const opened = ok(await reader.api.post(`/api/boards/threads/${first.id}/read`, { number: 0 }));
    expect(opened.unread).toEqual({ boardId: board.id, unreadThreads: 0, newThreads: 1 });
    for (const text of ['a', 'b', 'c']) await reply(author.api, first.id, text);
    expect(await marker(first.id)).toEqual({ isNew: false, newReplies: 3, readNumber: 0 });
    expect(ok(await reader.api.get(`/api/boards/threads/${first.id}`)).firstUnreadNumber).toBe(1);
    // Normal level: the thread shows its new replies, the board does not count it.
    expect((await unreadOf(reader, board.id)).unreadThreads).toBe(0);
    await subscribe(reader, first.id, 'tracking');
    expect((await unreadOf(reader, board.id)).unreadThreads).toBe(1);
    ok(await reader.api.post(`/api/boards/threads/${first.id}/read`, { number: 2 }));
    expect(await marker(first.id)).toEqual({ isNew: false, newReplies: 1, readNumber: 2 });
    // Never backwards, never past the end.
    expect(ok(await reader.api.post(`/api/boards/threads/${first.id}/read`, { number: 1 })).readNumber).toBe(2);
    expect(ok(await reader.api.post(`/api/boards/threads/${first.id}/read`, { number: 99 })).readNumber).toBe(3);
    expect((await unreadOf(reader, board.id)).unreadThreads).toBe(0);
    await reply(author.api, first.id, 'd');
    expect((await unreadOf(reader, board.id)).unreadThreads).toBe(1);
    // Muting hides the thread's markers and counts.
    await subscribe(reader, second.id, 'muted');
    expect(await marker(second.id)).toEqual({ isNew: false, newReplies: 0, readNumber: null });
    await subscribe(reader, second.id, 'normal');
    expect(ok(await reader.api.post(`/api/boards/${board.id}/read`))).toEqual({ boardId: board.id, unreadThreads: 0, newThreads: 0 });
    expect(await marker(first.id)).toEqual({ isNew: false, newReplies: 0, readNumber: 4 });
    expect((await marker(second.id)).isNew).toBe(false);
    const index = ok<any[]>(await reader.api.get('/api/boards')).find((b) => b.id === board.id);
    expect(index.unread).toEqual({ boardId: board.id, unreadThreads: 0, newThreads: 0 });
  });
});

describe('paging', () => {
  it('thread lists page by cursor in order, pinned first, by last activity', async () => {
    const [author] = people;
    const board = await createBoard(admin, { openness: 'open' });
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await startThread(author.api, board.id, `T${i}`));
    await reply(author.api, made[1].id, 'bump');
    ok(await admin.post(`/api/boards/threads/${made[3].id}/moderation`, { action: 'pin' }));
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = ok(await author.api.get(`/api/boards/${board.id}/threads?limit=2${cursor ? `&cursor=${cursor}` : ''}`));
      pages.push(page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([[made[3].id, made[1].id], [made[4].id, made[2].id], [made[0].id]]);
    expect(await threadIds(author.api, board.id)).toEqual(pages.flat());
    const forged = await author.api.get(`/api/boards/${board.id}/threads?cursor=${Buffer.from('[1,"not a time","5"]').toString('base64url')}`);
    expect([forged.status, forged.body.error.details[0].path]).toEqual([400, 'cursor']);
  });

  it('replies page forwards and backwards from any number', async () => {
    const [author] = people;
    const board = await createBoard(admin, { openness: 'open' });
    const thread = await startThread(author.api, board.id, 'Long');
    for (let i = 1; i <= 12; i++) await reply(author.api, thread.id, `r${i}`);
    const page = async (query: string) => {
      const p = ok(await author.api.get(`/api/boards/threads/${thread.id}/replies?limit=5&${query}`));
      return [p.items.map((r: any) => r.number), p.nextCursor];
    };
    expect(await page('after=0')).toEqual([[1, 2, 3, 4, 5], '5']);
    expect(await page('after=5')).toEqual([[6, 7, 8, 9, 10], '10']);
    expect(await page('after=10')).toEqual([[11, 12], null]);
    expect(await page('before=12')).toEqual([[7, 8, 9, 10, 11], '7']);
    expect(await page('before=7')).toEqual([[2, 3, 4, 5, 6], '2']);
    expect(await page('before=2')).toEqual([[1], null]);
    const both = await author.api.get(`/api/boards/threads/${thread.id}/replies?after=1&before=5`);
    expect([both.status, both.body.error.details[0].path]).toEqual([400, 'before']);
  });
});

describe('board settings', () => {
  it('an administrator sees and changes who holds which role; members do not see the grants', async () => {
    const [m1, m2] = people.slice(5);
    const board = await createBoard(admin, { openness: 'closed', category: '部门', members: { userIds: [m1.user.id] }, moderators: { userIds: [m2.user.id] } });
    expect(board.access.members.users.map((u: any) => u.id)).toEqual([m1.user.id]);
    expect(board.category).toBe('部门');
    expect(ok(await m1.api.get(`/api/boards/${board.id}`)).access).toBeNull();
    const changed = ok(await admin.patch(`/api/boards/${board.id}`, { name: 'Renamed', openness: 'open', readOnly: true }));
    expect([changed.name, changed.openness, changed.readOnly, changed.access.moderators.users[0].id]).toEqual(['Renamed', 'open', true, m2.user.id]);
    expect(ok(await m2.api.get(`/api/boards/${board.id}`)).can).toMatchObject({ post: true, moderate: true, administer: false });
    expect(ok(await m1.api.get(`/api/boards/${board.id}`)).can).toMatchObject({ post: false, moderate: false });
    expect((await m1.api.patch(`/api/boards/${board.id}`, { name: 'mine' })).status).toBe(403);
    expect((await admin.patch('/api/boards/999999', { name: 'none' })).status).toBe(404);
  });
});
