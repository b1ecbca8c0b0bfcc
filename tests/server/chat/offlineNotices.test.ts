import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { connectSocket, type TestSocket } from '../../support/sockets.js';
import { createUsers, mentionBody, sendText } from '../../support/chat.js';

let server: TestServer;
let u: { user: any; api: ApiClient }[];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  u = await createUsers(await server.admin(), 5);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
});

const directNotices = async (api: ApiClient) => (ok(await api.get('/api/notifications')).items as any[]).filter((n) => n.kind === 'direct_message');

describe('direct messages to someone offline', () => {
  it('notify them once per conversation until read, in the app and by e-mail per their preferences', async () => {
    const [sender, recipient] = [u[0], u[1]];
    const direct = ok(await sender.api.post('/api/conversations/direct', { userId: recipient.user.id }));
    const first = await sendText(sender.api, direct.id, '在吗？明天拜访客户的资料发你了');
    // The notice is settled when the sender hears back.
    const [notice] = await directNotices(recipient.api);
    expect(notice).toMatchObject({ title: sender.user.displayName, body: first.text, link: `/chat/${direct.id}?message=${first.id}`, readAt: null });
    const deliveries = ok(await recipient.api.get(`/api/notifications/${notice.id}/deliveries`)).deliveries as any[];
    expect(deliveries.map((d) => d.channel)).toEqual(['email']);

    // More messages while that one is unread add nothing.
    await sendText(sender.api, direct.id, '第二条');
    expect(await directNotices(recipient.api)).toHaveLength(1);

    // Once read, the next message notifies again.
    ok(await recipient.api.post('/api/notifications/read', { ids: [notice.id] }));
    const third = await sendText(sender.api, direct.id, '第三条');
    const notices = await directNotices(recipient.api);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatchObject({ link: `/chat/${direct.id}?message=${third.id}`, readAt: null });
  });

  it('do not notify someone with a device connected, nor the members of a group, nor twice when the message mentions them', async () => {
    const [sender, online, mentioned, member] = [u[0], u[2], u[3], u[4]];
    const socket = await connectSocket(server.url, { token: online.api.token });
    sockets.push(socket);
    const toOnline = ok(await sender.api.post('/api/conversations/direct', { userId: online.user.id }));
    await sendText(sender.api, toOnline.id, 'you are online');
    expect(await directNotices(online.api)).toEqual([]);

    const group = ok(await sender.api.post('/api/conversations', { name: '小组', memberIds: [member.user.id] }), 201);
    await sendText(sender.api, group.id, 'to the group');
    expect(await directNotices(member.api)).toEqual([]);

    const toMentioned = ok(await sender.api.post('/api/conversations/direct', { userId: mentioned.user.id }));
    ok(await sender.api.post(`/api/conversations/${toMentioned.id}/messages`, { clientId: 'mention-offline-1', body: mentionBody('看一下 ', { id: mentioned.user.id, displayName: mentioned.user.displayName }) }), 201);
    const kinds = (ok(await mentioned.api.get('/api/notifications')).items as any[]).map((n) => n.kind);
    expect(kinds).toEqual(['mention']);
  });
});
