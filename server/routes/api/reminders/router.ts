import Router from '@koa/router';
import { occurrencesQuerySchema, reminderCreateSchema, reminderUpdateSchema, snoozeSchema } from '../../../../shared/schemas/reminders.js';
import { pageQuerySchema } from '../../../../shared/schemas/common.js';
import { findOwnedReminder, occurrenceSnoozer, reminderCreator, reminderDeleter, reminderPauser, reminderResumer, reminderUpdater } from '../../../commands/reminders.js';
import { Reminder } from '../../../entities/Reminder.js';
import { notFound } from '../../../errors.js';
import { deliveryColumns, presentDelivery, presentReminder, presentReminderWithSource, type DeliveryRow } from '../../../presenters/reminder.js';
import { reminderSources } from '../../../queries/reminders.js';
import { compileSchedule, formatInZone } from '../../../recurrence/expand.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/reminders';

/** Reminders: each user manages their own; managers may address them to people they manage. */
export function remindersRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  const boss = () => deps.jobs.boss;
  router.param('id', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The reminder');
    return next();
  });

  route(router, P, { method: 'get', path: '/', summary: 'The reminders the user set, newest first', tag: 'reminders', access: 'user', query: pageQuerySchema }, async ({ ctx, user, query }) => {
    const where: Record<string, unknown> = { owner: user.id };
    if (query.before) where.id = { $lt: query.before };
    const items = await ctx.state.em.find(Reminder, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
    const page = items.slice(0, query.limit);
    const sources = await reminderSources(ctx.state.em, page.map((r) => String(r.id)));
    return { items: page.map((r) => presentReminder(r, sources.get(String(r.id)) ?? null)), nextCursor: items.length > query.limit ? String(page[page.length - 1].id) : null };
  });
  route(router, P, { method: 'post', path: '/', summary: 'Create a one-time or recurring reminder', tag: 'reminders', access: 'user', body: reminderCreateSchema, status: 201 }, async ({ ctx, user, body }) =>
    presentReminder(await reminderCreator(ctx.state.em, boss(), user, body)),
  );
  route(router, P, { method: 'get', path: '/:id', summary: 'One of the user’s reminders', tag: 'reminders', access: 'user' }, async ({ ctx, user, params }) =>
    presentReminderWithSource(ctx.state.em, await findOwnedReminder(ctx.state.em, user.id, params.id)),
  );
  route(router, P, { method: 'patch', path: '/:id', summary: 'Edit a reminder (a new schedule replaces the pending occurrence)', tag: 'reminders', access: 'user', body: reminderUpdateSchema }, async ({ ctx, user, params, body }) =>
    presentReminder(await reminderUpdater(ctx.state.em, boss(), user, params.id, body)),
  );
  route(router, P, { method: 'delete', path: '/:id', summary: 'Delete a reminder', tag: 'reminders', access: 'user', status: 204 }, async ({ ctx, user, params }) => {
    await reminderDeleter(ctx.state.em, user, params.id);
  });
  route(router, P, { method: 'post', path: '/:id/pause', summary: 'Pause a reminder', tag: 'reminders', access: 'user' }, async ({ ctx, user, params }) =>
    presentReminderWithSource(ctx.state.em, await reminderPauser(ctx.state.em, user, params.id)),
  );
  route(router, P, { method: 'post', path: '/:id/resume', summary: 'Resume a paused reminder from now on', tag: 'reminders', access: 'user' }, async ({ ctx, user, params }) =>
    presentReminderWithSource(ctx.state.em, await reminderResumer(ctx.state.em, boss(), user, params.id)),
  );
  route(router, P, { method: 'get', path: '/:id/occurrences', summary: 'The next occurrences of a reminder', tag: 'reminders', access: 'user', query: occurrencesQuerySchema }, async ({ ctx, user, params, query }) => {
    const reminder = await findOwnedReminder(ctx.state.em, user.id, params.id);
    if (reminder.status !== 'active') return { occurrences: [] };
    const schedule = compileSchedule({ rrule: reminder.rrule, dtstart: reminder.dtstart, timeZone: reminder.timeZone, exdates: reminder.exdates });
    // From the pending occurrence on (it may be slightly in the past while it is being fired).
    const from = reminder.nextDueAt ? new Date(new Date(reminder.nextDueAt).getTime() - 1) : new Date();
    return { occurrences: schedule.next(query.count, from).map((d) => formatInZone(d, reminder.timeZone)) };
  });
  route(router, P, { method: 'get', path: '/:id/deliveries', summary: 'E-mail and SMS sent for a reminder’s past occurrences, newest first', tag: 'reminders', access: 'user', query: pageQuerySchema }, async ({ ctx, user, params, query }) => {
    await findOwnedReminder(ctx.state.em, user.id, params.id);
    const rows = await ctx.state.em.execute<DeliveryRow[]>(
      `SELECT ${deliveryColumns} FROM deliveries d JOIN reminder_occurrences o ON o.id = d.occurrence_id
       WHERE o.reminder_id = ? ${query.before ? 'AND d.id < ?' : ''} ORDER BY d.id DESC LIMIT ?`,
      query.before ? [params.id, query.before, query.limit] : [params.id, query.limit],
    );
    return { items: rows.map(presentDelivery), nextCursor: rows.length === query.limit ? String(rows[rows.length - 1].id) : null };
  });
  route(router, P, { method: 'post', path: '/occurrences/:occurrenceId/snooze', summary: 'Remind me again in 10 minutes, in an hour or tomorrow', tag: 'reminders', access: 'user', body: snoozeSchema, status: 201 }, async ({ ctx, user, params, body }) => {
    if (!idParam.safeParse(params.occurrenceId).success) throw notFound('The reminder occurrence');
    return occurrenceSnoozer(ctx.state.em, boss(), user, params.occurrenceId, body.for);
  });
  return router;
}
