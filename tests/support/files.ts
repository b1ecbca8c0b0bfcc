import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import S3rver from 's3rver';
import type { ApiClient, ApiResponse } from './api.js';

/** Uploads bytes as multipart/form-data (part "file") with the given name and claimed type. */
export async function upload(api: ApiClient, name: string, bytes: Buffer | Uint8Array, type = 'application/octet-stream'): Promise<ApiResponse> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const response = await fetch(api.baseUrl + '/api/files', { method: 'POST', headers: api.token ? { authorization: `Bearer ${api.token}` } : {}, body: form });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body, headers: response.headers };
}

/** A JPEG photo with a GPS position and a camera make in its EXIF, as phones write them. */
export function photoWithGps(width = 1200, height = 800, seed = 0): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: (seed * 37) % 256, g: 120, b: 200 } } })
    .withExif({ IFD0: { Make: 'HuitongPhone', Model: 'T1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 0/1' } })
    .jpeg()
    .toBuffer();
}

/** A small valid PDF. */
export const pdfBytes = () => Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** A GET with the bearer token that does not follow redirects and keeps the body as bytes. */
export async function getRaw(api: ApiClient, pathOrUrl: string, headers: Record<string, string> = {}) {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : api.baseUrl + pathOrUrl;
  const response = await fetch(url, { headers: { ...(api.token && !pathOrUrl.startsWith('http') ? { authorization: `Bearer ${api.token}` } : {}), ...headers }, redirect: 'manual' });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Downloads through the server, following an S3 redirect without sending our token on to the store. */
export async function download(api: ApiClient, pathOrUrl: string, headers: Record<string, string> = {}) {
  const first = await getRaw(api, pathOrUrl, headers);
  if (first.status !== 302) return { ...first, redirected: null as string | null };
  const location = first.headers.get('location')!;
  return { ...(await getRaw(api, location, headers)), redirected: location };
}

/** Everything under a directory (relative paths), to see that nothing was left behind. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** A fresh data directory for one test file's server. */
export const tempDataDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'huitong-files-'));

/** A real S3-compatible server (s3rver) on 127.0.0.1 and a free port, storing under a temporary directory. */
export async function startS3(): Promise<{ endpoint: string; dir: string; close: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'huitong-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const address = (await server.run()) as { address: string; port: number };
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    dir,
    close: async () => {
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** The S3 environment of a test server using s3rver (its default credentials). */
export const s3Env = (endpoint: string, bucket: string) => ({
  FILE_STORAGE: 's3',
  S3_ENDPOINT: endpoint,
  S3_BUCKET: bucket,
  S3_REGION: 'us-east-1',
  S3_ACCESS_KEY_ID: 'S3RVER',
  S3_SECRET_ACCESS_KEY: 'S3RVER',
  S3_FORCE_PATH_STYLE: 'true',
});

/**
 * Streams `total` bytes of a multipart upload from a generator (never more than one 1 MB chunk in
 * memory) and resolves with the server's answer, or the answer it gave before closing the connection.
 */
export function streamUpload(baseUrl: string, token: string, name: string, total: number): Promise<{ status: number; body: any; sent: number }> {
  const boundary = '----huitong' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(1 << 20, 7);
  // Starts like a zip so the content sniffs as an allowed type.
  const first = Buffer.from(chunk);
  Buffer.from('PK\u0003\u0004').copy(first);
  const url = new URL(baseUrl + '/api/files');
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      { method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' } },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null, sent }));
        res.on('error', () => resolve({ status: res.statusCode!, body: text ? safeJson(text) : null, sent }));
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.write(head);
    const pump = () => {
      while (sent < total) {
        const n = Math.min(chunk.length, total - sent);
        const piece = sent === 0 ? first.subarray(0, n) : chunk.subarray(0, n);
        sent += n;
        if (req.destroyed) return;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    pump();
  });
}

const safeJson = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};
