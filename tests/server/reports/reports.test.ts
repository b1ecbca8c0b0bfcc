import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok } from '../../support/api.js';
import { buildOrg } from '../../support/org.js';
import { textBody } from '../../support/chat.js';
import { SmtpSink } from '../../support/smtpSink.js';
import { TWILIO, TwilioStandIn } from '../../support/twilioStandIn.js';
import { connectSocket, emitWithAck, waitForEvent, type TestSocket } from '../../support/sockets.js';
import { eventually, fastJobsEnv } from '../../support/timing.js';
import { dayFromToday, markPassage, replaceText, timeFromNow } from '../../support/reports.js';

let server: TestServer;
let org: Awaited<ReturnType<typeof buildOrg>>;
const sink = new SmtpSink();
const twilio = new TwilioStandIn();
const sockets: TestSocket[] = [];
const MOBILE = '+8613900139123';

beforeAll(async () => {
  await sink.start();
  await twilio.start();
  server = await startTestServer({
    ...fastJobsEnv, SMTP_URL: sink.url, MAIL_FROM: 'Huitong <noreply@huitong.test>',
    TWILIO_ACCOUNT_SID: TWILIO.accountSid, TWILIO_AUTH_TOKEN: TWILIO.authToken, TWILIO_FROM: TWILIO.from, TWILIO_API_BASE_URL: twilio.url,
  });
  org = await buildOrg(await server.admin(), { locale: 'en' });
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
  await sink.stop();
  await twilio.stop();
});

const socketOf = async (api: { token?: string }, streams: Record<string, number>) => {
  const socket = await connectSocket(server.url, { token: api.token });
  sockets.push(socket);
  const ack = await emitWithAck(socket, 'sync', { streams });
  return { socket, ack };
};

describe('a daily report from the schedule to the superior’s annotation and back', () => {
  it('drafts from the schedule, submits to the superiors and the copied, records reads and carries passage annotations and replies live, by e-mail and SMS, respecting quiet hours', async () => {
    const { a, b, c, e, m, s } = org;
    const day = dayFromToday(1);
    ok(await a.api.patch('/api/me', { mobile: MOBILE }));
    ok(await a.api.patch('/api/me/notification-settings', { preferences: { annotation: { email: true, sms: true } } }));

    // The salesperson's day: two entries with results, one with a customer.
    const customer = ok(await a.api.post('/api/customers', { name: 'Reported Co', type: 'end_customer', tier: 'gold' }), 201);
    const visit = ok(await a.api.post('/api/schedule/entries', { kind: 'visit', title: 'Visit Reported Co', start: `${day}T10:00`, end: `${day}T11:00`, customerId: customer.id }), 201);
    const call = ok(await a.api.post('/api/schedule/entries', { kind: 'call', title: 'Call the supplier', start: `${day}T15:00`, end: `${day}T15:30` }), 201);
    ok(await a.api.put(`/api/schedule/entries/${visit.id}/result`, { result: textBody('Signed the framework contract') }));
    ok(await a.api.put(`/api/schedule/entries/${call.id}/result`, { result: textBody('Prices hold until March') }));

    const opened = await a.api.post('/api/reports', { kind: 'daily', date: day });
    expect(opened.status).toBe(201);
    const draft = opened.body.data;
    expect(draft).toMatchObject({ status: 'draft', kind: 'daily', periodStart: day, periodEnd: day, can: { edit: true, submit: true } });
    expect(draft.sections.map((x: any) => x.key)).toEqual(['done', 'customers', 'plan', 'help']);
    expect((await a.api.post('/api/reports', { kind: 'daily', date: day })).status).toBe(200);
    // A draft is its author's alone.
    for (const other of [e, m, b]) expect((await other.api.get(`/api/reports/${draft.id}`)).status).toBe(404);

    const drafted = ok(await a.api.post(`/api/reports/${draft.id}/draft-from-schedule`));
    expect(drafted.filled).toEqual(['done', 'plan']);
    const doneText = JSON.stringify(drafted.report.content.done);
    expect(doneText).toContain('Visit Reported Co');
    expect(doneText).toContain('Signed the framework contract');
    expect(doneText).toContain('Reported Co');
    expect(drafted.report.links).toEqual(expect.arrayContaining([{ entryId: visit.id, entryTitle: 'Visit Reported Co', customer: { id: customer.id, name: 'Reported Co' } }, expect.objectContaining({ entryId: call.id, customer: null })]));

    // Autosave: from the revision the editor holds; an older one is refused and changes nothing.
    const saved = ok(await a.api.patch(`/api/reports/${draft.id}`, { revision: drafted.report.revision, content: { help: textBody('Need the new price list') }, ccUserIds: [c.user.id] }));
    expect(saved.revision).toBe(drafted.report.revision + 1);
    const stale = await a.api.patch(`/api/reports/${draft.id}`, { revision: drafted.report.revision, content: { help: textBody('lost') } });
    expect(stale.status).toBe(409);
    expect(JSON.stringify(ok(await a.api.get(`/api/reports/${draft.id}`)).content.help)).toContain('Need the new price list');

    const { socket: authorSocket } = await socketOf(a.api, { [`report:${draft.id}`]: 0, [`user:${a.user.id}`]: 0 });
    const headSocket = (await socketOf(e.api, { [`user:${e.user.id}`]: 0 })).socket;

    const submitted = ok(await a.api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));
    expect(submitted).toMatchObject({ status: 'submitted', late: false });
    expect(submitted.receivers.map((r: any) => [r.user.id, r.role])).toEqual([[e.user.id, 'superior'], [m.user.id, 'superior'], [c.user.id, 'cc']]);
    expect((await a.api.post(`/api/reports/${draft.id}/submit`, { revision: submitted.revision })).status).toBe(409);
    // The direct head and the copied are told; the head above is not.
    const sent = await waitForEvent(headSocket, (ev) => ev.type === 'notification.created' && (ev.data as any).notification.kind === 'report');
    expect((sent.data as any).notification).toMatchObject({ link: `/reports/${draft.id}`, data: { reportId: draft.id } });
    expect(ok(await c.api.get('/api/notifications?limit=5')).items.map((n: any) => n.kind)).toContain('report');
    expect(ok(await m.api.get('/api/notifications?limit=5')).items.map((n: any) => n.kind)).not.toContain('report');
    // The customer's feed says the report mentions it.
    const feed = ok(await b.api.get(`/api/customers/${customer.id}/feed`));
    expect(feed.items[0]).toMatchObject({ kind: 'report', actor: { id: a.user.id }, data: { reportId: draft.id, periodStart: day, entries: ['Visit Reported Co'] } });

    // The inbox of the head: newest first, unread until opened.
    const inbox = ok(await e.api.get('/api/reports/inbox?limit=10'));
    expect(inbox.items[0]).toMatchObject({ id: draft.id, unread: true, author: { id: a.user.id } });
    expect(ok(await e.api.get('/api/reports/inbox?status=read')).items.map((r: any) => r.id)).not.toContain(draft.id);

    // 已阅 reaches the author live; opening again changes nothing.
    const read = ok(await e.api.post(`/api/reports/${draft.id}/read`));
    const readEvent = await waitForEvent(authorSocket, (ev) => ev.type === 'report.read');
    expect(readEvent.data).toMatchObject({ reportId: draft.id, reader: { id: e.user.id }, readAt: read.readAt });
    expect(ok(await e.api.post(`/api/reports/${draft.id}/read`)).readAt).toBe(read.readAt);
    expect(ok(await a.api.post(`/api/reports/${draft.id}/read`)).readAt).toBeNull();
    const afterRead = ok(await a.api.get(`/api/reports/${draft.id}`));
    expect(afterRead.reads.map((r: any) => r.user.id)).toEqual([e.user.id]);
    expect(ok(await e.api.get('/api/reports/inbox?status=unread')).items.map((r: any) => r.id)).not.toContain(draft.id);

    // The head marks a passage of "done" and annotates it.
    const passage = 'Signed the framework contract';
    const marked = markPassage(afterRead.content.done, passage, 'mk-head-1');
    const annotation = ok(await e.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('Send me the contract'), anchor: { sectionKey: 'done', markId: 'mk-head-1', revision: afterRead.revision, document: marked } }), 201);
    expect(annotation.anchor).toEqual({ sectionKey: 'done', markId: 'mk-head-1', quote: passage, state: 'intact' });
    const live = await waitForEvent(authorSocket, (ev) => ev.type === 'annotation.created');
    expect((live.data as any).annotation).toMatchObject({ id: annotation.id, text: 'Send me the contract', anchor: { quote: passage } });
    await waitForEvent(authorSocket, (ev) => ev.type === 'notification.created' && (ev.data as any).notification.kind === 'annotation');
    const mail = await eventually(() => sink.to(a.user.email).find((x) => x.parsed.text?.includes('Send me the contract')), { what: 'the annotation e-mail' });
    expect(mail.parsed.subject).toContain('annotated the daily report');
    await eventually(() => twilio.accepted(MOBILE).some((r) => r.body.includes('Send me the contract')), { what: 'the annotation SMS' });
    const withMark = ok(await a.api.get(`/api/reports/${draft.id}`));
    expect(JSON.stringify(withMark.content.done)).toContain('"ids":["mk-head-1"]');
    expect(withMark.annotations[0]).toMatchObject({ id: annotation.id, can: { resolve: true, reply: true, edit: false } });

    // Anchors that do not point into the report are refused and change nothing.
    const badAnchors = [
      [{ sectionKey: 'done', markId: 'mk-2', revision: afterRead.revision, document: marked }, 409],
      [{ sectionKey: 'nope', markId: 'mk-2', revision: withMark.revision, document: marked }, 400, 'unknown_section'],
      [{ sectionKey: 'done', markId: 'mk-2', revision: withMark.revision, document: markPassage(replaceText(withMark.content.done, 'March', 'April'), 'April', 'mk-2') }, 400, 'anchor_mismatch'],
      [{ sectionKey: 'done', markId: 'mk-2', revision: withMark.revision, document: markPassage(afterRead.content.done, 'Prices hold', 'mk-2') }, 400, 'anchor_mismatch'],
      [{ sectionKey: 'done', markId: 'mk-head-1', revision: withMark.revision, document: withMark.content.done }, 400, 'mark_id_taken'],
      [{ sectionKey: 'done', markId: 'mk-3', revision: withMark.revision, document: withMark.content.done }, 400, 'anchor_not_in_report'],
      [{ sectionKey: 'done', markId: 'mk-3', revision: withMark.revision, document: { root: 'nope' } }, 400, 'invalid_rich_text'],
    ] as const;
    for (const [anchor, status, code] of badAnchors) {
      const res = await e.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('x'), anchor });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (code) expect(res.body.error.details.map((d: any) => d.code)).toContain(code);
    }
    expect(ok(await a.api.get(`/api/reports/${draft.id}`)).revision).toBe(withMark.revision);

    // Who may annotate: receivers only (the head above, a superior of a receiver reads but may not, a peer sees nothing).
    ok(await m.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('Good week') }), 201);
    expect((await s.api.get(`/api/reports/${draft.id}`)).status).toBe(200);
    expect((await s.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('me') })).status).toBe(403);
    expect((await a.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('self') })).status).toBe(403);
    expect((await b.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('peer') })).status).toBe(404);

    // The author replies; the head hears of it live, the other annotator (not in the thread) does not.
    const reply = ok(await a.api.post(`/api/annotations/${annotation.id}/replies`, { body: textBody('Attached in the shared folder') }), 201);
    await waitForEvent(headSocket, (ev) => ev.type === 'notification.created' && (ev.data as any).notification.body === 'Attached in the shared folder');
    expect(ok(await m.api.get('/api/notifications?limit=10')).items.map((n: any) => n.body)).not.toContain('Attached in the shared folder');
    const thread = ok(await e.api.get(`/api/annotations/${reply.id}`));
    expect(thread).toMatchObject({ id: annotation.id, replies: [{ id: reply.id, text: 'Attached in the shared folder' }] });

    // Quiet hours: the next annotation's e-mail waits until they end.
    ok(await a.api.patch('/api/me/notification-settings', { quietHours: { start: timeFromNow(-60), end: timeFromNow(60), weekends: false } }));
    const quiet = ok(await e.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('Call me tomorrow') }), 201);
    const [delivery] = await server.orm.em.fork().execute<{ status: string; not_before: Date }[]>(
      `SELECT d.status, d.not_before FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.recipient_id = ? AND n.data->>'annotationId' = ? AND d.channel = 'email'`,
      [a.user.id, quiet.id],
    );
    expect(delivery.status).toBe('queued');
    expect(new Date(delivery.not_before).getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    ok(await a.api.patch('/api/me/notification-settings', { quietHours: null }));

    // Editing after it was read keeps the earlier version; the mark follows the passage.
    const beforeEdit = ok(await a.api.get(`/api/reports/${draft.id}`));
    const edited = ok(await a.api.patch(`/api/reports/${draft.id}`, { revision: beforeEdit.revision, content: { help: textBody('Solved') } }));
    expect(edited.version).toBe(2);
    expect(edited.versions).toEqual([{ version: 1, savedAt: expect.any(String) }]);
    expect(JSON.stringify(ok(await e.api.get(`/api/reports/${draft.id}/versions/1`)).content.help)).toContain('Need the new price list');
    const changed = ok(await a.api.patch(`/api/reports/${draft.id}`, { revision: edited.revision, content: { done: replaceText(edited.content.done, 'framework contract', 'framework deal') } }));
    expect(changed.annotations.find((x: any) => x.id === annotation.id).anchor).toMatchObject({ quote: passage, state: 'changed' });
    expect(changed.version).toBe(2);

    // The writer edits; nobody else may. The author resolves; the writer may not.
    expect((await a.api.patch(`/api/annotations/${annotation.id}`, { body: textBody('hijack') })).status).toBe(403);
    expect((await b.api.patch(`/api/annotations/${annotation.id}`, { body: textBody('hijack') })).status).toBe(404);
    expect(ok(await e.api.patch(`/api/annotations/${annotation.id}`, { body: textBody('Send me the signed contract') })).editedAt).not.toBeNull();
    expect((await e.api.post(`/api/annotations/${annotation.id}/resolve`)).status).toBe(403);
    expect(ok(await a.api.post(`/api/annotations/${annotation.id}/resolve`)).resolvedBy.id).toBe(a.user.id);
    expect((await a.api.post(`/api/annotations/${annotation.id}/resolve`)).status).toBe(409);
    const changedEvent = await waitForEvent(authorSocket, (ev) => ev.type === 'annotation.changed' && (ev.data as any).annotation.resolvedAt);
    expect((changedEvent.data as any).annotation.id).toBe(annotation.id);

    // Deleting it leaves a placeholder for its reply and takes the mark out of the text.
    ok(await e.api.delete(`/api/annotations/${annotation.id}`));
    const afterDelete = ok(await a.api.get(`/api/reports/${draft.id}`));
    expect(afterDelete.annotations.find((x: any) => x.id === annotation.id)).toMatchObject({ deleted: true, body: null, replies: [{ id: reply.id }] });
    expect(JSON.stringify(afterDelete.content.done)).not.toContain('mk-head-1');
    expect((await e.api.patch(`/api/annotations/${annotation.id}`, { body: textBody('again') })).status).toBe(404);

    // Taking someone off the copy list takes the report away from them: page, annotations, stream, notification link.
    const { socket: ccSocket, ack } = await socketOf(c.api, { [`report:${draft.id}`]: 0 });
    expect(ack.ok && ack.data.refused).toEqual([]);
    const ccNotification = ok(await c.api.get('/api/notifications?limit=5')).items.find((n: any) => n.kind === 'report');
    ok(await a.api.patch(`/api/reports/${draft.id}`, { revision: afterDelete.revision, ccUserIds: [] }));
    // The notification's link opens the report page, which asks the API for the report.
    expect(ccNotification.link).toBe(`/reports/${draft.id}`);
    expect((await c.api.get(`/api${ccNotification.link}`)).status).toBe(404);
    expect((await c.api.get(`/api/reports/${draft.id}`)).status).toBe(404);
    expect((await c.api.get(`/api/reports/${draft.id}/annotations`)).status).toBe(404);
    expect((await c.api.get(`/api/annotations/${reply.id}`)).status).toBe(404);
    expect((await c.api.get(`/api/reports/${draft.id}/versions/1`)).status).toBe(404);
    expect((await c.api.post(`/api/annotations/${reply.id}/replies`, { body: textBody('still here?') })).status).toBe(404);
    expect((await c.api.post(`/api/reports/${draft.id}/read`)).status).toBe(404);
    await eventually(async () => !(await server.io.in(`report:${draft.id}`).fetchSockets()).some((x) => x.id === ccSocket.id), { what: 'the copied user’s socket to leave the report’s room' });
    const resync = await emitWithAck(ccSocket, 'sync', { streams: { [`report:${draft.id}`]: 0 } });
    expect(resync.ok && resync.data.refused).toEqual([`report:${draft.id}`]);

    // Exports hold what the reader may read, nothing more.
    const csv = await fetch(`${server.url}/api/reports/export?from=${day}&to=${day}`, { headers: { authorization: `Bearer ${e.api.token}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain(a.user.email);
    const peerCsv = await (await fetch(`${server.url}/api/reports/export?from=${day}&to=${day}`, { headers: { authorization: `Bearer ${b.api.token}` } })).text();
    expect(peerCsv).not.toContain(a.user.email);
    expect(peerCsv.split('\r\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('refusals', () => {
  it('bad content, missing sections, far or closed periods, other people’s reports and unknown ids change nothing', async () => {
    const { a, b, e } = org;
    const day = dayFromToday(2);
    const draft = ok(await b.api.post('/api/reports', { kind: 'daily', date: day }), 201);
    const rev = draft.revision;
    const refused = async (res: { status: number; body: any }, status: number, code?: string) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (code) expect(res.body.error.details.map((d: any) => d.code)).toContain(code);
    };
    await refused(await b.api.patch(`/api/reports/${draft.id}`, { revision: rev, content: { done: { root: { type: 'root', children: [{ type: 'script' }] } } } }), 400, 'invalid_rich_text');
    await refused(await b.api.patch(`/api/reports/${draft.id}`, { revision: rev, content: { secret: textBody('x') } }), 400, 'unknown_section');
    await refused(await b.api.patch(`/api/reports/${draft.id}`, { revision: rev, ccUserIds: ['999999'] }), 400, 'unknown_user');
    await refused(await b.api.patch(`/api/reports/${draft.id}`, { revision: rev, ccDepartmentIds: ['999999'] }), 400, 'unknown_department');
    await refused(await b.api.post(`/api/reports/${draft.id}/submit`, { revision: rev }), 400, 'required');
    // A mark nobody's annotation made is dropped from what the author saves.
    const forged = ok(await b.api.patch(`/api/reports/${draft.id}`, { revision: rev, content: { done: markPassage(textBody('all done'), 'done', 'forged'), plan: textBody('more') } }));
    expect(JSON.stringify(forged.content.done)).not.toContain('forged');
    expect(forged.revision).toBe(rev + 1);
    // Someone else's report: a superior may read it (once submitted) but never change it; a peer gets 404.
    await refused(await a.api.patch(`/api/reports/${draft.id}`, { revision: forged.revision, content: { done: textBody('mine now') } }), 404);
    await refused(await a.api.post(`/api/reports/${draft.id}/submit`, { revision: forged.revision }), 404);
    ok(await b.api.post(`/api/reports/${draft.id}/submit`, { revision: forged.revision }));
    await refused(await e.api.patch(`/api/reports/${draft.id}`, { revision: forged.revision + 1, content: { done: textBody('edited by the head') } }), 403);
    await refused(await e.api.post(`/api/reports/${draft.id}/draft-from-schedule`), 403);
    await refused(await b.api.post(`/api/reports/${draft.id}/draft-from-schedule`), 409);
    // Periods too far ahead or closed.
    await refused(await b.api.post('/api/reports', { kind: 'daily', date: dayFromToday(30) }), 400, 'too_far_ahead');
    await refused(await b.api.post('/api/reports', { kind: 'weekly', date: dayFromToday(-90) }), 400, 'period_closed');
    await refused(await b.api.post('/api/reports', { kind: 'yearly', date: day }), 400);
    await refused(await b.api.post('/api/reports', { kind: 'daily', date: '2026-02-30' }), 400);
    // Unknown and malformed ids are 404, whoever asks.
    for (const path of ['/api/reports/999999', '/api/reports/abc', '/api/reports/999999/annotations', '/api/annotations/999999', `/api/reports/${draft.id}/versions/7`, `/api/reports/${draft.id}/versions/x`]) {
      await refused(await e.api.get(path), 404);
    }
    const after = ok(await b.api.get(`/api/reports/${draft.id}`));
    expect(JSON.stringify(after.content.done)).toContain('all done');
    expect(after.status).toBe('submitted');
  });

  it('copied to a department, a report reaches its members and head, who may annotate; taken off, they lose it', async () => {
    const { a, b, c, s, departments } = org;
    const draft = ok(await b.api.post('/api/reports', { kind: 'monthly', date: dayFromToday(0) }));
    const saved = ok(await b.api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody('month done'), plan: textBody('month plan') }, ccDepartmentIds: [departments.support.id] }));
    expect(saved.ccDepartments).toEqual([{ id: departments.support.id, name: departments.support.name }]);
    const submitted = ok(await b.api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));
    expect(submitted.receivers.map((r: any) => r.role)).not.toContain('cc_department');
    for (const who of [c, s]) {
      expect(ok(await who.api.get('/api/reports/inbox')).items.map((r: any) => r.id)).toContain(draft.id);
      expect(ok(await who.api.get('/api/notifications?limit=10')).items.some((n: any) => n.data?.reportId === draft.id)).toBe(true);
    }
    ok(await c.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('Noted by support') }), 201);
    expect((await a.api.get(`/api/reports/${draft.id}`)).status).toBe(404);
    ok(await b.api.patch(`/api/reports/${draft.id}`, { revision: ok(await b.api.get(`/api/reports/${draft.id}`)).revision, ccDepartmentIds: [] }));
    expect((await c.api.get(`/api/reports/${draft.id}`)).status).toBe(404);
    expect(ok(await c.api.get('/api/reports/inbox')).items.map((r: any) => r.id)).not.toContain(draft.id);
  });

  it('the report stream refuses everyone the reading rule refuses, on sync', async () => {
    const { a, b, c } = org;
    const draft = ok(await a.api.post('/api/reports', { kind: 'weekly', date: dayFromToday(0) }), 201);
    const stream = `report:${draft.id}`;
    for (const who of [b, c]) {
      const { ack } = await socketOf(who.api, { [stream]: 0 });
      expect(ack.ok && ack.data.refused).toEqual([stream]);
    }
    // The author follows their own draft.
    expect((await socketOf(a.api, { [stream]: 0 })).ack).toMatchObject({ ok: true, data: { refused: [] } });
  });
});
