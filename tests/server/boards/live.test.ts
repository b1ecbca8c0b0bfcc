/**
 * Everything live: replies and unread counts reach both devices of one user as they happen, read
 * positions are the same on both, and a device that was away — a dropped connection, or a server
 * process killed and started again — gets every reply it missed exactly once, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, ADMIN, type TestServer } from '../../support/server.js';
import { ApiClient, ok } from '../../support/api.js';
import { ChatDevice } from '../../support/chatClient.js';
import { createUsers, textBody } from '../../support/chat.js';
import { createTestDatabase } from '../../support/database.js';
import { startServerProcess } from '../../support/process.js';
import { freePort } from '../../support/globalSetup.js';
import { waitFor } from '../../support/wait.js';
import { createBoard, reply, startThread } from '../../support/boards.js';

/** A device following the user's stream and one thread's, from the thread page's snapshot. */
async function deviceOn(url: string, person: { user: { id: string }; api: ApiClient }, threadId: string) {
  const thread = ok(await person.api.get(`/api/boards/threads/${threadId}`));
  const device = new ChatDevice(url, person.api.token!, person.user.id);
  device.cursor.follow(`thread:${threadId}`, thread.seq);
  await device.connect();
  await device.sync();
  return device;
}

/** Reply texts a device applied from the thread's stream, in order. */
const repliesOn = (device: ChatDevice, threadId: string) =>
  device.applied.filter((e) => e.stream === `thread:${threadId}` && e.type === 'reply.created').map((e) => (e.data as any).reply.text as string);
const userEvents = (device: ChatDevice, type: string) => device.applied.filter((e) => e.stream === `user:${device.userId}` && e.type === type).map((e) => e.data as any);

describe('two devices of one user', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SOCKET_EVENTS_PER_SECOND: '1000' });
  });
  afterAll(() => server?.close());

  it('both get each reply and the new unread count live; reading on one moves the other; a reconnect misses nothing', { timeout: 60_000 }, async () => {
    const admin = await server.admin();
    const [reader, writer] = await createUsers(admin, 2);
    const board = await createBoard(admin, { openness: 'open' });
    const thread = await startThread(reader.api, board.id, 'Two devices');
    const phone = await deviceOn(server.url, reader, thread.id);
    const desk = await deviceOn(server.url, reader, thread.id);

    await reply(writer.api, thread.id, 'one');
    await reply(writer.api, thread.id, 'two');
    await waitFor(() => [phone, desk].every((d) => repliesOn(d, thread.id).length === 2), { what: 'both devices to show both replies' });
    // The author watches their thread: each device hears its board's unread count go up.
    for (const device of [phone, desk]) {
      expect(userEvents(device, 'board.unread').map((u) => [u.threadId, u.lastNumber, u.readNumber, u.unreadThreads])).toEqual([
        [thread.id, 1, 0, 1],
        [thread.id, 2, 0, 1],
      ]);
    }

    ok(await reader.api.post(`/api/boards/threads/${thread.id}/read`, { number: 2 }));
    await waitFor(() => userEvents(desk, 'board.read').length === 1, { what: 'the desk to hear of the read position' });
    expect(userEvents(desk, 'board.read')[0]).toMatchObject({ threadId: thread.id, readNumber: 2, unread: { boardId: board.id, unreadThreads: 0 } });
    ok(await reader.api.put(`/api/boards/threads/${thread.id}/subscription`, { level: 'tracking' }));
    await waitFor(() => userEvents(phone, 'board.subscription').length === 1, { what: 'the phone to hear of the new level' });

    // The phone goes away; what happens meanwhile arrives once it is back, in order, exactly once.
    phone.socket.disconnect();
    for (const text of ['three', 'four', 'five']) await reply(writer.api, thread.id, text);
    await waitFor(() => repliesOn(desk, thread.id).length === 5, { what: 'the desk to show five replies' });
    expect(repliesOn(phone, thread.id)).toEqual(['one', 'two']);
    phone.socket.connect();
    await waitFor(() => repliesOn(phone, thread.id).length === 5, { what: 'the phone to catch up' });
    for (const device of [phone, desk]) {
      expect(repliesOn(device, thread.id)).toEqual(['one', 'two', 'three', 'four', 'five']);
      expect(userEvents(device, 'board.unread').at(-1)).toMatchObject({ lastNumber: 5, readNumber: 2, unreadThreads: 1 });
    }
    phone.close();
    desk.close();
  });
});

describe('catch-up across a killed server process', () => {
  it('replies posted around a SIGKILL and a restart reach every device exactly once, in order', { timeout: 120_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    const port = String(await freePort());
    const env = { DATABASE_URL: databaseUrl, PORT: port, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SOCKET_EVENTS_PER_SECOND: '1000', CLIENT_DIST: '/nonexistent' };
    let proc = await startServerProcess(env);
    const url = `http://127.0.0.1:${port}`;
    try {
      const admin = new ApiClient(url);
      await admin.login(ADMIN.email, ADMIN.password);
      const [reader, writer] = await createUsers(admin, 2);
      const board = await createBoard(admin, { openness: 'open' });
      const thread = await startThread(reader.api, board.id, 'Through a crash');
      const devices = [await deviceOn(url, reader, thread.id), await deviceOn(url, reader, thread.id)];
      const expected: string[] = [];
      for (let i = 0; i < 12; i++) {
        if (i === 6) {
          await proc.stop('SIGKILL');
          proc = await startServerProcess(env);
        }
        // Posted between the kill and the restart's readiness, a reply is refused (no answer, or 503): it is sent again.
        const text = `r${i}`;
        await waitFor(async () => (await writer.api.post(`/api/boards/threads/${thread.id}/replies`, { body: textBody(text) })).status === 201, {
          timeoutMs: 30_000,
          intervalMs: 100,
          what: `reply ${text} to be stored`,
        });
        expected.push(text);
      }
      await waitFor(
        async () => {
          await Promise.all(devices.map((d) => d.sync()));
          return devices.every((d) => repliesOn(d, thread.id).length >= expected.length);
        },
        { timeoutMs: 30_000, intervalMs: 100, what: 'every device to hold every reply' },
      );
      for (const device of devices) expect(repliesOn(device, thread.id)).toEqual(expected);
      devices.forEach((d) => d.close());
    } finally {
      const code = await proc.stop('SIGTERM');
      expect(code, proc.output()).toBe(0);
    }
  });
});
