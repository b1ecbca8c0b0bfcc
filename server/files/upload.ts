import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile, supportedExtensions } from 'file-type';
import { AppError, badRequest, fieldProblem } from '../errors.js';
import { inlineImageTypes, typeAllowed, type FileLimits } from '../../shared/files.js';

/** An upload received completely into the spool directory, hashed on the way. */
export type Spooled = { file: string; name: string; claimedType: string; size: number; sha256: string };

const refuse = (code: string, message: string) => badRequest(message, [fieldProblem('file', code, message)]);
const tooLarge = (code: string, message: string) => new AppError(413, 'payload_too_large', message, [fieldProblem('file', code, message)]);

/**
 * Reads a multipart/form-data request with one part named `file` into a spool file, computing its
 * sha256 and size as the bytes pass (never holding the file in memory). Refuses beyond `maxBytes`
 * (the smaller of the file limit and what is left of the user's day) the moment it is crossed; any
 * refusal or an interrupted request removes the spool file. Busboy parses the multipart framing.
 */
export async function receiveUpload(req: IncomingMessage, spoolDir: string, maxBytes: number, quotaCode: 'too_large' | 'daily_quota'): Promise<Spooled> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw refuse('not_multipart', 'Send the file as multipart/form-data with one part named "file"');
  const declared = Number(req.headers['content-length']);
  // A length known to exceed the limit is refused before a byte is read (the part headers need a little room).
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) throw limitError(quotaCode, maxBytes);

  const spoolFile = path.join(spoolDir, `${randomUUID()}.part`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 20 }, defParamCharset: 'utf8' });
  } catch {
    throw refuse('malformed', 'The multipart request is malformed (its boundary is missing)');
  }

  return new Promise<Spooled>((resolve, reject) => {
    let settled = false;
    let received: Omit<Spooled, 'file'> | null = null;
    let writing: Promise<void> | null = null;
    let sawFile = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      parser.removeAllListeners('file');
      void fsp.rm(spoolFile, { force: true }).finally(() => reject(error));
    };
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || sawFile) {
        stream.resume();
        return;
      }
      sawFile = true;
      const hash = createHash('sha256');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      stream.on('limit', () => fail(limitError(quotaCode, maxBytes)));
      writing = pipeline(stream, counter, fs.createWriteStream(spoolFile)).then(() => {
        received = { name: cleanName(info.filename), claimedType: info.mimeType, size, sha256: hash.digest('hex') };
      });
      writing.catch(fail);
    });
    parser.on('error', () => fail(refuse('malformed', 'The multipart request is malformed')));
    parser.on('close', () => {
      if (settled) return;
      if (!sawFile) return fail(refuse('missing', 'The request holds no part named "file"'));
      writing!.then(() => {
        if (settled) return;
        settled = true;
        resolve({ file: spoolFile, ...received! });
      }, fail);
    });
    req.on('aborted', () => fail(refuse('interrupted', 'The upload was interrupted')));
    req.on('error', () => fail(refuse('interrupted', 'The upload was interrupted')));
    req.pipe(parser);
  });
}

function limitError(code: 'too_large' | 'daily_quota', maxBytes: number) {
  const mb = Math.floor(maxBytes / 1048576);
  return code === 'too_large'
    ? tooLarge('too_large', `The file is larger than the limit of ${mb} MB`)
    : tooLarge('daily_quota', `The file is larger than what is left of your daily upload allowance (${mb} MB)`);
}

/** A file name as shown and offered for saving: no directories, no control characters, at most 255 characters. */
export function cleanName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const name = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return name || 'file';
}

const extensionAliases: Record<string, string> = { jpeg: 'jpg', jpe: 'jpg', tiff: 'tif', htm: 'html', markdown: 'md' };
const normalExt = (ext: string) => extensionAliases[ext] ?? ext;
const knownBinaryExtensions = new Set([...supportedExtensions].map(normalExt));

/** What the content is: sniffed by file-type, or recognised as text (plain, CSV, Markdown, HTML) from its first bytes. */
export type Sniffed = { mime: string; ext: string | null };

export async function sniff(spoolFile: string, name: string): Promise<Sniffed> {
  const nameExt = path.extname(name).slice(1).toLowerCase();
  const found = await fileTypeFromFile(spoolFile);
  if (found) {
    // The name claims another kind of binary (a PDF named .jpg): refuse rather than guess which is meant.
    if (nameExt && knownBinaryExtensions.has(normalExt(nameExt)) && normalExt(nameExt) !== normalExt(found.ext) && !sameContainer(nameExt, found.ext)) {
      throw refuse('type_mismatch', `The content is ${found.mime} (${found.ext}), not what the name ${name} says`);
    }
    return { mime: found.mime, ext: found.ext };
  }
  const handle = await fsp.open(spoolFile, 'r');
  const head = Buffer.alloc(8192);
  const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close());
  const text = head.subarray(0, bytesRead);
  if (knownBinaryExtensions.has(normalExt(nameExt))) throw refuse('type_mismatch', `The content is not a .${nameExt} file`);
  if (text.includes(0)) return { mime: 'application/octet-stream', ext: null };
  const start = text.toString('utf8').replace(/^\uFEFF/, '').trimStart().slice(0, 1024).toLowerCase();
  if (/^<(!doctype html|html|head|body|script|svg|\?xml)/.test(start) || ['html', 'htm', 'svg', 'xhtml', 'xml'].includes(nameExt)) return { mime: 'text/html', ext: 'html' };
  if (nameExt === 'csv') return { mime: 'text/csv', ext: 'csv' };
  if (nameExt === 'md' || nameExt === 'markdown') return { mime: 'text/markdown', ext: 'md' };
  return { mime: 'text/plain', ext: 'txt' };
}

/** Office documents are zip containers, and old ones compound files: those names match those contents. */
function sameContainer(nameExt: string, found: string): boolean {
  return (found === 'zip' && ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub', 'jar', 'apk'].includes(nameExt)) || (found === 'cfb' && ['doc', 'xls', 'ppt', 'msg'].includes(nameExt));
}

/** Refuses what the organisation does not accept (checked on the sniffed type). */
export function checkAllowed(sniffed: Sniffed, limits: FileLimits) {
  if (!typeAllowed(sniffed.mime, limits.allowedTypes)) throw refuse('type_not_allowed', `Files of type ${sniffed.mime} are not accepted here`);
}

export { refuse as uploadRefusal };

let sharpModule: Promise<typeof import('sharp')['default']> | undefined;
/** sharp (libvips) is loaded with the first image, without its cache: each image is read once, and memory stays with the server. */
function loadSharp() {
  return (sharpModule ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    sharp.concurrency(1);
    return sharp;
  }));
}

/** An image made ready for storing: EXIF (location, camera) stripped, orientation applied, with a thumbnail. */
export type PreparedImage = { file: string; thumbnail: string; width: number; height: number };

/**
 * Re-encodes a raster image without its metadata (sharp keeps none unless asked): this is what drops
 * GPS positions from phone photos. Orientation is applied first so the picture still stands upright.
 * GIFs keep their frames (no EXIF there); the thumbnail is a 480 px WebP of the first frame.
 */
export async function prepareImage(spoolFile: string, mime: string): Promise<PreparedImage | null> {
  if (!(inlineImageTypes as readonly string[]).includes(mime)) return null;
  const sharp = await loadSharp();
  const stripped = `${spoolFile}.clean`;
  const thumbnail = `${spoolFile}.thumb.webp`;
  try {
    const source = () => sharp(spoolFile, { animated: mime === 'image/gif', limitInputPixels: 100_000_000 });
    if (mime === 'image/gif') await fsp.copyFile(spoolFile, stripped);
    else await source().rotate().toFormat(mime.slice('image/'.length) as 'jpeg' | 'png' | 'webp' | 'avif').toFile(stripped);
    const meta = await sharp(stripped).metadata();
    await sharp(stripped, { pages: 1 }).resize(480, 480, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toFile(thumbnail);
    return { file: stripped, thumbnail, width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0 };
  } catch {
    await Promise.all([fsp.rm(stripped, { force: true }), fsp.rm(thumbnail, { force: true })]);
    throw refuse('type_mismatch', 'The image cannot be read: it is damaged or not the image its type says');
  }
}
