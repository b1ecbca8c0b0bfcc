import Router from '@koa/router';
import {
  acknowledgeSchema,
  announcementCreateSchema,
  announcementFeedQuerySchema,
  announcementRevisionSchema,
  announcementUpdateSchema,
  ledgerQuerySchema,
  remindSchema,
  scopePreviewSchema,
} from '../../../../shared/schemas/announcements.js';
import { announcementAcknowledger, announcementReader } from '../../../commands/announcements/acknowledge.js';
import { announcementReminder, announcementReviser, announcementUpdater } from '../../../commands/announcements/manage.js';
import { announcementCreator, scopePreviewer } from '../../../commands/announcements/publish.js';
import { notFound } from '../../../errors.js';
import { csvDownloadHeaders, csvStream } from '../../../exports/csv.js';
import { ledgerExportHeader, ledgerExportRows } from '../../../exports/announcements.js';
import { announcementAttention, announcementDetail, announcementFeed, announcementOfNotification, announcementVersions } from '../../../queries/announcements.js';
import { ledgerForExport, ledgerPage, ledgerSummary } from '../../../queries/announcementLedger.js';
import type { AnnouncementDTO, AnnouncementSummaryDTO } from '../../../../shared/announcements.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/announcements';

/** The announcement as each of its recipients sees it the moment it is published (their own copy, unread). */
function asReceived(a: AnnouncementDTO): AnnouncementSummaryDTO {
  const { body: _body, bodyText: _text, scope: _scope, escalation: _ladder, ackVersion: _ack, lastRemindedAt: _reminded, can: _can, ...summary } = a;
  return { ...summary, receipt: { receivedAt: a.publishedAt!, firstReadAt: null, acknowledgedAt: null, acknowledgedVersion: null, reply: null, mustAcknowledge: a.requiresAck } };
}

/** Announcements, policies and directives: publishing, the feed, acknowledging, versions, the ledger and reminding by hand. */
export function announcementsRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  for (const name of ['id', 'notificationId']) {
    router.param(name, async (value, _ctx, next) => {
      if (!idParam.safeParse(value).success) throw notFound('The announcement');
      return next();
    });
  }
  const now = () => deps.clock.now();

  route(router, P, { method: 'get', path: '/', summary: 'The announcement feed: received (inbox), published (sent) or all one may see; pinned ones and the unread count with the first page', tag: 'announcements', access: 'user', query: announcementFeedQuerySchema }, async ({ ctx, user, query }) =>
    announcementFeed(ctx.state.em, user, query, now()),
  );
  route(router, P, { method: 'post', path: '/', summary: 'Publish an announcement now or at a time (administrators to anyone, department heads to their departments)', tag: 'announcements', access: 'user', body: announcementCreateSchema, status: 201 }, async ({ ctx, run, user, body }) => {
    const { id, recipientIds } = await run((cx) => announcementCreator(cx, body));
    const created = await announcementDetail(ctx.state.em, user, id, now());
    // Its recipients' open pages learn of it at once; their notifications follow from the fan-out's jobs.
    if (recipientIds) deps.emitter.announcementPublished(recipientIds, { announcement: asReceived(created) });
    return created;
  });
  route(router, P, { method: 'post', path: '/preview-scope', summary: 'How many people a scope reaches now (the same checks as publishing to it)', tag: 'announcements', access: 'user', body: scopePreviewSchema }, async ({ run, body }) =>
    run((cx) => scopePreviewer(cx, body.scope)),
  );
  route(router, P, { method: 'get', path: '/attention', summary: 'Urgent announcements one must still acknowledge, and how many are unread (the banner)', tag: 'announcements', access: 'user' }, async ({ ctx, user }) =>
    announcementAttention(ctx.state.em, user, now()),
  );
  route(router, P, { method: 'get', path: '/by-notification/:notificationId', summary: 'The announcement one of one’s notifications links to', tag: 'announcements', access: 'user' }, async ({ ctx, user, params }) =>
    announcementOfNotification(ctx.state.em, user, params.notificationId, now()),
  );
  route(router, P, { method: 'get', path: '/:id', summary: 'One announcement with one’s own copy and what one may do', tag: 'announcements', access: 'user' }, async ({ ctx, user, params }) =>
    announcementDetail(ctx.state.em, user, params.id, now()),
  );
  route(router, P, { method: 'patch', path: '/:id', summary: 'Pin, unpin or move the expiry (publisher, administrators)', tag: 'announcements', access: 'user', body: announcementUpdateSchema }, async ({ ctx, run, user, params, body }) => {
    await run((cx) => announcementUpdater(cx, params.id, body));
    return announcementDetail(ctx.state.em, user, params.id, now());
  });
  route(router, P, { method: 'post', path: '/:id/read', summary: 'Record that one opened it (the ledger’s first read)', tag: 'announcements', access: 'user' }, async ({ ctx, run, user, params }) => {
    await run((cx) => announcementReader(cx, params.id));
    return announcementDetail(ctx.state.em, user, params.id, now());
  });
  route(router, P, { method: 'post', path: '/:id/acknowledge', summary: 'Acknowledge one’s own copy (again: no change), optionally with a short reply', tag: 'announcements', access: 'user', body: acknowledgeSchema }, async ({ ctx, run, user, params, body }) => {
    await run((cx) => announcementAcknowledger(cx, params.id, body.reply));
    return announcementDetail(ctx.state.em, user, params.id, now());
  });
  route(router, P, { method: 'get', path: '/:id/versions', summary: 'Every version of a policy, newest first, each with what changed', tag: 'announcements', access: 'user' }, async ({ ctx, user, params }) =>
    announcementVersions(ctx.state.em, user, params.id),
  );
  route(router, P, { method: 'post', path: '/:id/revisions', summary: 'Publish a new version of a policy, optionally asking everyone to acknowledge it again', tag: 'announcements', access: 'user', body: announcementRevisionSchema, status: 201 }, async ({ ctx, run, user, params, body }) => {
    await run((cx) => announcementReviser(cx, params.id, body));
    return announcementDetail(ctx.state.em, user, params.id, now());
  });
  route(router, P, { method: 'post', path: '/:id/remind', summary: 'Remind everyone who has not acknowledged, by hand (at most every 5 minutes)', tag: 'announcements', access: 'user', body: remindSchema }, async ({ run, params, body }) =>
    run((cx) => announcementReminder(cx, params.id, body.channel)),
  );
  route(router, P, { method: 'get', path: '/:id/ledger', summary: 'The ledger’s counts: per state, per department and per channel', tag: 'announcements', access: 'user' }, async ({ ctx, user, params }) =>
    ledgerSummary(ctx.state.em, user, params.id, now()),
  );
  route(router, P, { method: 'get', path: '/:id/ledger/rows', summary: 'One page of the ledger, by name, filterable by state and department', tag: 'announcements', access: 'user', query: ledgerQuerySchema }, async ({ ctx, user, params, query }) =>
    ledgerPage(ctx.state.em, user, params.id, query),
  );
  route(
    router,
    P,
    { method: 'get', path: '/:id/ledger/export', summary: 'The ledger as a CSV file (UTF-8 with BOM; formula-like cells neutralised), filterable like the list', tag: 'announcements', access: 'user', query: ledgerQuerySchema, envelope: false },
    async ({ ctx, user, params, query, run }) => {
      const { title, rows } = await ledgerForExport(ctx.state.em, user, params.id, { state: query.state, departmentId: query.departmentId });
      await run((cx) => cx.audit({ action: 'export.csv', targetType: 'announcement', targetId: params.id, data: { export: 'announcement_ledger', filters: query } }));
      ctx.set(csvDownloadHeaders(`${title.slice(0, 80)}-ledger-${now().toISOString().slice(0, 10)}.csv`));
      return csvStream(ledgerExportHeader(user.locale), ledgerExportRows(rows, user));
    },
  );
  return router;
}
