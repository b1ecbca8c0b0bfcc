import Router from '@koa/router';
import { z } from 'zod';
import {
  exemptionSchema,
  inboxQuerySchema,
  mineQuerySchema,
  remindNowSchema,
  reportAnnotationSchema,
  reportCreateSchema,
  reportSubmitSchema,
  reportsExportQuerySchema,
  reportUpdateSchema,
  statusQuerySchema,
} from '../../../../shared/schemas/reports.js';
import { annotationCreator } from '../../../commands/annotations/annotations.js';
import { exemptionRemover, exemptionSetter } from '../../../commands/reports/calendar.js';
import { scheduleDrafter } from '../../../commands/reports/fromSchedule.js';
import { missingReminder } from '../../../commands/reports/reminders.js';
import { reportOpener, reportReader, reportSaver, reportSubmitter } from '../../../commands/reports/reports.js';
import { notFound } from '../../../errors.js';
import { csvDownloadHeaders, csvStream } from '../../../exports/csv.js';
import { reportsExportHeader, reportsExportRows, statusExport } from '../../../exports/reports.js';
import { requireVisibleSubject } from '../../../policies/annotations.js';
import { defaultStatusDepartment, requireStatusViewer } from '../../../policies/reports.js';
import type { User } from '../../../entities/User.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { annotationThreads, myReports, reportDetail, reportInbox, reportVersion } from '../../../queries/reports.js';
import { reportStatus } from '../../../queries/reportStatus.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';
import { registerReportSettingsRoutes } from './settingsRoutes.js';

const P = '/api/reports';

/** The status view's department: the one asked for, if the user may see it, else where their view opens. */
async function statusDepartment(em: EntityManager, user: User, departmentId: string | undefined): Promise<string> {
  if (!departmentId) return defaultStatusDepartment(em, user);
  await requireStatusViewer(em, user, departmentId);
  return departmentId;
}

/**
 * Work reports: one's own (open, autosave, draft from the schedule, submit), the inbox of reports
 * sent to one, a report with its read list, versions and annotations (passage annotations too),
 * submission status of a department subtree with "remind now" and exemptions, and CSV exports.
 * Templates, rules and the calendar are in ./settingsRoutes.ts.
 */
export function reportsRouter(_deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (value, _ctx, next) => {
    if (!idParam.safeParse(value).success) throw notFound('The report');
    return next();
  });
  registerReportSettingsRoutes(router, P);

  route(router, P, { method: 'get', path: '/inbox', summary: 'Reports sent to the user, newest first, with unread markers; filters by person, department, kind, period and status', tag: 'reports', access: 'user', query: inboxQuerySchema }, async ({ ctx, user, query }) =>
    reportInbox(ctx.state.em, user, query),
  );
  route(router, P, { method: 'get', path: '/mine', summary: 'One’s own reports, drafts included, newest period first', tag: 'reports', access: 'user', query: mineQuerySchema }, async ({ ctx, user, query }) =>
    myReports(ctx.state.em, user, query),
  );
  route(router, P, { method: 'post', path: '/', summary: 'Open one’s report of a kind for the period holding a date: the existing one (200) or a new draft (201)', tag: 'reports', access: 'user', body: reportCreateSchema, status: 201 }, async ({ ctx, run, body }) => {
    const { report, created } = await run((cx) => reportOpener(cx, body));
    if (!created) ctx.status = 200;
    return report;
  });
  route(router, P, { method: 'get', path: '/export', summary: 'Submitted reports of a range the user may read, as CSV (UTF-8 with BOM)', tag: 'reports', access: 'user', query: reportsExportQuerySchema, envelope: false }, async ({ ctx, user, query, run }) => {
    await run((cx) => cx.audit({ action: 'export.csv', targetType: 'report', data: { export: 'reports', filters: query } }));
    ctx.set(csvDownloadHeaders(`reports-${query.from}-${query.to}.csv`));
    return csvStream(reportsExportHeader(user.locale), reportsExportRows(ctx.state.em, user, query));
  });
  route(router, P, { method: 'get', path: '/status', summary: 'Who has and has not submitted, for a department subtree over a day, week or month (its managers and administrators)', tag: 'reports', access: 'user', query: statusQuerySchema }, async ({ ctx, user, query }) => {
    const departmentId = await statusDepartment(ctx.state.em, user, query.departmentId);
    return reportStatus(ctx.state.em, { ...query, departmentId });
  });
  route(router, P, { method: 'get', path: '/status/export', summary: 'The status grid as CSV (UTF-8 with BOM)', tag: 'reports', access: 'user', query: statusQuerySchema, envelope: false }, async ({ ctx, user, query, run }) => {
    const departmentId = await statusDepartment(ctx.state.em, user, query.departmentId);
    const { header, rows } = statusExport(await reportStatus(ctx.state.em, { ...query, departmentId }), user.locale);
    await run((cx) => cx.audit({ action: 'export.csv', targetType: 'department', targetId: String(departmentId), data: { export: 'report_status', filters: query } }));
    ctx.set(csvDownloadHeaders(`report-status-${query.kind}-${query.date}.csv`));
    return csvStream(header, rows);
  });
  route(router, P, { method: 'post', path: '/status/remind', summary: 'Remind now those of a department subtree who owe the period’s report (once per person and period)', tag: 'reports', access: 'user', body: remindNowSchema }, async ({ ctx, run, user, body }) => {
    const departmentId = await statusDepartment(ctx.state.em, user, body.departmentId);
    return run((cx) => missingReminder(cx, { departmentId, kind: body.kind, date: body.date }));
  });
  route(router, P, { method: 'put', path: '/exemptions', summary: 'Mark a person’s period as not required (their superiors, administrators)', tag: 'reports', access: 'user', body: exemptionSchema }, async ({ run, body }) =>
    run((cx) => exemptionSetter(cx, body)),
  );
  route(router, P, { method: 'post', path: '/exemptions/remove', summary: 'Take an exemption back', tag: 'reports', access: 'user', body: exemptionSchema.omit({ reason: true }), status: 204 }, async ({ run, body }) => {
    await run((cx) => exemptionRemover(cx, body));
  });

  route(router, P, { method: 'get', path: '/:id', summary: 'One report with its receivers, read list, versions, linked entries and annotations', tag: 'reports', access: 'user' }, async ({ ctx, user, params }) => {
    const report = await reportDetail(ctx.state.em, user, params.id);
    if (!report) throw notFound('The report');
    return report;
  });
  route(router, P, { method: 'patch', path: '/:id', summary: 'Save one’s report (autosave): sections and copies, from the revision it was opened at', tag: 'reports', access: 'user', body: reportUpdateSchema }, async ({ run, params, body }) =>
    run((cx) => reportSaver(cx, params.id, body)),
  );
  route(router, P, { method: 'post', path: '/:id/submit', summary: 'Submit one’s draft to its receivers', tag: 'reports', access: 'user', body: reportSubmitSchema }, async ({ run, params, body }) =>
    run((cx) => reportSubmitter(cx, params.id, body)),
  );
  route(router, P, { method: 'post', path: '/:id/read', summary: 'Record 已阅 for the user (nothing for the author)', tag: 'reports', access: 'user' }, async ({ run, params }) =>
    run((cx) => reportReader(cx, params.id)),
  );
  route(router, P, { method: 'post', path: '/:id/draft-from-schedule', summary: 'Fill the empty sections of one’s draft from one’s schedule of the period', tag: 'reports', access: 'user' }, async ({ run, params }) =>
    run((cx) => scheduleDrafter(cx, params.id)),
  );
  route(router, P, { method: 'get', path: '/:id/versions/:version', summary: 'An earlier version of a report', tag: 'reports', access: 'user' }, async ({ ctx, user, params }) => {
    const version = z.coerce.number().int().min(1).max(1_000_000).safeParse(params.version);
    if (!version.success) throw notFound('The version of the report');
    return reportVersion(ctx.state.em, user, params.id, version.data);
  });
  route(router, P, { method: 'get', path: '/:id/annotations', summary: 'A report’s annotations with their replies and passage anchors', tag: 'reports', access: 'user' }, async ({ ctx, user, params }) => {
    const access = await requireVisibleSubject(ctx.state.em, user, { kind: 'report', id: params.id });
    return annotationThreads(ctx.state.em, user, access);
  });
  route(router, P, { method: 'post', path: '/:id/annotations', summary: 'Annotate a report sent to one, on the whole or on a passage; notifies the author', tag: 'reports', access: 'user', body: reportAnnotationSchema, status: 201 }, async ({ run, params, body }) =>
    run((cx) => annotationCreator(cx, { kind: 'report', id: params.id }, body)),
  );
  return router;
}
