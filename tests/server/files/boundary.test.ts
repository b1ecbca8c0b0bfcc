/**
 * The upload boundary: malformed multipart requests (property-based) never answer 500 and leave no
 * file behind; an interrupted upload leaves nothing; a 1 GB upload is refused at the limit and a
 * 50 MB one stored, both without the server's memory growing with the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startTestServer, type TestServer } from '../../support/server.js';
import type { ApiClient } from '../../support/api.js';
import { createUsers } from '../../support/chat.js';
import { filesUnder, streamUpload, tempDataDir } from '../../support/files.js';
import { eventually } from '../../support/timing.js';

let server: TestServer;
let dataDir: string;
let user: ApiClient;

beforeAll(async () => {
  dataDir = await tempDataDir();
  server = await startTestServer({ DATA_DIR: dataDir });
  const admin = await server.admin();
  [{ api: user }] = await createUsers(admin, 1);
});
afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const spool = () => filesUnder(path.join(dataDir, 'files', 'spool'));
const uploads = async () => (await server.orm.em.fork().execute(`SELECT count(*)::int AS n FROM files`))[0].n as number;

/** Posts raw bytes to /api/files with the given content type. */
async function post(body: Buffer, contentType: string) {
  const response = await fetch(server.url + '/api/files', { method: 'POST', headers: { authorization: `Bearer ${user.token}`, 'content-type': contentType }, body: new Uint8Array(body) });
  const text = await response.text();
  return { status: response.status, text };
}

const BOUNDARY = 'xYzBoundary42';
const validParts = (name: string, content: string) => [`--${BOUNDARY}\r\n`, `Content-Disposition: form-data; name="file"; filename="${name}"\r\n`, 'Content-Type: text/plain\r\n', '\r\n', content, `\r\n--${BOUNDARY}--\r\n`];

/** A multipart body that follows the grammar, then is cut, has pieces dropped, duplicated or replaced by noise. */
const mutatedBody = fc
  .record({
    name: fc.oneof(fc.constant('note.txt'), fc.string({ maxLength: 40 }), fc.constant('../../etc/passwd'), fc.constant('名单.csv')),
    content: fc.oneof(fc.string({ maxLength: 200 }), fc.constant('')),
    drop: fc.array(fc.nat(5), { maxLength: 2 }),
    noise: fc.option(fc.record({ at: fc.nat(5), bytes: fc.uint8Array({ maxLength: 60 }) })),
    cut: fc.option(fc.nat(400)),
    header: fc.oneof(fc.constant(`multipart/form-data; boundary=${BOUNDARY}`), fc.constant('multipart/form-data'), fc.constant('multipart/form-data; boundary='), fc.constant(`multipart/form-data; boundary="${BOUNDARY}x"`), fc.string({ maxLength: 40 })),
  })
  .map(({ name, content, drop, noise, cut, header }) => {
    let parts: Buffer[] = validParts(name.replace(/["\r\n]/g, ''), content).map((p) => Buffer.from(p));
    parts = parts.filter((_, i) => !drop.includes(i));
    if (noise) parts.splice(noise.at, 0, Buffer.from(noise.bytes));
    let body = Buffer.concat(parts);
    if (cut !== null) body = body.subarray(0, cut);
    return { body, header };
  });

describe('the upload boundary', () => {
  it('answers every malformed multipart request with a 4xx or a stored file, never a 500, and leaves no partial file', { timeout: 120_000 }, async () => {
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(mutatedBody, async ({ body, header }) => {
        const res = await post(body, header);
        expect(res.status, res.text).toBeLessThan(500);
        if (res.status === 201) stored += 1;
        else expect([400, 413]).toContain(res.status);
        expect(await spool()).toEqual([]);
      }),
      { numRuns: 80 },
    );
    expect(await uploads()).toBe(stored);
  });

  it('leaves nothing behind when the client goes away mid-upload', { timeout: 30_000 }, async () => {
    const before = await uploads();
    await new Promise<void>((resolve) => {
      const url = new URL(server.url + '/api/files');
      const req = http.request({ method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, headers: { authorization: `Bearer ${user.token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' } });
      req.on('error', () => resolve());
      req.write(validParts('half.txt', '').slice(0, 4).join(''));
      req.write(Buffer.alloc(3 << 20, 0x61), () => {
        req.destroy();
        resolve();
      });
    });
    await eventually(async () => (await spool()).length === 0, { what: 'the spool to be emptied' });
    expect(await uploads()).toBe(before);
  });

  it('refuses a 1 GB upload at the 100 MB limit and stores a 50 MB one, with bounded server memory', { timeout: 120_000 }, async () => {
    const sample = () => process.memoryUsage().rss;
    global.gc?.();
    const baseline = sample();
    let peak = baseline;
    const timer = setInterval(() => (peak = Math.max(peak, sample())), 10);
    try {
      const refused = await streamUpload(server.url, user.token!, 'huge.bin', 1024 * 1048576);
      expect(refused.status).toBe(413);
      expect(refused.body.error.details[0].code).toBe('too_large');
      // The connection was closed at the limit: far from the whole gigabyte went out.
      expect(refused.sent).toBeLessThan(400 * 1048576);
      const accepted = await streamUpload(server.url, user.token!, 'big.bin', 50 * 1048576);
      expect(accepted.status).toBe(201);
      expect(accepted.body.data.size).toBe(50 * 1048576);
    } finally {
      clearInterval(timer);
    }
    // Server and client share this process: both stream, so the whole run stays within a few tens of MB.
    expect((peak - baseline) / 1048576).toBeLessThan(64);
    expect(await spool()).toEqual([]);
  });
});
