import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { mentionBody, textBody } from '../../support/chat.js';
import { SmtpSink } from '../../support/smtpSink.js';
import { connectSocket, emitWithAck, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { eventually, fastJobsEnv, localIn } from '../../support/timing.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;
const sink = new SmtpSink();
const sockets: TestSocket[] = [];

beforeAll(async () => {
  await sink.start();
  server = await startTestServer({ ...fastJobsEnv, SMTP_URL: sink.url, MAIL_FROM: 'Huitong <noreply@huitong.test>' });
  org = await buildOrg(await server.admin(), { locale: 'en' });
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
  await sink.stop();
});

describe('annotations', () => {
  it('a superior’s annotation reaches the owner live and by e-mail, shows in the customer feed, and the thread continues with replies', async () => {
    const { a, b, e, m } = org;
    const acme = ok(await a.api.post('/api/customers', { name: 'Annotated Co', type: 'partner', prospectClass: 'A' }), 201);
    const visit = ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: 'Visit Annotated Co', start: '2026-03-02T10:00', end: '2026-03-02T11:00', customerId: acme.id }), 201);
    const socket = await connectSocket(server.url, { token: a.api.token });
    sockets.push(socket);
    await emitWithAck(socket, 'sync', { streams: { [`user:${a.user.id}`]: 0 } });

    const annotation = ok(await e.api.post(`/api/schedule/entries/${visit.id}/annotations`, { body: textBody('Bring the price list next time') }), 201);
    const pushed = await waitForEvent(socket, (ev) => ev.type === 'notification.created' && (ev.data as any).notification.kind === 'annotation');
    expect((pushed.data as any).notification).toMatchObject({ title: `${e.user.displayName} annotated “Visit Annotated Co”`, body: 'Bring the price list next time' });
    const [mail] = await eventually(() => (sink.to(a.user.email).length ? sink.to(a.user.email) : null), { what: 'the annotation e-mail' });
    expect(mail.parsed.text).toContain('Bring the price list next time');

    const feed = ok(await b.api.get(`/api/customers/${acme.id}/feed`));
    expect(feed.items[0]).toMatchObject({ kind: 'annotation', text: 'Bring the price list next time', entryId: visit.id, actor: { id: e.user.id } });

    // The owner and superiors reply; a peer who cannot see the entry gets 404, replies to replies are not a thing.
    const reply = ok(await a.api.post(`/api/schedule/annotations/${annotation.id}/replies`, { body: textBody('Will do') }), 201);
    ok(await m.api.post(`/api/schedule/annotations/${annotation.id}/replies`, { body: textBody('Agreed') }), 201);
    expect((await b.api.post(`/api/schedule/annotations/${annotation.id}/replies`, { body: textBody('me too') })).status).toBe(404);
    expect((await a.api.post(`/api/schedule/annotations/${reply.id}/replies`, { body: textBody('nested') })).status).toBe(404);
    expect((await a.api.post(`/api/schedule/annotations/${annotation.id}/replies`, { body: { root: 'nope' } })).status).toBe(400);
    const thread = ok<any[]>(await m.api.get(`/api/schedule/entries/${visit.id}/annotations`));
    expect(thread).toHaveLength(1);
    expect(thread[0].replies.map((r: any) => r.text)).toEqual(['Will do', 'Agreed']);
    expect(ok(await a.api.get(`/api/schedule/entries/${visit.id}`)).annotationCount).toBe(1);
    // The annotator hears of the owner's reply.
    const notes = ok(await e.api.get('/api/notifications?limit=5')).items;
    expect(notes.map((n: any) => n.body)).toEqual(expect.arrayContaining(['Will do', 'Agreed']));
  });
});

describe('mentions in annotations', () => {
  it('notify the mentioned who may see the entry, once, and nobody who may not', async () => {
    const { a, b, c, e, m } = org;
    const call = ok(await a.api.post('/api/schedule/entries', { kind: 'call', title: 'Call about the tender', start: '2026-03-03T10:00', end: '2026-03-03T10:30' }), 201);
    const mentionsOf = async (who: typeof a) => ok(await who.api.get('/api/notifications?limit=20')).items.filter((n: any) => n.kind === 'mention' && n.data?.entryId === call.id);
    // Mentions m (a superior of the owner: sees it), b (a peer: does not) and a (the owner, told by the annotation itself).
    const body = mentionBody('Ask ', m.user) as any;
    body.root.children[0].children.push({ type: 'mention', version: 1, userId: b.user.id, name: 'b' }, { type: 'mention', version: 1, userId: a.user.id, name: 'a' });
    const annotation = ok(await e.api.post(`/api/schedule/entries/${call.id}/annotations`, { body }), 201);
    await eventually(async () => ((await mentionsOf(m)).length === 1 ? true : null), { what: 'the mention of m' });
    expect((await mentionsOf(m))[0]).toMatchObject({ title: `${e.user.displayName} mentioned you on “Call about the tender”`, data: { annotationId: annotation.id } });
    expect(await mentionsOf(b)).toEqual([]);
    expect(await mentionsOf(a)).toEqual([]);
    // A reply mentioning e (in the thread, told anyway) and c (another department) adds no mention notification.
    const reply = mentionBody('Done, ', e.user) as any;
    reply.root.children[0].children.push({ type: 'mention', version: 1, userId: c.user.id, name: 'c' });
    ok(await a.api.post(`/api/schedule/annotations/${annotation.id}/replies`, { body: reply }), 201);
    expect(await mentionsOf(e)).toEqual([]);
    expect(await mentionsOf(c)).toEqual([]);
    expect(await mentionsOf(m)).toHaveLength(1);
  });
});

describe('entry reminders', () => {
  it('fire before the entry through the reminders machinery, by e-mail per the owner’s preferences, and go away when the entry is done', async () => {
    const { b } = org;
    const zone = 'Asia/Shanghai';
    const entry = ok(await b.api.post('/api/schedule/entries', { kind: 'call', title: 'Call the supplier', start: localIn(zone, 62_000), end: localIn(zone, 3_600_000), timeZone: zone, reminderOffsets: [1, 1440] }), 201);
    expect(entry.reminderOffsets).toEqual([1, 1440]);
    const [mail] = await eventually(() => (sink.to(b.user.email).find((x) => x.parsed.subject?.includes('Call the supplier')) ? sink.to(b.user.email) : null), { what: 'the entry reminder e-mail', timeoutMs: 15_000 });
    expect(mail.parsed.subject).toContain('Call the supplier');
    const note = ok(await b.api.get('/api/notifications?limit=1')).items[0];
    expect(note).toMatchObject({ kind: 'reminder', title: 'Call the supplier' });

    const later = ok(await b.api.post('/api/schedule/entries', { kind: 'task', title: 'Later task', start: localIn(zone, 86_400_000 * 3), end: localIn(zone, 86_400_000 * 3 + 3_600_000), timeZone: zone, reminderOffsets: [60] }), 201);
    const reminders = async () => ok<any>(await b.api.get('/api/reminders')).items.filter((r: any) => r.title === 'Later task');
    expect(await reminders()).toHaveLength(1);
    ok(await b.api.put(`/api/schedule/entries/${later.id}/result`, { result: textBody('Done early') }));
    expect(await reminders()).toHaveLength(0);
  });
});
