import type Router from '@koa/router';
import { dateOnlySchema } from '../../../../shared/schemas/common.js';
import { calendarQuerySchema, holidaySchema, ruleQuerySchema, ruleSchema, templateCreateSchema, templateUpdateSchema } from '../../../../shared/schemas/reports.js';
import { holidayRemover, holidaySetter } from '../../../commands/reports/calendar.js';
import { ruleDeleter, ruleSaver } from '../../../commands/reports/rules.js';
import { templateCreator, templateUpdater } from '../../../commands/reports/templates.js';
import { notFound } from '../../../errors.js';
import { listHolidays, listRules, listTemplates, templateById } from '../../../queries/reportSettings.js';
import { readOrgSettings } from '../../../queries/settings.js';
import { todayIn } from '../../../queries/reportCalendar.js';
import { idParam, route } from '../../route.js';

/**
 * Templates, rules (requirement, deadlines, submit reminders) and the organisation's calendar of
 * holidays: everyone reads them; administrators change all of them, a manager the templates and
 * rules of departments they manage. Registered on the reports router before its `/:id` routes.
 */
export function registerReportSettingsRoutes(router: Router, P: string) {
  for (const name of ['templateId', 'ruleId']) {
    router.param(name, async (value, _ctx, next) => {
      if (!idParam.safeParse(value).success) throw notFound(name === 'templateId' ? 'The template' : 'The rule');
      return next();
    });
  }
  router.param('day', async (value, _ctx, next) => {
    if (!dateOnlySchema.safeParse(value).success) throw notFound('The day');
    return next();
  });

  route(router, P, { method: 'get', path: '/templates', summary: 'Report templates, built-in ones first', tag: 'reports', access: 'user' }, async ({ ctx, user }) => listTemplates(ctx.state.em, user));
  route(router, P, { method: 'post', path: '/templates', summary: 'Define a template (administrators; managers for departments they manage)', tag: 'reports', access: 'user', body: templateCreateSchema, status: 201 }, async ({ run, body }) =>
    run((cx) => templateCreator(cx, body)),
  );
  route(router, P, { method: 'get', path: '/templates/:templateId', summary: 'One template', tag: 'reports', access: 'user' }, async ({ ctx, user, params }) => {
    const template = await templateById(ctx.state.em, user, params.templateId);
    if (!template) throw notFound('The template');
    return template;
  });
  route(router, P, { method: 'patch', path: '/templates/:templateId', summary: 'Change a template one may edit', tag: 'reports', access: 'user', body: templateUpdateSchema }, async ({ run, params, body }) =>
    run((cx) => templateUpdater(cx, params.templateId, body)),
  );
  route(router, P, { method: 'get', path: '/rules', summary: 'Rules of each kind: the organisation’s and departments’', tag: 'reports', access: 'user', query: ruleQuerySchema }, async ({ ctx, user, query }) => listRules(ctx.state.em, user, query.kind));
  route(router, P, { method: 'put', path: '/rules', summary: 'Set the rule of a kind for a department subtree or the organisation: requirement, deadline, reminders', tag: 'reports', access: 'user', body: ruleSchema }, async ({ run, body }) =>
    run((cx) => ruleSaver(cx, body)),
  );
  route(router, P, { method: 'delete', path: '/rules/:ruleId', summary: 'Remove a rule (the rule above applies again)', tag: 'reports', access: 'user', status: 204 }, async ({ run, params }) => {
    await run((cx) => ruleDeleter(cx, params.ruleId));
  });
  route(router, P, { method: 'get', path: '/calendar', summary: 'The organisation’s zone, report limits and the holidays of a year', tag: 'reports', access: 'user', query: calendarQuerySchema }, async ({ ctx, query }) => {
    const settings = await readOrgSettings(ctx.state.em);
    const year = query.year ?? Number(todayIn(settings.timeZone).slice(0, 4));
    return { timeZone: settings.timeZone, daysAhead: settings.reportDaysAhead, closedAfterDays: settings.reportClosedAfterDays, holidays: await listHolidays(ctx.state.em, year) };
  });
  route(router, P, { method: 'put', path: '/holidays/:day', summary: 'Make a day a holiday or a working day (administrators)', tag: 'reports', access: 'admin', body: holidaySchema }, async ({ run, params, body }) =>
    run((cx) => holidaySetter(cx, params.day, body)),
  );
  route(router, P, { method: 'delete', path: '/holidays/:day', summary: 'Make a day an ordinary one again (administrators)', tag: 'reports', access: 'admin', status: 204 }, async ({ run, params }) => {
    await run((cx) => holidayRemover(cx, params.day));
  });
}
