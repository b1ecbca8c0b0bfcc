import Router from '@koa/router';
import contentDisposition from 'content-disposition';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import parseRange from 'range-parser';
import { z } from 'zod';
import { attachmentHostKinds, inlineImageTypes, type AttachmentHostKind } from '../../../../shared/files.js';
import { attachFilesSchema, hostIdsQuerySchema } from '../../../../shared/schemas/files.js';
import { attachmentsAdder, fileDetacher, uploadRecorder } from '../../../commands/files/files.js';
import { AppError, fieldProblem, notFound } from '../../../errors.js';
import { checkAllowed, receiveUpload, sniff, uploadRefusal } from '../../../files/upload.js';
import { requireMayAttach, requireVisibleHost } from '../../../policies/files.js';
import { bytesUploadedToday, hostAttachments, readFileLimits, servableFile, visibleFile, visibleHostsAttachments, type Servable } from '../../../queries/files.js';
import type { AppContext, AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/files';

/** Shown in the browser: raster images, PDF, audio, video and plain text; everything else (HTML, SVG, executables …) is saved, never rendered. */
const INLINE = new Set<string>([...inlineImageTypes, 'application/pdf', 'text/plain']);
const inline = (mime: string) => INLINE.has(mime) || mime.startsWith('audio/') || mime.startsWith('video/');

/** A served file can run nothing and load nothing, even if a browser were talked into rendering it. */
const FILE_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox";

function serveAs(file: Servable, download: boolean) {
  const asInline = inline(file.mime) && !download;
  // Text is served as UTF-8 plain text; a type we will not render is an opaque download.
  const contentType = !inline(file.mime) ? 'application/octet-stream' : file.mime.startsWith('text/') ? `${file.mime}; charset=utf-8` : file.mime;
  return { contentType, disposition: contentDisposition(file.name, { type: asInline ? 'inline' : 'attachment' }) };
}

const hostKind = z.enum(attachmentHostKinds);

/**
 * Files: upload (multipart, streamed to the spool and checked before it is stored), details,
 * content and thumbnail (each checked against fileVisibilityFilter; Range requests; S3: a short-lived
 * presigned redirect after the same check), and the attachments of any object.
 */
export function filesRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The file');
    return next();
  });
  const storage = () => deps.files;

  route(router, P, { method: 'get', path: '/limits', summary: 'The file limits in force and what is left of the user’s day', tag: 'files', access: 'user' }, async ({ ctx, user }) => {
    const limits = await readFileLimits(ctx.state.em);
    const used = await bytesUploadedToday(ctx.state.em, user.id);
    return { ...limits, remainingTodayBytes: Math.max(0, limits.dailyMbPerUser * 1048576 - used) };
  });

  route(router, P, { method: 'post', path: '/', summary: 'Upload one file (multipart/form-data, part "file"); answers its id', tag: 'files', access: 'user', status: 201 }, async ({ ctx, run, user }) => {
    const em = ctx.state.em;
    const limits = await readFileLimits(em);
    const remaining = limits.dailyMbPerUser * 1048576 - (await bytesUploadedToday(em, user.id));
    const perFile = limits.maxFileMb * 1048576;
    const quotaBound = remaining < perFile;
    try {
      if (remaining <= 0) throw new AppError(413, 'payload_too_large', 'Your daily upload allowance is used up', [fieldProblem('file', 'daily_quota', 'daily allowance used up')]);
      await storage().ready();
      const spooled = await receiveUpload(ctx.req, storage().spoolDir, Math.min(perFile, remaining), quotaBound ? 'daily_quota' : 'too_large');
      try {
        if (spooled.size === 0) throw uploadRefusal('empty', 'The file is empty');
        const sniffed = await sniff(spooled.file, spooled.name);
        checkAllowed(sniffed, limits);
        return await uploadRecorder({ run, storage: storage() }, spooled, sniffed);
      } finally {
        await fsp.rm(spooled.file, { force: true });
      }
    } catch (error) {
      closeUnreadRequest(ctx);
      throw error;
    }
  });

  route(router, P, { method: 'get', path: '/:id', summary: 'One file’s details', tag: 'files', access: 'user' }, async ({ ctx, user, params }) => visibleFile(ctx.state.em, user, params.id));

  const download = (part: 'content' | 'thumbnail') => async ({ ctx, user, params }: { ctx: AppContext; user: Parameters<typeof servableFile>[1]; params: Record<string, string> }) => {
    const file = await servableFile(ctx.state.em, user, params.id);
    const key = part === 'content' ? file.storageKey : file.thumbKey;
    if (!key) throw notFound('The thumbnail');
    const served = part === 'content' ? serveAs(file, ctx.query.download === '1') : { contentType: 'image/webp', disposition: contentDisposition(`${file.name}.webp`, { type: 'inline' }) };
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', FILE_CSP);
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    const store = storage();
    if (store.presignedUrl) {
      // Everyone's link is different and dies in FILE_URL_TTL_SECONDS: the check above is made again for the next one.
      ctx.set('Cache-Control', 'no-store');
      ctx.status = 302;
      ctx.redirect(await store.presignedUrl(key, served, deps.config.files.urlTtlSeconds));
      return 'Redirecting to the file';
    }
    const path = store.pathOf!(key);
    const size = part === 'content' ? file.size : (await fsp.stat(path)).size;
    ctx.set('Content-Type', served.contentType);
    ctx.set('Content-Disposition', served.disposition);
    ctx.set('Accept-Ranges', 'bytes');
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.set('ETag', `"${file.sha256}${part === 'thumbnail' ? '-t' : ''}"`);
    if (ctx.fresh) {
      ctx.status = 304;
      return null;
    }
    const range = ctx.get('range');
    if (range && part === 'content') {
      const ranges = parseRange(size, range, { combine: true });
      if (ranges === -1) {
        ctx.set('Content-Range', `bytes */${size}`);
        throw new AppError(416, 'bad_request', 'The requested range is outside the file');
      }
      // One range is served as asked; several (rare, multipart/byteranges) get the whole file, which HTTP allows.
      if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
        const [{ start, end }] = ranges;
        ctx.status = 206;
        ctx.set('Content-Range', `bytes ${start}-${end}/${size}`);
        ctx.length = end - start + 1;
        return fs.createReadStream(path, { start, end });
      }
    }
    ctx.length = size;
    return fs.createReadStream(path);
  };
  route(router, P, { method: 'get', path: '/:id/content', summary: 'The file (Range requests; inline only for images, PDF, media and plain text)', tag: 'files', access: 'user', envelope: false }, download('content'));
  route(router, P, { method: 'get', path: '/:id/thumbnail', summary: 'An image’s thumbnail (WebP, at most 480 px)', tag: 'files', access: 'user', envelope: false }, download('thumbnail'));

  return router;
}

/** The attachments of any object: listed for whoever sees it, added and removed by whoever may change it. */
export function attachmentsRouter(_deps: AppDeps) {
  const A = '/api/attachments';
  const router = new Router({ prefix: A });
  router.param('hostId', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The object');
    return next();
  });
  router.param('fileId', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The file');
    return next();
  });
  router.param('kind', async (kind, ctx, next) => {
    if (!hostKind.safeParse(kind).success) throw notFound('The object');
    return next();
  });
  route(router, A, { method: 'get', path: '/:kind', summary: 'The files of many objects of one kind (?ids=1,2,3), by id, for those the user sees', tag: 'files', access: 'user', query: hostIdsQuerySchema }, async ({ ctx, user, params, query }) => ({
    byHost: await visibleHostsAttachments(ctx.state.em, user, params.kind as AttachmentHostKind, query.ids),
  }));
  route(router, A, { method: 'get', path: '/:kind/:hostId', summary: 'The files attached to an object the user sees', tag: 'files', access: 'user' }, async ({ ctx, user, params }) => {
    await requireVisibleHost(ctx.state.em, user, params.kind as AttachmentHostKind, params.hostId);
    return { items: await hostAttachments(ctx.state.em, params.kind as AttachmentHostKind, params.hostId), nextCursor: null };
  });
  route(router, A, { method: 'post', path: '/:kind/:hostId', summary: 'Attach one’s own uploads to an object', tag: 'files', access: 'user', body: attachFilesSchema, status: 201 }, async ({ run, user, params, body }) =>
    run(async (cx) => {
      await requireMayAttach(cx.em, user, params.kind as AttachmentHostKind, params.hostId);
      await attachmentsAdder(cx, params.kind as AttachmentHostKind, params.hostId, body.fileIds);
      return { items: await hostAttachments(cx.em, params.kind as AttachmentHostKind, params.hostId), nextCursor: null };
    }),
  );
  route(router, A, { method: 'delete', path: '/:kind/:hostId/:fileId', summary: 'Take a file off an object', tag: 'files', access: 'user', status: 204 }, async ({ run, user, params }) =>
    run(async (cx) => {
      await requireMayAttach(cx.em, user, params.kind as AttachmentHostKind, params.hostId);
      await fileDetacher(cx, params.kind as AttachmentHostKind, params.hostId, params.fileId);
    }),
  );
  return router;
}

/**
 * A refused upload may still be arriving (a 1 GB file refused at 100 MB): rather than read the rest
 * only to drop it, the connection is closed once the refusal is sent.
 */
function closeUnreadRequest(ctx: AppContext) {
  if (ctx.req.complete) return;
  ctx.set('Connection', 'close');
  ctx.res.once('finish', () => {
    if (!ctx.req.complete) ctx.req.socket.destroySoon();
  });
}

