import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { connectSocket, emitWithAck, type TestSocket } from '../../support/sockets.js';
import { createUsers, sendText } from '../../support/chat.js';

let server: TestServer;
let api: ApiClient;
let socket: TestSocket;
let group: any;
let message: any;

beforeAll(async () => {
  server = await startTestServer({ SOCKET_EVENTS_PER_SECOND: '100000' });
  const users = await createUsers(await server.admin(), 2);
  api = users[0].api;
  group = ok(await api.post('/api/conversations', { name: 'fuzz', memberIds: [users[1].user.id] }), 201);
  message = await sendText(api, group.id, 'target');
  socket = await connectSocket(server.url, { token: api.token });
});
afterAll(async () => {
  socket?.close();
  await server?.close();
});

// Values that look almost right: real ids mixed with junk of every JSON type.
const idLike = () => fc.oneof(fc.constant(group.id), fc.constant(message.id), fc.string(), fc.integer(), fc.constant('0'), fc.constant('99999999999999999999'), fc.constant(null));
const junk = fc.anything({ maxDepth: 3, withBigInt: false });
const bodyLike = () =>
  fc.oneof(
    junk,
    fc.record({ root: fc.oneof(junk, fc.record({ type: fc.constantFrom('root', 'paragraph', 'x'), children: fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 3 }) })) }),
  );
const payload = () =>
  fc.oneof(
    junk,
    fc.record(
      { conversationId: idLike(), messageId: idLike(), clientId: fc.oneof(fc.string(), fc.uuid()), body: bodyLike(), replyToId: idLike(), typing: fc.anything({ maxDepth: 1 }), streams: junk },
      { requiredKeys: [] },
    ),
  );

describe('malformed payloads', () => {
  it('every chat socket event answers an error acknowledgement (never a crash or an internal error)', async () => {
    const events = ['message:send', 'message:edit', 'message:delete', 'conversation:read', 'conversation:typing', 'conversations:list', 'sync'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...events), payload(), async (event, data) => {
        const ack = await emitWithAck(socket, event, data);
        if (!ack.ok) expect(ack.error.code).not.toBe('internal');
        expect(socket.connected).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('every chat endpoint answers 4xx with a code for junk (never 5xx)', async () => {
    const endpoints: [string, (id: string, mid: string) => string][] = [
      ['POST', () => '/api/conversations'],
      ['POST', () => '/api/conversations/direct'],
      ['PATCH', (id) => `/api/conversations/${id}`],
      ['POST', (id) => `/api/conversations/${id}/members`],
      ['PATCH', (id, mid) => `/api/conversations/${id}/members/${mid}`],
      ['POST', (id) => `/api/conversations/${id}/messages`],
      ['PATCH', (id, mid) => `/api/conversations/${id}/messages/${mid}`],
      ['POST', (id) => `/api/conversations/${id}/read`],
      ['GET', (id) => `/api/conversations/${id}/messages?before=${encodeURIComponent(String(Math.random()))}`],
    ];
    const before = ok(await api.get(`/api/conversations/${group.id}/messages?limit=100`)).items.length;
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: endpoints.length - 1 }), fc.oneof(fc.constant(group.id), fc.string({ maxLength: 12 })), payload(), async (i, id, body) => {
        const [method, path] = endpoints[i];
        const res = await api.request(method, path(encodeURIComponent(id) || 'x', message.id), method === 'GET' ? undefined : JSON.stringify(body ?? null));
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
        if (res.status >= 400) expect(res.body.error.code).toEqual(expect.any(String));
        if (res.status === 201 && i === 5 && id === group.id) stored++;
      }),
      { numRuns: 300 },
    );
    // Refused requests stored nothing: the history grew by exactly the sends that were accepted.
    const after = ok(await api.get(`/api/conversations/${group.id}/messages?limit=100`)).items.length;
    expect(after - before).toBe(stored);
  }, 120_000);
});
