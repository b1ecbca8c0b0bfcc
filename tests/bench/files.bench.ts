/**
 * `npm run bench:files`: downloads and uploads through the product's authorised path (session,
 * fileVisibilityFilter, local-disk store) beside a bare Node HTTP server streaming the same file from
 * disk, each server in its own process, in the same run:
 *   - download_mb_s: 32 concurrent downloads of a 20 MB file (BENCH_ROUNDS rounds, default 3), ours
 *     and bare, and their ratio;
 *   - upload_mb_s: 8 concurrent uploads of distinct 20 MB files to local disk (multipart, hashed,
 *     sniffed, spooled and stored);
 *   - rss_mb: the server's peak resident memory during both, sampled every 25 ms.
 * Ends with `RESULT download_ratio=… upload_mb_s=… rss_mb=…`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { freePort } from '../support/globalSetup.js';
import { type Child, forkChild, waitReady } from './ipc.js';

const MB = 1048576;
const FILE_MB = 20;
const DOWNLOADS = 32;
const UPLOADS = 8;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ADMIN = { email: 'admin@huitong.bench', password: 'bench-admin-password' };
const log = (line: string) => console.log(line);

/** A 20 MB PDF as far as sniffing goes (its header), random after it so that nothing compresses or deduplicates. */
const pdfOf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(bytes - 9)]);

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { data: { token: string } }).data.token;
}

async function upload(url: string, token: string, name: string, bytes: Buffer): Promise<{ id: string; size: number }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
  const res = await fetch(`${url}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { data?: { id: string; size: number }; error?: unknown };
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(body)}`);
  return body.data!;
}

/** Reads a whole answer, keeping only its length. */
async function drain(url: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) total += chunk.length;
  return total;
}

/** `concurrency` clients each downloading `rounds` times; MB/s over the whole. */
async function downloads(url: string, headers: Record<string, string>, expected: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: DOWNLOADS }, async () => {
      for (let r = 0; r < ROUNDS; r++) if ((await drain(url, headers)) !== expected) throw new Error('short download');
    }),
  );
  return (DOWNLOADS * ROUNDS * expected) / MB / ((performance.now() - started) / 1000);
}

/** Samples a server's RSS while `work` runs; the peak in MB. */
async function peakRss<T>(runner: Child, work: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = (await runner.call<{ rss: number }>('stats')).rss;
  let running = true;
  const sampling = (async () => {
    while (running) {
      peak = Math.max(peak, (await runner.call<{ rss: number }>('stats')).rss);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  try {
    return { value: await work(), peakMb: peak / MB };
  } finally {
    running = false;
    await sampling;
  }
}

async function main() {
  log(`Huitong files benchmark — ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, Node ${process.version}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huitong-bench-files-'));
  // Its own directory: the embedded cluster opens it to PostgreSQL's user when run as root.
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'huitong-bench-files-db-'));
  let embedded: EmbeddedDatabase | undefined;
  const children: Child[] = [];
  try {
    embedded = await startEmbeddedPostgres({ dataDir: dbDir, port: await freePort(), database: 'huitong', callerHandlesSignals: true });
    const sample = path.join(dir, 'sample.pdf');
    const content = pdfOf(FILE_MB * MB);
    fs.writeFileSync(sample, content);
    const ours = forkChild('huitong server', 'serverRunner.ts', ['huitong'], {
      env: { BENCH_DATABASE_URL: embedded.url, BENCH_ADMIN_EMAIL: ADMIN.email, BENCH_ADMIN_PASSWORD: ADMIN.password, BENCH_DATA_DIR: path.join(dir, 'data') },
      nodeFlags: ['--expose-gc'],
    });
    const bare = forkChild('bare file server', 'serverRunner.ts', ['files-bare'], { env: { BENCH_FILE: sample }, nodeFlags: ['--expose-gc'] });
    children.push(ours, bare);
    const [oursReady, bareReady] = await Promise.all([waitReady<{ port: number }>(ours), waitReady<{ port: number }>(bare)]);
    const oursUrl = `http://127.0.0.1:${oursReady.port}`;
    const bareUrl = `http://127.0.0.1:${bareReady.port}`;
    const token = await login(oursUrl);
    const file = await upload(oursUrl, token, 'price-sheet.pdf', content);
    const auth = { authorization: `Bearer ${token}` };
    // Warm both paths (file system cache, connections, JIT).
    await drain(`${oursUrl}/api/files/${file.id}/content`, auth);
    await drain(bareUrl, {});
    await ours.call('gc');
    const idle = (await ours.call<{ rss: number }>('stats')).rss / MB;

    // The bare server runs before and after ours (its mean is the baseline), so that a machine busier at one moment does not favour either.
    const bareBefore = await downloads(bareUrl, {}, file.size);
    const down = await peakRss(ours, () => downloads(`${oursUrl}/api/files/${file.id}/content`, auth, file.size));
    const bareAfter = await downloads(bareUrl, {}, file.size);
    const bareMbS = (bareBefore + bareAfter) / 2;
    const ratio = down.value / bareMbS;
    log(`download: ${DOWNLOADS} concurrent × ${ROUNDS} of ${FILE_MB} MB — ours ${down.value.toFixed(0)} MB/s, bare Node server ${bareMbS.toFixed(0)} MB/s (${bareBefore.toFixed(0)} before, ${bareAfter.toFixed(0)} after), ratio ${ratio.toFixed(2)} (target ≥ 0.7)`);

    const bodies = Array.from({ length: UPLOADS }, () => pdfOf(FILE_MB * MB));
    const up = await peakRss(ours, async () => {
      const started = performance.now();
      await Promise.all(bodies.map((b, i) => upload(oursUrl, token, `upload-${i}.pdf`, b)));
      return (UPLOADS * FILE_MB) / ((performance.now() - started) / 1000);
    });
    log(`upload: ${UPLOADS} concurrent × ${FILE_MB} MB to local disk — ${up.value.toFixed(0)} MB/s`);
    const rss = Math.max(down.peakMb, up.peakMb);
    log(`server memory: idle ${idle.toFixed(0)} MB after GC; peak ${down.peakMb.toFixed(0)} MB downloading, ${up.peakMb.toFixed(0)} MB uploading (target < 300 MB)`);
    log(`RESULT download_ratio=${ratio.toFixed(2)} upload_mb_s=${up.value.toFixed(0)} rss_mb=${rss.toFixed(0)}`);
  } finally {
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
    await embedded?.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(dbDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
