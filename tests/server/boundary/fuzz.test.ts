/**
 * Fuzzing every route of /api/openapi.json and every socket event the server registers: valid
 * requests generated from their schemas, then mutated (wrong types, control characters, broken
 * Unicode, huge and empty values, odd encodings, content types and headers), sent through real
 * HTTP and Socket.IO as a signed-in administrator who manages a department. Any 5xx, any answer
 * without an error code, a dropped connection or a crash fails the test, with fast-check's seed
 * and the smallest request that did it. FUZZ_SEED replays a run; FUZZ_RUNS changes its size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createDepartment, createUser, PASSWORD } from '../../support/factories.js';
import { sendText, textBody } from '../../support/chat.js';
import { connectSocket, emitWithAck, type TestSocket } from '../../support/sockets.js';
import { arbitraryFor, mutate, nastyValue, type JsonSchema } from '../../support/schemaArbitrary.js';
import { registeredClientEvents } from '../../../server/realtime/server.js';
import { z } from 'zod';
import { dayFromToday, markPassage } from '../../support/reports.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let server: TestServer;
let actor: ApiClient;
let actorEmail: string;
// Fuzzing POST /api/auth/password may change the actor's password (to a generated one strong enough).
let actorPassword = PASSWORD;
const fixtures: Record<string, string[]> = {};

type Operation = { method: string; path: string; parameters: { name: string; in: string; required: boolean; schema: JsonSchema }[]; body?: JsonSchema };
let operations: Operation[] = [];
/**
 * Valid requests for the routes whose rules span fields (a range's end after its start, an entry's
 * end after its start), which values drawn field by field seldom meet: mutated like the generated
 * ones, they take the fuzzing past validation into the commands.
 */
let examples: Record<string, { query?: Record<string, string>; body?: unknown }[]> = {};

beforeAll(async () => {
  server = await startTestServer({ LOG_LEVEL: process.env.FUZZ_LOG ?? 'silent', SOCKET_EVENTS_PER_SECOND: '100000', LOGIN_ATTEMPTS_PER_ADDRESS: '100000', LOGIN_ATTEMPTS_PER_ACCOUNT: '100000' });
  const admin = await server.admin();
  const department = await createDepartment(admin, 'Fuzz');
  const { user: actorUser, api } = await createUser(admin, department.id, { role: 'admin' });
  actor = api;
  actorEmail = actorUser.email;
  const member = await createUser(admin, department.id);
  ok(await admin.patch(`/api/departments/${department.id}`, { managerIds: [actorUser.id] }));
  const group = ok(await actor.post('/api/conversations', { name: 'fuzz', memberIds: [member.user.id] }), 201);
  const message = await sendText(actor, group.id, 'target');
  const customer = ok(await actor.post('/api/customers', { name: 'Fuzz Co', type: 'channel', contacts: [{ name: 'Ann' }] }), 201);
  const ownEntry = ok(await actor.post('/api/schedule/entries', { kind: 'visit', title: 'own', start: '2030-01-01T09:00', end: '2030-01-01T10:00', customerId: customer.id, rrule: 'FREQ=DAILY;COUNT=5' }), 201);
  const memberEntry = ok(await member.api.post('/api/schedule/entries', { kind: 'call', title: 'member', start: '2030-01-02T09:00', end: '2030-01-02T10:00' }), 201);
  const annotation = ok(await actor.post(`/api/schedule/entries/${memberEntry.id}/annotations`, { body: textBody('note') }), 201);
  const reminder = ok(await actor.post('/api/reminders', { title: 'fuzz', dtstart: '2030-01-01T09:00', timeZone: 'Asia/Shanghai', rrule: 'FREQ=DAILY' }), 201);
  ok(await admin.post('/api/notifications/system', { recipientIds: [actorUser.id], title: 'hello' }), 201);
  const notification = ok(await actor.get('/api/notifications')).items[0];
  const [occurrence] = await server.orm.em.fork().execute<{ id: string }[]>(`SELECT id::text AS id FROM reminder_occurrences WHERE reminder_id = ?`, [reminder.id]);
  // Reports: the member's submitted one (the actor heads them: they annotate it), a passage annotation on it, and the actor's own draft.
  const today = dayFromToday(0);
  const memberDraft = ok(await member.api.post('/api/reports', { kind: 'daily', date: today }), 201);
  const memberSaved = ok(await member.api.patch(`/api/reports/${memberDraft.id}`, { revision: memberDraft.revision, content: { done: textBody('visited the fuzz customer'), plan: textBody('plan') } }));
  const memberReport = ok(await member.api.post(`/api/reports/${memberDraft.id}/submit`, { revision: memberSaved.revision }));
  const reportAnnotation = ok(await actor.post(`/api/reports/${memberReport.id}/annotations`, { body: textBody('why?'), anchor: { sectionKey: 'done', markId: 'fuzz-mark', revision: memberReport.revision, document: markPassage(memberReport.content.done, 'fuzz', 'fuzz-mark') } }), 201);
  // Read, then changed: the first version is kept.
  ok(await actor.post(`/api/reports/${memberReport.id}/read`));
  ok(await member.api.patch(`/api/reports/${memberDraft.id}`, { revision: memberReport.revision + 1, content: { help: textBody('a second version') } }));
  const ownDraft = ok(await actor.post('/api/reports', { kind: 'weekly', date: today }), 201);
  const template = ok(await actor.post('/api/reports/templates', { name: 'Fuzz template', kinds: ['daily'], sections: [{ key: 'done', title: '完成' }] }), 201);
  const rule = ok(await actor.put('/api/reports/rules', { kind: 'weekly', departmentId: department.id, deadlineDay: 5, deadlineTime: '18:00', remindRrule: 'FREQ=WEEKLY;BYDAY=FR', remindTime: '16:00' }));
  ok(await actor.put(`/api/reports/holidays/${today}`, { kind: 'workday', name: 'fuzz' }));
  // A policy the actor received (so that acknowledging, reading and its notification reach the commands) and manages (as an administrator).
  const policy = ok(await admin.post('/api/announcements', { title: 'Fuzz policy', body: textBody('rules'), category: 'policy', requiresAck: true, scope: { departmentIds: [department.id] }, escalation: { steps: [{ channel: 'email', afterMinutes: 60 }] } }), 201);
  const policyNotice = ok(await actor.get('/api/notifications')).items.find((n: any) => n.kind === 'announcement');
  // Boards: an open one the actor moderates (as an administrator), a semi-open one, threads and replies on both.
  const openBoard = ok(await actor.post('/api/boards', { name: 'Fuzz open', openness: 'open', allowAnonymous: true, moderators: { userIds: [actorUser.id], departmentIds: [] } }), 201);
  const semiBoard = ok(await actor.post('/api/boards', { name: 'Fuzz semi', openness: 'semi_open', posters: { userIds: [member.user.id], departmentIds: [department.id] } }), 201);
  const thread = ok(await actor.post(`/api/boards/${openBoard.id}/threads`, { title: 'fuzz', body: textBody('t'), customerId: customer.id }), 201);
  const anonymousThread = ok(await member.api.post(`/api/boards/${openBoard.id}/threads`, { title: 'anon', body: textBody('a'), anonymous: true }), 201);
  const semiThread = ok(await member.api.post(`/api/boards/${semiBoard.id}/threads`, { title: 'semi', body: textBody('s') }), 201);
  const boardReply = ok(await member.api.post(`/api/boards/threads/${thread.id}/replies`, { body: textBody('r') }), 201);
  const ownReply = ok(await actor.post(`/api/boards/threads/${thread.id}/replies`, { body: textBody('own'), quoteReplyId: boardReply.id }), 201);
  Object.assign(fixtures, {
    '/api/conversations/{id}': [group.id],
    '/api/customers/{id}': [customer.id],
    '/api/schedule/entries/{id}': [ownEntry.id, memberEntry.id],
    '/api/reminders/{id}': [reminder.id],
    '/api/departments/{id}': [department.id],
    '/api/users/{id}': [member.user.id],
    '/api/notifications/{id}': [String(notification.id)],
    '/api/announcements/{id}': [policy.id],
    notificationId: [policyNotice.id],
    userId: [member.user.id, actorUser.id],
    messageId: [message.id],
    contactId: [customer.contacts[0].id],
    annotationId: [annotation.id],
    occurrenceId: [String(occurrence.id)],
    customerId: [customer.id],
    departmentId: [department.id],
    '/api/reports/{id}': [memberReport.id, ownDraft.id],
    '/api/annotations/{id}': [reportAnnotation.id, annotation.id],
    version: ['1'],
    templateId: [template.id],
    ruleId: [rule.id],
    day: [today, '2030-01-02'],
    '/api/boards/{id}': [openBoard.id, semiBoard.id],
    threadId: [thread.id, anonymousThread.id, semiThread.id],
    replyId: [boardReply.id, ownReply.id],
  });

  const range = { from: '2030-01-01T00:00:00+08:00', to: '2030-02-01T00:00:00+08:00' };
  examples = {
    'GET /api/schedule/entries': [{ query: range }, { query: { day: '2030-01-01', userId: member.user.id } }],
    'POST /api/schedule/entries': [{ body: { kind: 'visit', title: 'v', start: '2030-01-03T09:00', end: '2030-01-03T10:00', customerId: customer.id, contactIds: [customer.contacts[0].id], reminderOffsets: [15], rrule: 'FREQ=WEEKLY;COUNT=3', description: textBody('d') } }],
    'PATCH /api/schedule/entries/{id}': [{ body: { title: 'renamed', start: '2030-01-01T08:00', end: '2030-01-01T09:30', status: 'done' } }],
    'PUT /api/schedule/entries/{id}/result': [{ body: { result: textBody('done') } }],
    'POST /api/schedule/entries/{id}/occurrences/edit': [{ body: { occurrenceStart: '2030-01-02T01:00:00Z', scope: 'this', changes: { title: 'moved' } } }],
    'POST /api/schedule/entries/{id}/occurrences/delete': [{ body: { occurrenceStart: '2030-01-03T01:00:00Z', scope: 'following' } }],
    'GET /api/schedule/team': [{ query: range }],
    'GET /api/schedule/departments/{departmentId}': [{ query: { ...range, customerOnly: 'true' } }],
    'GET /api/schedule/customers/{customerId}/visits': [{ query: { ...range, kinds: 'visit,call' } }],
    'POST /api/reminders': [{ body: { title: 'r', dtstart: '2030-01-01T09:00', timeZone: 'Asia/Shanghai', rrule: 'FREQ=WEEKLY;BYDAY=MO', channels: ['email', 'sms'], recipients: { self: true, userIds: [member.user.id], departmentIds: [department.id] }, note: textBody('n') } }],
    'PATCH /api/reminders/{id}': [{ body: { title: 'renamed', rrule: 'FREQ=DAILY;COUNT=3', exdates: ['2030-01-02T09:00'] } }],
    'GET /api/recurrence/preview': [{ query: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', dtstart: '2030-01-31T18:00', tz: 'Asia/Shanghai', count: '5' } }],
    'POST /api/users': [{ body: { email: 'fuzzed@huitong.test', displayName: 'Fuzzed', password: 'Cobalt-harbour-71-lantern', departmentId: department.id, mobile: '+8613800138000' } }],
    'PATCH /api/users/{id}': [{ body: { displayName: 'Renamed', timeZone: 'Europe/Berlin', locale: 'en' } }],
    'POST /api/auth/password': [{ body: { currentPassword: PASSWORD, newPassword: PASSWORD } }],
    'POST /api/notifications/system': [{ body: { recipientIds: [member.user.id, actorUser.id], title: 'system', body: 'text' } }],
    'POST /api/conversations/direct': [{ body: { userId: member.user.id } }],
    'POST /api/conversations/{id}/members': [{ body: { userIds: [member.user.id] } }],
    'GET /api/conversations/{id}/messages': [{ query: { before: message.id, limit: '10' } }, { query: {} }],
    'POST /api/conversations/{id}/messages': [{ body: { clientId: 'fuzz-client-0001', body: textBody('hello'), replyToId: message.id } }],
    'PATCH /api/conversations/{id}/messages/{messageId}': [{ body: { body: textBody('edited') } }],
    'POST /api/conversations/{id}/read': [{ body: { messageId: message.id } }],
    'GET /api/customers': [{ query: { q: 'Fuzz', tiers: 'gold,silver', types: 'channel', owner: 'me' } }],
    'GET /api/customers/team-feed': [{ query: { valuableFirst: 'true', tiers: 'gold' } }],
    'POST /api/customers/{id}/contact-records': [{ body: { channel: 'call', body: textBody('called'), contactIds: [customer.contacts[0].id] } }],
    'POST /api/reports': [{ body: { kind: 'daily', date: today } }, { body: { kind: 'monthly', date: today } }],
    'PATCH /api/reports/{id}': [{ body: { revision: ownDraft.revision, content: { done: textBody('done'), plan: textBody('plan') }, ccUserIds: [member.user.id], ccDepartmentIds: [department.id] } }],
    'POST /api/reports/{id}/submit': [{ body: { revision: ownDraft.revision } }],
    'POST /api/reports/{id}/annotations': [
      { body: { body: textBody('note') } },
      { body: { body: textBody('passage'), anchor: { sectionKey: 'done', markId: 'fuzz-mark-2', revision: memberReport.revision + 2, document: markPassage(memberReport.content.done, 'customer', 'fuzz-mark-2') } } },
    ],
    'GET /api/reports/inbox': [{ query: { from: today, to: today, kind: 'daily', status: 'unread', departmentId: department.id, authorId: member.user.id } }],
    'GET /api/reports/export': [{ query: { from: today, to: today, kind: 'daily', departmentId: department.id } }],
    'GET /api/reports/status': [{ query: { departmentId: department.id, kind: 'daily', view: 'month', date: today } }],
    'GET /api/reports/status/export': [{ query: { departmentId: department.id, kind: 'weekly', view: 'week', date: today } }],
    'POST /api/reports/status/remind': [{ body: { departmentId: department.id, kind: 'daily', date: today } }],
    'PUT /api/reports/exemptions': [{ body: { userId: member.user.id, kind: 'daily', date: today, reason: 'leave' } }],
    'POST /api/reports/exemptions/remove': [{ body: { userId: member.user.id, kind: 'daily', date: today } }],
    'POST /api/reports/templates': [{ body: { name: 'T', kinds: ['weekly', 'monthly'], sections: [{ key: 'a', title: 'A', required: true, fill: 'done' }, { key: 'b', title: 'B', fill: 'plan' }], departmentIds: [department.id] } }],
    'PATCH /api/reports/templates/{templateId}': [{ body: { sections: [{ key: 'done', title: '完成', titleEn: 'Done' }], departmentIds: [department.id], active: false } }],
    'PUT /api/reports/rules': [{ body: { kind: 'daily', departmentId: department.id, required: true, deadlineDay: 1, deadlineTime: '18:00', remindRrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', remindTime: '17:30', lateReminder: true, headDigest: true, lateTime: '19:00', channels: ['email', 'sms'] } }],
    'PUT /api/reports/holidays/{day}': [{ body: { kind: 'holiday', name: '春节' } }],
    'PATCH /api/annotations/{id}': [{ body: { body: textBody('edited') } }],
    'POST /api/annotations/{id}/replies': [{ body: { body: textBody('reply') } }],
    'POST /api/announcements': [
      {
        body: {
          title: 'Directive', body: textBody('do it'), category: 'directive', priority: 'urgent', requiresAck: true, pinned: true,
          scope: { departmentIds: [department.id], userIds: [member.user.id] }, publishAt: '2030-01-01T09:00:00+08:00', expiresAt: '2030-02-01T09:00:00+08:00',
          escalation: { steps: [{ channel: 'email', afterMinutes: 30 }, { channel: 'sms', afterMinutes: 120 }, { channel: 'head', afterMinutes: 1440 }], repeat: { channel: 'email', everyHours: 24, times: 3 } },
        },
      },
      { body: { title: 'Notice', body: textBody('read it'), category: 'notice', scope: { everyone: true } } },
    ],
    'POST /api/announcements/preview-scope': [{ body: { scope: { departmentIds: [department.id], userIds: [member.user.id] } } }],
    'PATCH /api/announcements/{id}': [{ body: { pinned: true, expiresAt: '2031-01-01T00:00:00Z' } }],
    'POST /api/announcements/{id}/revisions': [{ body: { title: 'Fuzz policy v2', body: textBody('new rules'), requireReacknowledge: true } }],
    'POST /api/announcements/{id}/acknowledge': [{ body: { reply: 'noted' } }],
    'POST /api/announcements/{id}/remind': [{ body: { channel: 'app' } }],
    'GET /api/announcements/{id}/ledger/rows': [{ query: { state: 'unacknowledged', limit: '10' } }],
    'GET /api/announcements': [{ query: { box: 'all', category: 'policy', q: 'Fuzz', unread: 'true' } }],
    'POST /api/boards': [{ body: { name: 'B', openness: 'closed', category: 'C', members: { userIds: [member.user.id], departmentIds: [department.id] }, moderators: { userIds: [actorUser.id], departmentIds: [] } } }],
    'PATCH /api/boards/{id}': [{ body: { openness: 'semi_open', everyonePosts: false, posters: { userIds: [member.user.id], departmentIds: [] }, viewers: { userIds: [actorUser.id], departmentIds: [department.id] } } }],
    'POST /api/boards/{id}/threads': [{ body: { title: 'T', body: textBody('b'), anonymous: true } }, { body: { title: 'T', body: textBody('b'), customerId: customer.id } }],
    'GET /api/boards/{id}/threads': [{ query: { limit: '2' } }],
    'POST /api/boards/threads/{threadId}/replies': [{ body: { body: textBody('r'), quoteReplyId: boardReply.id } }],
    'GET /api/boards/threads/{threadId}/replies': [{ query: { after: '0', limit: '5' } }, { query: { before: '2' } }],
    'POST /api/boards/threads/{threadId}/moderation': [{ body: { action: 'hide', reason: 'r' } }, { body: { action: 'move', boardId: semiBoard.id } }, { body: { action: 'pin' } }],
    'POST /api/boards/replies/{replyId}/moderation': [{ body: { action: 'hide', reason: 'r' } }, { body: { action: 'unhide' } }],
    'PATCH /api/boards/threads/{threadId}': [{ body: { title: 'T2', customerId: customer.id } }],
    'POST /api/boards/threads/{threadId}/read': [{ body: { number: 1 } }],
  };

  const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>> };
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, spec] of Object.entries(methods)) {
      operations.push({ method: method.toUpperCase(), path, parameters: spec.parameters ?? [], body: spec.requestBody?.content['application/json']?.schema });
    }
  }
  // Destructive ones last, signing out very last, so that the others run against live fixtures.
  const rank = (op: Operation) => (op.path === '/api/auth/logout' ? 2 : op.method === 'DELETE' || op.path.endsWith('/leave') ? 1 : 0);
  operations = operations.sort((a, b) => rank(a) - rank(b));
}, 120_000);
afterAll(() => server?.close());

/** A valid id for a path parameter (by the resource it names), or junk. */
function pathParam(path: string, name: string): fc.Arbitrary<string> {
  const resource = path.slice(0, path.indexOf(`{${name}}`) + name.length + 2);
  const valid = fixtures[resource] ?? fixtures[name] ?? ['1'];
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1.5', '1e3', '9'.repeat(25), '9223372036854775808', 'abc', '%00', '%ZZ', '%ED%A0%80', 'x'.repeat(3000), '..%2F..', ' 1') },
  );
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'text/csv', ''];
const ENCODINGS = ['none', 'gzip', 'false-gzip', 'false-br', 'false-deflate', 'x-bogus', 'identity'] as const;
const SHAPES = ['json', 'json', 'json', 'invalid-json', 'utf16', 'bom', 'latin1', 'deep', 'empty'] as const;

/** How the body travels: mostly plain JSON, sometimes anything but. */
const odd = <T, U>(usual: T, others: fc.Arbitrary<U>) => fc.oneof({ weight: 12, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: others });
const transport = fc.record({
  contentType: odd('application/json', fc.constantFrom(...CONTENT_TYPES)),
  encoding: odd('none' as const, fc.constantFrom(...ENCODINGS)),
  shape: odd('json' as const, fc.constantFrom(...SHAPES)),
  auth: odd('bearer' as const, fc.constantFrom('cookie' as const, 'garbage-cookie' as const)),
  querySuffix: odd('', fc.constantFrom('&%ZZ', '&q=%ED%A0%80', '&&&=', '&a[b]=c', '&limit=1&limit=2', '&__proto__=x', `&x=${'y'.repeat(5000)}`)),
});

function encodeBody(value: unknown, shape: (typeof SHAPES)[number], encoding: (typeof ENCODINGS)[number]): { bytes?: Buffer; contentEncoding?: string } {
  let bytes: Buffer | undefined;
  const json = JSON.stringify(value) ?? 'null';
  switch (shape) {
    case 'json':
      bytes = Buffer.from(json);
      break;
    case 'invalid-json':
      bytes = Buffer.from(json.slice(0, Math.max(1, json.length - 1)) + '\u0000');
      break;
    case 'utf16':
      bytes = Buffer.from(json, 'utf16le');
      break;
    case 'bom':
      bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
      break;
    case 'latin1':
      bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('"}')]);
      break;
    case 'deep':
      bytes = Buffer.from('['.repeat(50_000) + ']'.repeat(50_000));
      break;
    case 'empty':
      bytes = Buffer.alloc(0);
      break;
  }
  switch (encoding) {
    case 'gzip':
      return { bytes: gzipSync(bytes), contentEncoding: 'gzip' };
    case 'false-gzip':
      return { bytes, contentEncoding: 'gzip' };
    case 'false-br':
      return { bytes, contentEncoding: 'br' };
    case 'false-deflate':
      return { bytes, contentEncoding: 'deflate' };
    case 'x-bogus':
      return { bytes, contentEncoding: 'x-bogus' };
    case 'identity':
      return { bytes, contentEncoding: 'identity' };
    default:
      return { bytes };
  }
}

/** A query string from a (possibly mutated) object: arrays repeat the parameter, objects go as JSON. */
function queryString(query: unknown): string {
  // URLSearchParams, not encodeURIComponent: a lone surrogate (which no URL can carry) becomes U+FFFD instead of a URIError.
  const params = new URLSearchParams();
  if (query === null || typeof query !== 'object' || Array.isArray(query)) {
    params.append('v', typeof query === 'object' ? JSON.stringify(query) : String(query));
    return params.toString();
  }
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, typeof one === 'object' && one !== null ? JSON.stringify(one) : String(one));
  }
  return params.toString();
}

type Sent = { method: string; url: string; status?: number; body?: string; error?: string };

/** Sends one request and describes what came back; a request the server never answered says so. */
async function send(method: string, url: string, headers: Record<string, string>, bytes?: Buffer): Promise<Sent> {
  try {
    const response = await fetch(url, { method, headers, body: bytes && method !== 'GET' && method !== 'DELETE' ? new Uint8Array(bytes) : undefined, signal: AbortSignal.timeout(15_000) });
    return { method, url, status: response.status, body: await response.text() };
  } catch (error) {
    return { method, url, error: `${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}` };
  }
}

/** The failure of one answer, or null: no 5xx, no dropped connection, and every refusal says why with a code. */
function problemWith(sent: Sent): string | null {
  const body = sent.body?.slice(0, 500);
  if (sent.error) return `no answer (${sent.error})`;
  if (sent.status! >= 500) return `answered ${sent.status}: ${body}`;
  // Node's HTTP parser refuses a head it cannot read (a URL past 16 KB: 431) before the app sees it, with an empty body.
  if (sent.status === 431 && !sent.body) return null;
  if (sent.status! >= 400) {
    try {
      const code = JSON.parse(sent.body!)?.error?.code;
      if (typeof code !== 'string') return `answered ${sent.status} without an error code: ${body}`;
    } catch {
      return `answered ${sent.status} with a body that is not JSON: ${body}`;
    }
  }
  return null;
}

/** Signs the actor in again when an earlier run signed them out (logout, password change). */
async function ensureSignedIn() {
  if ((await actor.get('/api/me')).status === 401) await actor.login(actorEmail, actorPassword);
}

describe('OpenAPI-driven fuzzing of every route', () => {
  it('finds every route in the document', () => {
    expect(operations.length).toBeGreaterThan(60);
  });

  it('no generated or mutated request answers 5xx, drops the connection or refuses without a code', { timeout: 240_000 }, async () => {
    const failures: string[] = [];
    const statuses = new Map<string, number[]>();
    for (const [index, op] of operations.entries()) {
      await ensureSignedIn();
      const pathParams = op.parameters.filter((p) => p.in === 'path');
      const queryParams = op.parameters.filter((p) => p.in === 'query');
      const querySchema: JsonSchema = { type: 'object', properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])), required: queryParams.filter((p) => p.required).map((p) => p.name) };
      const known = examples[`${op.method} ${op.path}`] ?? [];
      const generated = fc.record({ query: arbitraryFor(querySchema), body: op.body ? arbitraryFor(op.body) : fc.constant(undefined) });
      const valid = known.length ? fc.oneof(generated, fc.constantFrom(...known).map((e) => ({ query: e.query ?? {}, body: e.body }))) : generated;
      const request = fc.record({
        params: fc.tuple(...pathParams.map((p) => pathParam(op.path, p.name))),
        // One part at a time goes wrong, so that the others still let it reach the code behind them.
        mutated: valid.chain(({ query, body }) =>
          fc.oneof(
            { weight: 2, arbitrary: fc.constant({ query, body }) },
            { weight: 2, arbitrary: (op.body ? mutate(body) : fc.oneof(fc.constant(undefined), nastyValue)).map((b) => ({ query, body: b })) },
            { weight: 1, arbitrary: mutate(query).map((q) => ({ query: q, body })) },
          ),
        ),
        transport,
      });
      const seed = SEED + index;
      const details = await fc.check(
        fc.asyncProperty(request, async ({ params, mutated: { query, body }, transport: t }) => {
          let path = op.path;
          pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, params[i])));
          const url = `${server.url}${path}?${queryString(query)}${t.querySuffix}`;
          const headers: Record<string, string> = {};
          if (t.auth === 'bearer') headers.authorization = `Bearer ${actor.token}`;
          if (t.auth === 'cookie') Object.assign(headers, { cookie: `huitong_session=${actor.token}`, origin: server.url });
          if (t.auth === 'garbage-cookie') headers.cookie = 'huitong_session=%E0%A4%A; other=\u00ff';
          const encoded = body === undefined && t.shape === 'json' ? {} : encodeBody(body, t.shape, t.encoding);
          if (encoded.bytes && t.contentType) headers['content-type'] = t.contentType;
          if (encoded.contentEncoding) headers['content-encoding'] = encoded.contentEncoding;
          const sent = await send(op.method, url, headers, encoded.bytes);
          if (op.path === '/api/auth/password' && sent.status === 200) actorPassword = (body as { newPassword: string }).newPassword;
          const key = `${op.method} ${op.path}`;
          statuses.set(key, [...(statuses.get(key) ?? []), sent.status ?? 0]);
          const problem = problemWith(sent);
          if (problem) throw new Error(`${op.method} ${url.slice(0, 300)} ${problem}\nbody sent: ${JSON.stringify(body)?.slice(0, 300)} as ${JSON.stringify(t)}`);
        }),
        { numRuns: RUNS, seed, endOnFailure: true },
      );
      if (details.failed) failures.push(`${op.method} ${op.path} (seed ${seed}, FUZZ_SEED=${SEED}): ${(details.errorInstance as Error)?.message ?? 'interrupted'}\ncounterexample: ${JSON.stringify(details.counterexample)?.slice(0, 500)}`);
    }
    // FUZZ_STATS=1 shows how far the requests got: answers by status per route.
    if (process.env.FUZZ_STATS) for (const [key, list] of statuses) console.log(key, JSON.stringify(Object.fromEntries([...new Set(list)].map((s) => [s, list.filter((x) => x === s).length]))));
    expect(failures, failures.join('\n\n')).toEqual([]);
  });

  it('a CSV import of generated and mutated files never answers 5xx', { timeout: 60_000 }, async () => {
    await ensureSignedIn();
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('gold', 'channel', '渠道', '1990/2/30', '=1+1', '"', '\u0000', '\ud800', 'x'.repeat(300), actorEmail), nastyValue.map(String));
    const csv = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 6 }).map((rows) => ['name,type,tier,owner,contact,birthday', ...rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))].join('\n'));
    await fc.assert(
      fc.asyncProperty(csv, fc.constantFrom('true', 'false'), fc.constantFrom('auto', 'utf-8', 'gbk'), async (text, dryRun, encoding) => {
        const sent = await send('POST', `${server.url}/api/customers/import?dryRun=${dryRun}&encoding=${encoding}`, { authorization: `Bearer ${actor.token}`, 'content-type': 'text/csv' }, Buffer.from(text));
        const problem = problemWith(sent);
        if (problem) throw new Error(problem);
      }),
      { numRuns: RUNS * 2, seed: SEED },
    );
  });

  it('routes outside the document (calendar feed, Twilio callback, client files) never answer 5xx', async () => {
    const paths = ['/calendar/%00.ics', `/calendar/${'a'.repeat(40)}.ics`, '/calendar/%ZZ', '/webhooks/twilio/status', '/readyz', '/healthz', '/%ED%A0%80', '/api/%00', '/api/customers/%ZZ', '/socket.io/?EIO=9&transport=x'];
    for (const path of paths) {
      for (const method of ['GET', 'POST']) {
        const sent = await send(method, server.url + path, { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, Buffer.from('MessageSid=%00&MessageStatus=delivered'));
        expect(sent.error, `${method} ${path}`).toBeUndefined();
        expect(sent.status, `${method} ${path}: ${sent.body}`).toBeLessThan(500);
      }
    }
  });
});

describe('fuzzing every socket event', () => {
  let socket: TestSocket;
  afterAll(() => socket?.close());

  it('every registered event answers generated and mutated payloads without an internal error, and the socket keeps working', { timeout: 120_000 }, async () => {
    await ensureSignedIn();
    // A conversation and a message of its own: the route fuzzing above may have left or deleted the fixtures.
    const group = ok(await actor.post('/api/conversations', { name: 'socket fuzz', memberIds: [] }), 201);
    const message = await sendText(actor, group.id, 'socket target');
    socket = await connectSocket(server.url, { token: actor.token });
    const events = [...registeredClientEvents.entries()];
    expect(events.map(([name]) => name)).toEqual(expect.arrayContaining(['sync', 'ping', 'message:send', 'message:edit', 'message:delete', 'conversation:read', 'conversation:typing', 'conversations:list', 'notifications:markRead', 'notifications:markAllRead', 'announcement:acknowledge']));
    const failures: string[] = [];
    const acks = new Map<string, { ok: number; refused: number }>();
    for (const [index, [event, schema]] of events.entries()) {
      const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      // Real ids make the valid payloads reach the commands, not only the schema.
      const withIds = fc.record({ conversationId: fc.constant(group.id), messageId: fc.constant(message.id), clientId: fc.uuid(), body: fc.constant(textBody('fuzzed')), announcementId: fc.constantFrom(...fixtures['/api/announcements/{id}']) });
      const valid = fc.tuple(arbitraryFor(jsonSchema), withIds).map(([p, ids]) => (p && typeof p === 'object' && !Array.isArray(p) ? { ...p, ...Object.fromEntries(Object.entries(ids).filter(([k]) => k in p)) } : p));
      const payload = valid.chain((p) => fc.oneof(fc.constant(p), mutate(p)));
      const seed = SEED + 1000 + index;
      const details = await fc.check(
        fc.asyncProperty(payload, fc.constantFrom('ack', 'ack', 'ack', 'no-ack', 'extra-args', 'binary'), async (data, style) => {
          // The typed socket only allows what the event maps declare; an attacker's does not.
          const raw = socket as unknown as { emit: (event: string, ...args: unknown[]) => void };
          if (style === 'no-ack') raw.emit(event, data);
          else if (style === 'extra-args') raw.emit(event, data, 'extra', 42);
          else if (style === 'binary') raw.emit(event, Buffer.from([0, 1, 2]));
          else {
            const ack = await emitWithAck(socket, event, data, 10_000);
            const tally = acks.get(event) ?? { ok: 0, refused: 0 };
            tally[ack?.ok ? 'ok' : 'refused']++;
            acks.set(event, tally);
            if (!ack || typeof ack !== 'object') throw new Error(`${event} answered ${JSON.stringify(ack)}`);
            if (!ack.ok && (ack.error.code === 'internal' || typeof ack.error.code !== 'string')) throw new Error(`${event} answered ${JSON.stringify(ack)} to ${JSON.stringify(data)?.slice(0, 300)}`);
          }
          // Whatever was sent, the socket still answers.
          const ping = await emitWithAck(socket, 'ping', {}, 10_000);
          if (!ping.ok) throw new Error(`ping after ${event} answered ${JSON.stringify(ping)}`);
        }),
        { numRuns: RUNS, seed, endOnFailure: true },
      );
      if (details.failed) failures.push(`${event} (seed ${seed}, FUZZ_SEED=${SEED}): ${(details.errorInstance as Error)?.message ?? 'interrupted'}`);
    }
    if (process.env.FUZZ_STATS) for (const [event, tally] of acks) console.log(event, JSON.stringify(tally));
    // Events nobody registered are ignored, not fatal.
    (socket as unknown as { emit: (event: string, ...args: unknown[]) => void }).emit('no:such:event', { a: '\u0000' });
    expect((await emitWithAck(socket, 'ping', {})).ok).toBe(true);
    expect(failures, failures.join('\n\n')).toEqual([]);
  });
});
