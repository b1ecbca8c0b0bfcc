import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ADMIN, startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createDepartment, createUser, rootDepartment } from '../../support/factories.js';
import { textBody } from '../../support/chat.js';
import { createBoard, reply, startThread } from '../../support/boards.js';
import { publish } from '../../support/announcements.js';
import { dayFromToday } from '../../support/reports.js';
import { filesUnder, getRaw, pdfBytes, photoWithGps, tempDataDir, upload } from '../../support/files.js';
import { startServerProcess, type RunningServerProcess } from '../../support/process.js';
import { eventually, fastJobsEnv } from '../../support/timing.js';
import { connectSocket, emitWithAck } from '../../support/sockets.js';
import { FILE_GC_QUEUE } from '../../../server/jobs/queue.js';

let server: TestServer;
let child: RunningServerProcess | undefined;
let dataDir: string;
let admin: ApiClient;
type Member = Awaited<ReturnType<typeof createUser>>;
let author: Member, reader: Member, outsider: Member, head: Member;

beforeAll(async () => {
  dataDir = await tempDataDir();
  server = await startTestServer({ DATA_DIR: dataDir, FILE_GC_GRACE_SECONDS: '6' });
  admin = await server.admin();
  const root = await rootDepartment(admin);
  const field = await createDepartment(admin, `Field ${randomUUID().slice(0, 6)}`, root.id);
  const other = await createDepartment(admin, `Other ${randomUUID().slice(0, 6)}`, root.id);
  [author, reader, head, outsider] = await Promise.all([createUser(admin, field.id), createUser(admin, field.id), createUser(admin, field.id), createUser(admin, other.id)]);
  ok(await admin.patch(`/api/departments/${field.id}`, { managerIds: [head.user.id] }));
  // Customers are seen by their owners, their superiors and administrators only.
  ok(await admin.patch('/api/settings', { customerVisibility: 'owners' }));
});
afterAll(async () => {
  child?.kill();
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Uploads a small PDF as `api`'s user and attaches it to the object; answers the file. */
async function attached(api: ApiClient, kind: string, hostId: string) {
  const file = ok(await upload(api, `${kind}-${randomUUID()}.pdf`, Buffer.concat([pdfBytes(), Buffer.from(randomUUID())])), 201);
  ok(await api.post(`/api/attachments/${kind}/${hostId}`, { fileIds: [file.id] }), 201);
  return file;
}

/** What each side gets for a file: [details, content, list of the object's files]. */
async function seen(api: ApiClient, kind: string, hostId: string, file: any) {
  return [(await getRaw(api, `/api/files/${file.id}`)).status, (await getRaw(api, file.url)).status, (await api.get(`/api/attachments/${kind}/${hostId}`)).status];
}

describe('who may see a file: the policy of what it is attached to', () => {
  it('chat, boards, reports, annotations, announcements and customers: the refused side gets 404 everywhere; a viewer who is not the author may not attach (403)', { timeout: 120_000 }, async () => {
    const today = dayFromToday(0);
    ok(await admin.put(`/api/reports/holidays/${today}`, { kind: 'workday', name: 'Working day' }));

    const group = ok(await author.api.post('/api/conversations', { name: 'Deal', memberIds: [reader.user.id] }), 201);
    const message = ok(await author.api.post(`/api/conversations/${group.id}/messages`, { clientId: randomUUID(), body: textBody('the contract') }), 201);

    const board = await createBoard(admin, { openness: 'closed', members: { userIds: [author.user.id, reader.user.id] } });
    const thread = await startThread(author.api, board.id, 'Tender documents');
    const answer = await reply(author.api, thread.id, 'More of them');

    const draft = ok(await author.api.post('/api/reports', { kind: 'daily', date: today }));
    const saved = ok(await author.api.patch(`/api/reports/${draft.id}`, { revision: draft.revision, content: { done: textBody('visited'), plan: textBody('call') } }));

    const notice = await publish(admin, 'Price policy', { userIds: [reader.user.id, author.user.id] });
    const customer = ok(await author.api.post('/api/customers', { name: `华夏 ${randomUUID().slice(0, 6)}`, type: 'end_customer', tier: 'gold', ownerIds: [author.user.id] }), 201);

    const files = {
      message: await attached(author.api, 'message', message.id),
      thread: await attached(author.api, 'thread', thread.id),
      reply: await attached(author.api, 'reply', answer.id),
      report: await attached(author.api, 'report', draft.id),
      announcement: await attached(admin, 'announcement', notice.id),
      customer: await attached(author.api, 'customer', customer.id),
    };
    const hosts: Record<string, string> = { message: message.id, thread: thread.id, reply: answer.id, report: draft.id, announcement: notice.id, customer: customer.id };

    // The draft report is its author's alone: its superior does not see its file yet.
    expect(await seen(head.api, 'report', draft.id, files.report)).toEqual([404, 404, 404]);
    ok(await author.api.post(`/api/reports/${draft.id}/submit`, { revision: saved.revision }));
    const annotation = ok(await head.api.post(`/api/reports/${draft.id}/annotations`, { body: textBody('See the attachment') }), 201);
    const annotationFile = await attached(head.api, 'annotation', annotation.id);

    // Who sees what: the reader (chat member, board member, announcement recipient); the head (superior: report, annotation, customer).
    for (const kind of ['message', 'thread', 'reply', 'announcement'] as const) expect(await seen(reader.api, kind, hosts[kind], files[kind]), kind).toEqual([200, 200, 200]);
    expect(await seen(head.api, 'report', draft.id, files.report)).toEqual([200, 200, 200]);
    expect(await seen(head.api, 'customer', customer.id, files.customer)).toEqual([200, 200, 200]);
    expect(await seen(author.api, 'annotation', annotation.id, annotationFile)).toEqual([200, 200, 200]);

    // The outsider: 404 for every file, its object's list, and for attaching anything to it.
    const own = ok(await upload(outsider.api, 'mine.pdf', Buffer.concat([pdfBytes(), Buffer.from('outsider')])), 201);
    for (const [kind, file] of [...Object.entries(files), ['annotation', annotationFile] as const]) {
      const hostId = kind === 'annotation' ? annotation.id : hosts[kind];
      expect(await seen(outsider.api, kind, hostId, file), kind).toEqual([404, 404, 404]);
      expect((await outsider.api.post(`/api/attachments/${kind}/${hostId}`, { fileIds: [own.id] })).status, kind).toBe(404);
    }
    // The reader sees these objects but did not write them: 403, and nothing attached.
    const readersOwn = ok(await upload(reader.api, 'reader.pdf', Buffer.concat([pdfBytes(), Buffer.from('reader')])), 201);
    for (const kind of ['message', 'thread', 'reply', 'announcement'] as const) expect((await reader.api.post(`/api/attachments/${kind}/${hosts[kind]}`, { fileIds: [readersOwn.id] })).status, kind).toBe(403);
    // Attaching someone else's upload to one's own object: refused as not one's own.
    const res = await author.api.post(`/api/attachments/thread/${thread.id}`, { fileIds: [readersOwn.id] });
    expect([res.status, res.body.error.details[0].code]).toEqual([400, 'not_your_upload']);
    expect((await getRaw(outsider.api, `/api/files/${readersOwn.id}/content`)).status).toBe(404);

    // A page's many hosts at once (a thread's replies, a report's annotations): each by its own rule; unseen or fileless ones are left out.
    const replies = ok(await reader.api.get(`/api/attachments/reply?ids=${answer.id},999999`)).byHost;
    expect(Object.keys(replies)).toEqual([answer.id]);
    expect(replies[answer.id].map((f: any) => f.id)).toEqual([files.reply.id]);
    expect(ok(await outsider.api.get(`/api/attachments/reply?ids=${answer.id}`)).byHost).toEqual({});
    expect(ok(await author.api.get(`/api/attachments/annotation?ids=${annotation.id}`)).byHost[annotation.id].map((f: any) => f.id)).toEqual([annotationFile.id]);
    expect(ok(await outsider.api.get(`/api/attachments/annotation?ids=${annotation.id}`)).byHost).toEqual({});
    expect((await reader.api.get('/api/attachments/reply?ids=1,x')).status).toBe(400);

    // Live: the thread's followers hear of files on it and on its replies, the report's of files on its annotations; the events name no file.
    ok(await author.api.delete(`/api/attachments/thread/${thread.id}/${files.thread.id}`), 204);
    const socket = await connectSocket(server.url, { token: author.api.token });
    const synced = await emitWithAck(socket, 'sync', { streams: { [`thread:${thread.id}`]: 0, [`report:${draft.id}`]: 0 } });
    socket.disconnect();
    const changes = (stream: string) => synced.ok && synced.data.events.filter((e: any) => e.stream === stream && e.type === 'attachments.changed').map((e: any) => e.data);
    expect(changes(`thread:${thread.id}`)).toEqual([
      { kind: 'thread', hostId: thread.id, count: 1 },
      { kind: 'reply', hostId: answer.id, count: 1 },
      { kind: 'thread', hostId: thread.id, count: 0 },
    ]);
    expect(changes(`report:${draft.id}`)).toEqual([
      { kind: 'report', hostId: draft.id, count: 1 },
      { kind: 'annotation', hostId: annotation.id, count: 1 },
    ]);

    // Access follows the object: the reader leaves the group and loses the message's file.
    expect((await reader.api.post(`/api/conversations/${group.id}/leave`)).status).toBe(204);
    expect((await getRaw(reader.api, files.message.url)).status).toBe(404);
  });

  it('removes unreferenced uploads after the grace period, from two server processes at once, never a referenced one; identical content is stored once', { timeout: 120_000 }, async () => {
    child = await startServerProcess({ ...fastJobsEnv, DATABASE_URL: server.databaseUrl, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, DATA_DIR: dataDir, FILE_GC_GRACE_SECONDS: '6' });
    const other = { ...author.api, baseUrl: child.url, token: author.api.token } as ApiClient;
    const blobs = () => filesUnder(path.join(dataDir, 'files', 'blobs'));
    // The first test's unattached uploads go first (once past the grace period), so that what follows counts only this test's.
    const db = server.orm.em.fork();
    const unattached = async () => (await db.execute(`SELECT count(*)::int AS n FROM files f WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.file_id = f.id)`))[0].n as number;
    await eventually(async () => (await server.jobs.collectFiles(), (await unattached()) === 0), { what: 'earlier uploads to be collected', timeoutMs: 40_000 });
    const before = await blobs();

    const photo = await photoWithGps(640, 480, 3);
    const kept = ok(await upload(author.api, 'kept.jpg', photo), 201);
    const sameOnChild = ok(await upload(other, 'same.jpg', photo), 201);
    expect(await blobs()).toHaveLength(before.length + 1);
    const dropped = ok(await upload(other, 'dropped.pdf', Buffer.concat([pdfBytes(), Buffer.from('dropped')])), 201);
    expect(await blobs()).toHaveLength(before.length + 2);
    // Within the grace period nothing goes.
    await server.jobs.collectFiles();
    for (const file of [sameOnChild, dropped]) expect((await getRaw(other, file.url)).status).toBe(200);
    expect(await blobs()).toHaveLength(before.length + 2);
    const customer = ok(await author.api.post('/api/customers', { name: `保留 ${randomUUID().slice(0, 6)}`, type: 'end_customer', tier: 'gold', ownerIds: [author.user.id] }), 201);
    ok(await author.api.post(`/api/attachments/customer/${customer.id}`, { fileIds: [kept.id] }), 201);

    const old = async () => (await server.orm.em.fork().execute(`SELECT count(*)::int AS n FROM files WHERE created_at < now() - interval '6 seconds' AND id IN (?, ?, ?)`, [kept.id, sameOnChild.id, dropped.id]))[0].n === 3;
    await eventually(old, { what: 'the uploads to pass the grace period' });
    // Both processes collect at once: this one directly, the other through the job queue.
    const jobId = await server.jobs.boss.send(FILE_GC_QUEUE, {});
    await server.jobs.collectFiles();
    await eventually(async () => ['completed', 'failed'].includes((await server.jobs.boss.getJobById(FILE_GC_QUEUE, jobId!))?.state ?? ''), { what: 'the queued collection' });
    expect((await server.jobs.boss.getJobById(FILE_GC_QUEUE, jobId!))!.state).toBe('completed');

    // The attached upload stays and is served; the two unattached uploads are gone, and the PDF's content with them.
    expect((await getRaw(author.api, kept.url)).status).toBe(200);
    expect((await getRaw(other, sameOnChild.url)).status).toBe(404);
    expect((await getRaw(other, dropped.url)).status).toBe(404);
    expect(await blobs()).toHaveLength(before.length + 1);
  });
});
