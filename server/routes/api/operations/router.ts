import Router from '@koa/router';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { auditQuerySchema, backupListQuerySchema } from '../../../../shared/schemas/operations.js';
import { backupStarter } from '../../../commands/operations/backups.js';
import { notFound } from '../../../errors.js';
import { csvDownloadHeaders, csvStream, type CsvCell } from '../../../exports/csv.js';
import { requireOperator } from '../../../policies/operations.js';
import { auditLog, auditLogForExport, backupById, backupList, lastScheduledFailure } from '../../../queries/operations.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/admin';

/**
 * The audit log (read and exported; no route writes, changes or deletes an entry) and the backups
 * (listed, started, downloaded), for administrators; 404 to everyone else.
 */
export function operationsRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The backup');
    return next();
  });

  route(router, P, { method: 'get', path: '/audit', summary: 'The audit log, newest first, filtered by actor, action, object, address and time (administrators)', tag: 'operations', access: 'user', query: auditQuerySchema }, async ({ ctx, user, query }) => {
    requireOperator(user, 'The audit log');
    return auditLog(ctx.state.em, query);
  });

  route(
    router,
    P,
    { method: 'get', path: '/audit/export', summary: 'The filtered audit log as a CSV file (UTF-8 with BOM; formula-like cells neutralised)', tag: 'operations', access: 'user', query: auditQuerySchema, envelope: false },
    async ({ ctx, user, query, run }) => {
      requireOperator(user, 'The audit log');
      const { limit: _limit, before: _before, ...filters } = query;
      await run((cx) => cx.audit({ action: 'audit.exported', targetType: 'audit_log', data: { filters } }));
      ctx.set(csvDownloadHeaders(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`));
      const rows = async function* (): AsyncGenerator<CsvCell[]> {
        for await (const e of auditLogForExport(ctx.state.em, filters)) {
          yield [e.at, e.action, e.actor?.email ?? '', e.actor?.displayName ?? '', e.address ?? '', e.targetType ?? '', e.targetId ?? '', JSON.stringify(e.data)];
        }
      };
      return csvStream(['time', 'action', 'actor_email', 'actor_name', 'address', 'object_type', 'object_id', 'details'], rows());
    },
  );

  route(router, P, { method: 'get', path: '/backups', summary: 'Backups made by the server, newest first, and whether the last scheduled one failed (administrators)', tag: 'operations', access: 'user', query: backupListQuerySchema }, async ({ ctx, user, query }) => {
    requireOperator(user, 'The backups');
    const page = await backupList(ctx.state.em, query);
    return { ...page, lastScheduledFailed: await lastScheduledFailure(ctx.state.em), schedule: deps.config.backup.time, encrypted: Boolean(deps.config.backup.key), storage: deps.jobs.operations.bucket ? 's3' : 'local' };
  });

  // The shell asks this on every page for administrators: one small read, 404 to anyone else like the rest.
  route(router, P, { method: 'get', path: '/backups/status', summary: 'Whether the last scheduled backup failed, for the banner every page shows administrators', tag: 'operations', access: 'user' }, async ({ ctx, user }) => {
    requireOperator(user, 'The backups');
    return { lastScheduledFailed: await lastScheduledFailure(ctx.state.em) };
  });

  route(router, P, { method: 'post', path: '/backups', summary: 'Start a backup now; it is made in the background (administrators)', tag: 'operations', access: 'user', status: 202 }, async ({ ctx, user, run }) => {
    requireOperator(user, 'The backups');
    const id = await run((cx) => backupStarter(cx));
    return backupById(ctx.state.em, id);
  });

  route(router, P, { method: 'get', path: '/backups/:id/download', summary: 'Download a backup archive (administrators; the download is audited)', tag: 'operations', access: 'user', envelope: false }, async ({ ctx, user, params, run }) => {
    requireOperator(user, 'The backup');
    const backup = await backupById(ctx.state.em, params.id);
    if (!backup || !backup.can.download || !backup.fileName) throw notFound('The backup');
    const name = path.basename(backup.fileName);
    // An archive in the bucket streams through this check too: the bucket is never exposed to the browser.
    const bucket = deps.jobs.operations.bucket;
    const archive =
      backup.storage === 's3'
        ? await bucket?.openArchive(name)
        : await fsp.stat(path.join(deps.config.backup.dir, name)).then(
            (stat) => ({ stream: fs.createReadStream(path.join(deps.config.backup.dir, name)), bytes: stat.size }),
            () => null,
          );
    if (!archive) throw notFound('The backup');
    try {
      await run((cx) => cx.audit({ action: 'backup.downloaded', targetType: 'backup', targetId: backup.id, data: { fileName: backup.fileName, bytes: archive.bytes, storage: backup.storage } }));
    } catch (error) {
      archive.stream.destroy();
      throw error;
    }
    ctx.set({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(archive.bytes), 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'private, no-store' });
    return archive.stream;
  });
  return router;
}
