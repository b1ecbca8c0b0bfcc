/**
 * The visibility matrix: for each openness and each role, every path that can show a thread or a
 * reply shows exactly what the rule allows — HTTP (board index and detail, unread counts, the
 * thread list, the thread page, its replies, a reply by id, a quote of a reply, mention
 * notifications, the customer feed and the team feed, the CSV export) and sockets (joining the
 * thread's and the board's stream, and which sockets a new reply reaches). Then a thread moves to
 * a board of another openness and the same paths show the new answer at once, live sockets included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createDepartment, createUser, rootDepartment } from '../../support/factories.js';
import { mentionBody, textBody } from '../../support/chat.js';
import { connectSocket, emitWithAck, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { createBoard, reply, startThread, threadIds } from '../../support/boards.js';

const ROLES = ['poster', 'otherPoster', 'viewer', 'moderator', 'member', 'outsider', 'administrator'] as const;
type Role = (typeof ROLES)[number];
type Openness = 'open' | 'semi_open' | 'closed';
const PATHS = ['list', 'page', 'replies', 'reply', 'quote', 'mention', 'feed', 'teamFeed', 'export', 'join', 'live'] as const;
type Path = (typeof PATHS)[number];

type Person = { user: { id: string; displayName: string }; api: ApiClient; socket?: TestSocket };
type Thread = { id: string; boardId: string; author: Role; replyId: string; hidden?: boolean };

let server: TestServer;
let people: Record<Role, Person>;
let writer: Person; // a second administrator who writes the replies the live path watches for
const boards = {} as Record<Openness | 'scratch', { id: string }>;
const threads: Thread[] = [];
let scratchThread: string;
let customerId: string;

/** Who sees every thread of a board, and who sees their own threads on it (the rule, written out for the test). */
const readsAll: Record<Openness, Role[]> = {
  open: [...ROLES],
  semi_open: ['viewer', 'moderator', 'administrator'],
  closed: ['poster', 'otherPoster', 'moderator', 'member', 'administrator'],
};
const postsOwn: Record<Openness, Role[]> = { open: [], semi_open: ['poster', 'otherPoster'], closed: [] };
const opennessOf = (boardId: string) => (Object.entries(boards).find(([, b]) => b.id === boardId)![0] as Openness);

function sees(role: Role, t: Thread): boolean {
  const openness = opennessOf(t.boardId);
  const board = readsAll[openness].includes(role) || (postsOwn[openness].includes(role) && t.author === role);
  return board && (!t.hidden || t.author === role || role === 'moderator' || role === 'administrator');
}
const boardVisible = (role: Role, openness: Openness) => readsAll[openness].includes(role) || postsOwn[openness].includes(role);

/** A body mentioning every role but the one writing. */
const mentionAll = (text: string, except?: Role) => {
  const doc = textBody(text) as any;
  for (const role of ROLES) if (role !== except) doc.root.children[0].children.push(...(mentionBody('', people[role].user) as any).root.children[0].children);
  return doc as Record<string, unknown>;
};

beforeAll(async () => {
  server = await startTestServer({ SOCKET_EVENTS_PER_SECOND: '1000' });
  const admin = await server.admin();
  const root = await rootDepartment(admin);
  const members = await createDepartment(admin, 'Members');
  const membersBelow = await createDepartment(admin, 'Members below', members.id);
  const heads = await createDepartment(admin, 'Heads');
  const make = (departmentId: string, fields: Record<string, unknown> = {}) => createUser(admin, departmentId, fields);
  const [poster, otherPoster, viewer, moderator, member, outsider, second] = await Promise.all([
    make(root.id),
    make(root.id),
    make(root.id),
    make(heads.id),
    make(membersBelow.id),
    make(root.id),
    make(root.id, { role: 'admin' }),
  ]);
  // The moderator heads a department: moderators are granted as users on some boards, as "the heads of a department" on others.
  ok(await admin.patch(`/api/departments/${heads.id}`, { managerIds: [moderator.user.id] }));
  people = { poster, otherPoster, viewer, moderator, member, outsider, administrator: { user: admin.me, api: admin } };
  writer = second;
  customerId = ok(await writer.api.post('/api/customers', { name: 'Linked Co', type: 'channel' }), 201).id;

  boards.open = await createBoard(admin, { openness: 'open', moderators: { userIds: [moderator.user.id] } });
  boards.semi_open = await createBoard(admin, {
    openness: 'semi_open',
    everyonePosts: false,
    moderators: { departmentIds: [heads.id] },
    viewers: { userIds: [viewer.user.id] },
    // Listed as a member: that means nothing on a semi-open board.
    members: { userIds: [member.user.id] },
    posters: { userIds: [poster.user.id, otherPoster.user.id] },
  });
  boards.closed = await createBoard(admin, {
    openness: 'closed',
    moderators: { userIds: [moderator.user.id] },
    // Listed as a viewer: that means nothing on a closed board.
    viewers: { userIds: [viewer.user.id] },
    members: { userIds: [poster.user.id, otherPoster.user.id], departmentIds: [members.id] },
  });
  boards.scratch = await createBoard(admin, { openness: 'open', name: 'scratch' });
  scratchThread = (await startThread(writer.api, boards.scratch.id, 'scratch')).id;

  for (const openness of ['open', 'semi_open', 'closed'] as const) {
    for (const author of ['poster', 'otherPoster'] as const) {
      const t = await startThread(people[author].api, boards[openness].id, `${openness} by ${author}`, mentionAll(`${openness} by ${author}`, author), { customerId });
      const r = await reply(people[author].api, t.id, `first reply of ${t.id}`);
      threads.push({ id: t.id, boardId: boards[openness].id, author, replyId: r.id });
    }
  }
  // A thread a moderator hid: its author and the moderators still see it, nobody else.
  const hidden = await startThread(poster.api, boards.open.id, 'hidden one', mentionAll('hidden one', 'poster'), { customerId });
  const hiddenReply = await reply(poster.api, hidden.id, 'reply in the hidden one');
  ok(await moderator.api.post(`/api/boards/threads/${hidden.id}/moderation`, { action: 'hide', reason: 'off topic' }));
  threads.push({ id: hidden.id, boardId: boards.open.id, author: 'poster', replyId: hiddenReply.id, hidden: true });

  for (const role of ROLES) people[role].socket = await connectSocket(server.url, { token: people[role].api.token });
}, 120_000);

afterAll(async () => {
  for (const role of ROLES) people?.[role]?.socket?.close();
  await server?.close();
});

/**
 * Asks every path as one role about each thread given. Lists (notifications, feeds, exports, thread
 * lists) are read once per role; `live` and `mention` look for the writer's latest reply in each thread.
 */
async function observe(role: Role, asked: Thread[], liveNumbers: Map<string, number>): Promise<Map<string, Record<Path, boolean>>> {
  const { api, socket } = people[role];
  const notifications = ok(await api.get('/api/notifications?limit=100')).items;
  const feed = ok(await api.get(`/api/customers/${customerId}/feed?limit=100`)).items;
  const teamFeed = ok(await api.get(`/api/customers/team-feed?limit=100`)).items;
  const boardIds = [...new Set(asked.map((t) => t.boardId))];
  const lists = new Map(await Promise.all(boardIds.map(async (id) => [id, await threadIds(api, id)] as const)));
  const exports = new Map(
    await Promise.all(
      boardIds.map(async (id) => {
        const csv = await api.get(`/api/boards/${id}/export`);
        return [id, csv.status === 200 ? String(csv.body).split('\r\n') : []] as const;
      }),
    ),
  );
  const sync: any = await emitWithAck(socket!, 'sync', { streams: Object.fromEntries(asked.map((t) => [`thread:${t.id}`, 0])) });
  expect(sync.ok).toBe(true);
  const seen = new Map<string, Record<Path, boolean>>();
  for (const t of asked) {
    const liveNumber = liveNumbers.get(t.id)!;
    const [page, replies, replyById, quote] = await Promise.all([
      api.get(`/api/boards/threads/${t.id}`),
      api.get(`/api/boards/threads/${t.id}/replies`),
      api.get(`/api/boards/replies/${t.replyId}`),
      api.post(`/api/boards/threads/${scratchThread}/replies`, { body: textBody('quoting'), quoteReplyId: t.replyId }),
    ]);
    // Visible: refused because it is a reply of another thread (400); hidden: not found (404). Never created.
    expect([400, 404], `${role} quoting ${t.id}: ${JSON.stringify(quote.body)}`).toContain(quote.status);
    seen.set(t.id, {
      list: lists.get(t.boardId)!.includes(t.id),
      page: page.status === 200,
      replies: replies.status === 200,
      reply: replyById.status === 200,
      quote: quote.status === 400,
      mention: notifications.some((n: any) => n.kind === 'mention' && n.data?.threadId === t.id && n.data?.number === liveNumber),
      feed: feed.some((i: any) => i.kind === 'thread' && i.data.threadId === t.id),
      teamFeed: teamFeed.some((i: any) => i.kind === 'thread' && i.data.threadId === t.id),
      export: exports.get(t.boardId)!.some((line) => line.startsWith(`"${t.id}",`)),
      join: !sync.data.refused.includes(`thread:${t.id}`),
      live: socket!.received.some((e) => e.stream === `thread:${t.id}` && e.type === 'reply.created' && (e.data as any).reply.number === liveNumber),
    });
  }
  return seen;
}

/**
 * Every socket follows every thread and board stream it may (sync joins the allowed rooms); the
 * writer replies in each thread, mentioning everyone; then a system message reaches every socket
 * on its own stream, after the replies, so whatever a socket was going to get of them it has.
 */
async function writeLiveReplies(): Promise<Map<string, number>> {
  const streams = Object.fromEntries([...threads.map((t) => `thread:${t.id}`), ...Object.values(boards).map((b) => `board:${b.id}`)].map((s) => [s, 0]));
  await Promise.all(ROLES.map((role) => emitWithAck(people[role].socket!, 'sync', { streams })));
  const numbers = new Map<string, number>();
  for (const t of threads) numbers.set(t.id, (await reply(writer.api, t.id, mentionAll(`live in ${t.id}`))).number);
  const marker = `barrier ${Math.random()}`;
  ok(await writer.api.post('/api/notifications/system', { recipientIds: ROLES.map((r) => people[r].user.id), title: marker }), 201);
  await Promise.all(ROLES.map((role) => waitForEvent(people[role].socket!, (e) => e.type === 'notification.created' && (e.data as any).notification.title === marker)));
  return numbers;
}

async function expectMatrix(only?: (t: Thread) => boolean) {
  const numbers = await writeLiveReplies();
  const asked = threads.filter(only ?? (() => true));
  const failures: string[] = [];
  const observed = await Promise.all(ROLES.map((role) => observe(role, asked, numbers)));
  ROLES.forEach((role, i) => {
    for (const t of asked) {
      const expected = sees(role, t);
      for (const path of PATHS) {
        const shown = observed[i].get(t.id)![path];
        if (shown !== expected) failures.push(`${opennessOf(t.boardId)} thread by ${t.author}${t.hidden ? ' (hidden)' : ''}, ${role}, ${path}: ${shown ? 'shown' : 'not shown'}, expected ${expected ? 'shown' : 'not shown'}`);
      }
    }
  });
  expect(failures).toEqual([]);
}

/** Board index, board page and unread counts: the board is listed for whoever sees any thread of it, and counts only what they see. */
async function expectBoards() {
  const failures: string[] = [];
  for (const role of ROLES) {
    const index = ok<any[]>(await people[role].api.get('/api/boards'));
    const unread = ok<any[]>(await people[role].api.get('/api/boards/unread'));
    for (const openness of ['open', 'semi_open', 'closed'] as const) {
      const id = boards[openness].id;
      const expected = boardVisible(role, openness);
      const listed = index.find((b) => b.id === id);
      if (!!listed !== expected) failures.push(`${openness}, ${role}: board index ${listed ? 'lists' : 'omits'} it`);
      const status = (await people[role].api.get(`/api/boards/${id}`)).status;
      if ((status === 200) !== expected) failures.push(`${openness}, ${role}: board page answered ${status}`);
      // Nobody opened another's thread: every visible thread someone else started is new.
      const newThreads = threads.filter((t) => t.boardId === id && sees(role, t) && t.author !== role).length;
      const counted = unread.find((u) => u.boardId === id);
      if (expected && (counted?.newThreads !== newThreads || listed?.unread.newThreads !== newThreads)) {
        failures.push(`${openness}, ${role}: new threads counted ${counted?.newThreads} / ${listed?.unread.newThreads}, expected ${newThreads}`);
      }
      if (!expected && counted) failures.push(`${openness}, ${role}: unread counts include the board`);
    }
  }
  expect(failures).toEqual([]);
}

describe('who sees which thread, on every path', () => {
  it('each openness × role sees exactly what the rule allows, over HTTP and sockets', { timeout: 120_000 }, async () => {
    await expectBoards();
    await expectMatrix();
  });

  it('a semi-open board: each poster sees their own thread only, and the other’s is a 404 on every path', async () => {
    const [mine, theirs] = threads.filter((t) => t.boardId === boards.semi_open.id);
    const { api } = people.poster;
    expect(await threadIds(api, boards.semi_open.id)).toEqual([mine.id]);
    expect((await api.get(`/api/boards/threads/${theirs.id}`)).status).toBe(404);
    expect((await api.get(`/api/boards/replies/${theirs.replyId}`)).status).toBe(404);
    expect((await api.post(`/api/boards/threads/${theirs.id}/replies`, { body: textBody('sneaking in'), quoteReplyId: null })).status).toBe(404);
    expect((await api.post(`/api/boards/threads/${mine.id}/replies`, { body: textBody('quoting theirs'), quoteReplyId: theirs.replyId })).status).toBe(404);
    expect(await threadIds(people.otherPoster.api, boards.semi_open.id)).toEqual([theirs.id]);
    expect((await people.otherPoster.api.get(`/api/boards/threads/${mine.id}`)).status).toBe(404);
    // The board stream carries every thread: a poster may not follow it, a viewer may.
    const refused: any = await emitWithAck(people.poster.socket!, 'sync', { streams: { [`board:${boards.semi_open.id}`]: 0 } });
    expect(refused.data.refused).toEqual([`board:${boards.semi_open.id}`]);
    const allowed: any = await emitWithAck(people.viewer.socket!, 'sync', { streams: { [`board:${boards.semi_open.id}`]: 0 } });
    expect(allowed.data.refused).toEqual([]);
    expect(allowed.data.events.filter((e: any) => e.type === 'thread.created').map((e: any) => e.data.threadId).sort()).toEqual([mine.id, theirs.id].sort());
  });

  it('moving a thread to a board of another openness changes who sees it on every path at once, live sockets included', { timeout: 60_000 }, async () => {
    const moved = threads.find((t) => t.boardId === boards.open.id && t.author === 'otherPoster' && !t.hidden)!;
    // Everyone follows it now (the open board): their sockets are in its room.
    await writeLiveReplies();
    ok(await people.administrator.api.post(`/api/boards/threads/${moved.id}/moderation`, { action: 'move', boardId: boards.semi_open.id }));
    moved.boardId = boards.semi_open.id;
    await expectMatrix((t) => t.id === moved.id);
    // The open board's stored stream no longer tells its title to someone catching up from the start.
    const replay: any = await emitWithAck(people.outsider.socket!, 'sync', { streams: { [`board:${boards.open.id}`]: 0 } });
    const about = replay.data.events.filter((e: any) => e.data.threadId === moved.id);
    expect(about.map((e: any) => e.type)).toEqual(expect.arrayContaining(['thread.removed']));
    expect(JSON.stringify(about)).not.toContain('open by otherPoster');
    await expectBoards();
  });
});
