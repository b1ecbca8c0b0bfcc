import Router from '@koa/router';
import { occurrencesQuerySchema, reminderCreateSchema, reminderUpdateSchema, snoozeSchema } from '../../../../shared/schemas/reminders.js';
import { pageQuerySchema } from '../../../../shared/schemas/common.js';
import { occurrenceSnoozer, reminderCreator, reminderDeleter, reminderPauser, reminderResumer, reminderUpdater } from '../../../commands/reminders.js';
import { notFound } from '../../../errors.js';
import { requireOwnReminder } from '../../../policies/reminders.js';
import { listReminders, reminderDeliveries, reminderDetail, upcomingOccurrences } from '../../../queries/reminders.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/reminders';

/** Reminders: each user manages their own; managers may address them to people they manage. */
export function remindersRouter(_deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The reminder');
    return next();
  });

  route(router, P, { method: 'get', path: '/', summary: 'The reminders the user set, newest first', tag: 'reminders', access: 'user', query: pageQuerySchema }, async ({ ctx, user, query }) =>
    listReminders(ctx.state.em, user.id, query),
  );
  route(router, P, { method: 'post', path: '/', summary: 'Create a one-time or recurring reminder', tag: 'reminders', access: 'user', body: reminderCreateSchema, status: 201 }, async ({ run, body }) =>
    run((cx) => reminderCreator(cx, body)),
  );
  route(router, P, { method: 'get', path: '/:id', summary: 'One of the user’s reminders', tag: 'reminders', access: 'user' }, async ({ ctx, user, params }) =>
    reminderDetail(ctx.state.em, await requireOwnReminder(ctx.state.em, user.id, params.id)),
  );
  route(router, P, { method: 'patch', path: '/:id', summary: 'Edit a reminder (a new schedule replaces the pending occurrence)', tag: 'reminders', access: 'user', body: reminderUpdateSchema }, async ({ run, params, body }) =>
    run((cx) => reminderUpdater(cx, params.id, body)),
  );
  route(router, P, { method: 'delete', path: '/:id', summary: 'Delete a reminder', tag: 'reminders', access: 'user', status: 204 }, async ({ run, params }) => {
    await run((cx) => reminderDeleter(cx, params.id));
  });
  route(router, P, { method: 'post', path: '/:id/pause', summary: 'Pause a reminder', tag: 'reminders', access: 'user' }, async ({ run, params }) => run((cx) => reminderPauser(cx, params.id)));
  route(router, P, { method: 'post', path: '/:id/resume', summary: 'Resume a paused reminder from now on', tag: 'reminders', access: 'user' }, async ({ run, params }) => run((cx) => reminderResumer(cx, params.id)));
  route(router, P, { method: 'get', path: '/:id/occurrences', summary: 'The next occurrences of a reminder', tag: 'reminders', access: 'user', query: occurrencesQuerySchema }, async ({ ctx, user, params, query }) => ({
    occurrences: upcomingOccurrences(await requireOwnReminder(ctx.state.em, user.id, params.id), query.count),
  }));
  route(router, P, { method: 'get', path: '/:id/deliveries', summary: 'E-mail and SMS sent for a reminder’s past occurrences, newest first', tag: 'reminders', access: 'user', query: pageQuerySchema }, async ({ ctx, user, params, query }) => {
    await requireOwnReminder(ctx.state.em, user.id, params.id);
    return reminderDeliveries(ctx.state.em, params.id, query);
  });
  route(router, P, { method: 'post', path: '/occurrences/:occurrenceId/snooze', summary: 'Remind me again in 10 minutes, in an hour or tomorrow', tag: 'reminders', access: 'user', body: snoozeSchema, status: 201 }, async ({ run, params, body }) => {
    if (!idParam.safeParse(params.occurrenceId).success) throw notFound('The reminder occurrence');
    return run((cx) => occurrenceSnoozer(cx, params.occurrenceId, body.for));
  });
  return router;
}
