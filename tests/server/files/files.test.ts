import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { startTestServer, type TestServer } from '../../support/server.js';
import { ok, type ApiClient } from '../../support/api.js';
import { createUsers, textBody } from '../../support/chat.js';
import { download, filesUnder, getRaw, pdfBytes, photoWithGps, s3Env, startS3, tempDataDir, upload } from '../../support/files.js';

type Backend = 'local' | 's3';

/** The same scenario on both stores: upload, dedupe, attach to a chat message, download, thumbnail, Range, refusals. */
describe.each<Backend>(['local', 's3'])('files on %s storage', (backend) => {
  let server: TestServer;
  let dataDir: string;
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  let admin: ApiClient;

  beforeAll(async () => {
    dataDir = await tempDataDir();
    s3 = backend === 's3' ? await startS3() : undefined;
    server = await startTestServer({ DATA_DIR: dataDir, FILE_URL_TTL_SECONDS: '2', ...(s3 ? s3Env(s3.endpoint, 'huitong-test') : {}) });
    admin = await server.admin();
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  /** What the store holds: files under <data dir>/files/{blobs,thumbs}, or objects in the bucket. */
  const stored = async () => {
    const all = await filesUnder(s3 ? s3.dir : path.join(dataDir, 'files'));
    // s3rver keeps an object as `<bucket>/<key>._S3rver_object` beside its metadata.
    return all.filter((f) => /blobs|thumbs/.test(f) && (!s3 || f.endsWith('._S3rver_object')));
  };

  it('uploads, strips EXIF, deduplicates, attaches to a message, serves content, thumbnail and ranges only to members', { timeout: 60_000 }, async () => {
    const [a, b, outsider] = await createUsers(admin, 3);
    const conversation = ok(await a.api.post('/api/conversations/direct', { userId: b.user.id }));

    const photo = await photoWithGps(1200, 800);
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const before = await stored();
    const first = ok(await upload(a.api, '合同照片.jpg', photo, 'image/jpeg'), 201);
    expect(first).toMatchObject({ name: '合同照片.jpg', mime: 'image/jpeg', width: 1200, height: 800, thumbnailUrl: `/api/files/${first.id}/thumbnail` });
    const afterFirst = await stored();
    expect(afterFirst.length - before.length).toBe(2); // the image and its thumbnail

    // The same bytes again (by b): a new upload row, the content stored once.
    const again = ok(await upload(b.api, 'copy.jpg', photo, 'image/jpeg'), 201);
    expect(again.id).not.toBe(first.id);
    expect(await stored()).toEqual(afterFirst);

    // The uploader sees their unattached upload; nobody else does, not even by guessing the id.
    expect((await download(a.api, first.url)).status).toBe(200);
    expect((await getRaw(outsider.api, first.url)).status).toBe(404);
    expect((await getRaw(b.api, first.url)).status).toBe(404);

    // Attaching another's upload by id is refused and sends nothing.
    const stolen = await a.api.post(`/api/conversations/${conversation.id}/messages`, { clientId: randomUUID(), body: textBody('look'), attachmentIds: [again.id] });
    expect(stolen.status, JSON.stringify(stolen.body)).toBe(400);
    expect(stolen.body.error.details[0]).toMatchObject({ path: 'attachmentIds.0', code: 'not_your_upload' });

    // A message of only a photo.
    const message = ok(await a.api.post(`/api/conversations/${conversation.id}/messages`, { clientId: randomUUID(), body: textBody(''), attachmentIds: [first.id] }), 201);
    expect(message.attachments.map((f: any) => f.id)).toEqual([first.id]);
    const history = ok(await b.api.get(`/api/conversations/${conversation.id}/messages`));
    expect(history.items.at(-1).attachments[0]).toMatchObject({ id: first.id, name: '合同照片.jpg', width: 1200 });
    // b has no device connected: the direct message's notification names the photo, as its text is empty.
    const notices = (ok(await b.api.get('/api/notifications')).items as any[]).filter((n) => n.kind === 'direct_message');
    expect(notices[0]).toMatchObject({ body: '[Image] 合同照片.jpg', link: `/chat/${conversation.id}?message=${message.id}` });

    // b (a member) downloads it: EXIF gone, pixels the same size, served safely.
    const got = await download(b.api, first.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(got.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([1200, 800]);
    const headers = backend === 'local' ? got.headers : (await getRaw(b.api, first.url)).headers;
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    if (backend === 'local') {
      expect(got.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(got.headers.get('content-disposition')).toBe(`inline; filename="????.jpg"; filename*=UTF-8''%E5%90%88%E5%90%8C%E7%85%A7%E7%89%87.jpg`);
    } else {
      expect(got.redirected).toMatch(/X-Amz-Expires=2/);
      expect(headers.get('cache-control')).toBe('no-store');
      expect(decodeURIComponent(got.headers.get('content-disposition')!)).toContain("UTF-8''");
    }

    const thumb = await download(b.api, first.thumbnailUrl);
    expect(thumb.status).toBe(200);
    const thumbMeta = await sharp(thumb.bytes).metadata();
    expect(thumbMeta.format).toBe('webp');
    expect(Math.max(thumbMeta.width!, thumbMeta.height!)).toBe(480);

    const range = await download(b.api, first.url, { range: 'bytes=10-109' });
    expect(range.status).toBe(206);
    expect(range.bytes.length).toBe(100);
    expect(range.bytes.equals(got.bytes.subarray(10, 110))).toBe(true);
    expect(range.headers.get('content-range')).toBe(`bytes 10-109/${got.bytes.length}`);

    // The outsider: 404 for content, thumbnail and details; a guessed id that never existed answers the same.
    for (const url of [first.url, first.thumbnailUrl, `/api/files/${first.id}`, '/api/files/999999999/content']) expect((await getRaw(outsider.api, url)).status).toBe(404);

    if (s3) {
      // A presigned link dies after FILE_URL_TTL_SECONDS: reusing it later is refused by the store.
      const link = got.redirected!;
      await new Promise((resolve) => setTimeout(resolve, 3100));
      expect((await fetch(link)).status).toBe(403);
    }

    // Once the message is deleted, b no longer sees its files.
    ok(await a.api.delete(`/api/conversations/${conversation.id}/messages/${message.id}`));
    expect((await getRaw(b.api, first.url)).status).toBe(404);
  });

  it('refuses empty, disallowed, mismatched, oversized and malformed uploads with clear errors and leaves nothing behind', { timeout: 60_000 }, async () => {
    const [a] = await createUsers(admin, 1);
    ok(await admin.patch('/api/settings', { fileLimits: { maxFileMb: 1, dailyMbPerUser: 2, allowedTypes: ['image/*', 'application/pdf', 'text/plain'] } }));
    const before = await stored();
    const spool = () => filesUnder(path.join(dataDir, 'files', 'spool'));
    const refusal = async (res: Awaited<ReturnType<typeof upload>>) => [res.status, res.body.error.code, res.body.error.details?.[0]?.code];

    expect(await refusal(await upload(a.api, 'empty.txt', Buffer.alloc(0)))).toEqual([400, 'bad_request', 'empty']);
    expect(await refusal(await upload(a.api, 'page.html', Buffer.from('<!doctype html><script>alert(1)</script>')))).toEqual([400, 'bad_request', 'type_not_allowed']);
    expect(await refusal(await upload(a.api, 'tool.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(400)])))).toEqual([400, 'bad_request', 'type_not_allowed']);
    expect(await refusal(await upload(a.api, 'contract.jpg', pdfBytes(), 'image/jpeg'))).toEqual([400, 'bad_request', 'type_mismatch']);
    expect(await refusal(await upload(a.api, 'fake.png', Buffer.from('just text, not an image'), 'image/png'))).toEqual([400, 'bad_request', 'type_mismatch']);
    expect(await refusal(await upload(a.api, 'big.txt', Buffer.alloc(1048577, 0x61)))).toEqual([413, 'payload_too_large', 'too_large']);
    const notMultipart = await a.api.request('POST', '/api/files', 'hello', { 'content-type': 'text/plain' });
    expect([notMultipart.status, notMultipart.body.error.details[0].code]).toEqual([400, 'not_multipart']);
    const noBoundary = await a.api.request('POST', '/api/files', 'hello', { 'content-type': 'multipart/form-data' });
    expect([noBoundary.status, noBoundary.body.error.details[0].code]).toEqual([400, 'malformed']);

    // The day's allowance: 2 MB, of which two 700 KB files pass and a third is cut off at what is left.
    ok(await upload(a.api, 'one.txt', Buffer.alloc(700 * 1024, 0x62)), 201);
    ok(await upload(a.api, 'two.txt', Buffer.alloc(700 * 1024, 0x63)), 201);
    expect(await refusal(await upload(a.api, 'three.txt', Buffer.alloc(700 * 1024, 0x64)))).toEqual([413, 'payload_too_large', 'daily_quota']);
    // The limits the client shows before an upload: any signed-in user reads them, with what is left of their own day.
    const limits = ok(await a.api.get('/api/files/limits'));
    expect(limits).toEqual({ maxFileMb: 1, dailyMbPerUser: 2, allowedTypes: ['image/*', 'application/pdf', 'text/plain'], remainingTodayBytes: 2 * 1048576 - 1400 * 1024 });
    const signedOut = await server.client().get('/api/files/limits');
    expect([signedOut.status, signedOut.body.error.code]).toEqual([401, 'unauthenticated']);

    expect((await stored()).length - before.length).toBe(2);
    expect(await spool()).toEqual([]);
    ok(await admin.patch('/api/settings', { fileLimits: { maxFileMb: 100, dailyMbPerUser: 2000, allowedTypes: ['image/*', 'application/pdf', 'text/plain', 'application/zip'] } }));
  });
});
