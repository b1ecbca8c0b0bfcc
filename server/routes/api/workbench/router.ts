import Router from '@koa/router';
import { dashboardExportQuerySchema, dashboardQuerySchema } from '../../../../shared/schemas/workbench.js';
import { csvDownloadHeaders, csvStream } from '../../../exports/csv.js';
import { dashboardExport } from '../../../exports/dashboard.js';
import { workbench } from '../../../queries/workbench.js';
import { dashboard } from '../../../queries/workbenchDashboard.js';
import type { AppDeps } from '../../context.js';
import { route } from '../../route.js';

/** The workbench (everyone's home page) and the manager's dashboard: reads of other features' queries only. */
export function workbenchRouter(_deps: AppDeps) {
  const router = new Router();
  route(router, '', { method: 'get', path: '/api/workbench', summary: 'The user’s workbench: today’s and tomorrow’s entries, unread chat and mentions, reminders, this period’s reports, announcements, customers to contact, watched threads', tag: 'workbench', access: 'user' }, async ({ ctx, user }) =>
    workbench(ctx.state.em, user),
  );
  route(router, '', { method: 'get', path: '/api/dashboard', summary: 'The manager’s dashboard of a department subtree they manage (administrators: any); 404 for staff', tag: 'workbench', access: 'user', query: dashboardQuerySchema }, async ({ ctx, user, query }) =>
    dashboard(ctx.state.em, user, query.departmentId),
  );
  route(router, '', { method: 'get', path: '/api/dashboard/export', summary: 'One block of the dashboard as CSV (UTF-8 with BOM)', tag: 'workbench', access: 'user', query: dashboardExportQuerySchema, envelope: false }, async ({ ctx, user, query }) => {
    const { header, rows } = dashboardExport(await dashboard(ctx.state.em, user, query.departmentId), query.block, user.locale);
    ctx.set(csvDownloadHeaders(`dashboard-${query.block}.csv`));
    return csvStream(header, rows);
  });
  return router;
}
