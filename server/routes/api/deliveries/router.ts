import Router from '@koa/router';
import { notificationSettingsSchema, outboxQuerySchema } from '../../../../shared/schemas/reminders.js';
import type { NotificationSettingsDTO } from '../../../../shared/reminders.js';
import { defaultPreferences, notificationKinds } from '../../../commands/deliveryPlanner.js';
import { NotificationSettings } from '../../../entities/NotificationSettings.js';
import { User } from '../../../entities/User.js';
import { badRequest, notFound } from '../../../errors.js';
import { deliveryColumns, presentDelivery, type DeliveryRow } from '../../../presenters/reminder.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const present = (settings: NotificationSettings | null): NotificationSettingsDTO => ({
  preferences: Object.fromEntries(notificationKinds.map((k) => [k, settings?.preferences[k] ?? defaultPreferences[k]])),
  quietHours: settings?.quietHours ?? null,
});

/** How notifications reach people: one's own settings and delivery status, and the administrators' outbox. */
export function deliveriesRouter(deps: AppDeps) {
  const router = new Router();

  route(router, '', { method: 'get', path: '/api/me/notification-settings', summary: 'E-mail / SMS per kind of notification, and quiet hours', tag: 'notifications', access: 'user' }, async ({ ctx, user }) =>
    present(await ctx.state.em.findOne(NotificationSettings, { user: user.id })),
  );
  route(router, '', { method: 'patch', path: '/api/me/notification-settings', summary: 'Change one’s delivery preferences and quiet hours', tag: 'notifications', access: 'user', body: notificationSettingsSchema }, async ({ ctx, user, body }) => {
    const unknownKinds = Object.keys(body.preferences ?? {}).filter((k) => !(notificationKinds as readonly string[]).includes(k));
    if (unknownKinds.length) throw badRequest(`Unknown kinds of notification: ${unknownKinds.join(', ')}`, unknownKinds.map((k) => ({ path: `preferences.${k}`, message: `must be one of ${notificationKinds.join(', ')}` })));
    const em = ctx.state.em;
    let settings = await em.findOne(NotificationSettings, { user: user.id });
    if (!settings) settings = em.create(NotificationSettings, { user: em.getReference(User, user.id), preferences: {}, quietHours: null });
    if (body.preferences) settings.preferences = { ...settings.preferences, ...body.preferences };
    if (body.quietHours !== undefined) settings.quietHours = body.quietHours;
    await em.flush();
    return present(settings);
  });

  route(router, '', { method: 'get', path: '/api/notifications/:id/deliveries', summary: 'How one of the user’s notifications reached them (e-mail, SMS)', tag: 'notifications', access: 'user' }, async ({ ctx, user, params }) => {
    if (!idParam.safeParse(params.id).success) throw notFound('The notification');
    const em = ctx.state.em;
    const owned = await em.execute(`SELECT 1 FROM notifications WHERE id = ? AND recipient_id = ?`, [params.id, user.id]);
    if (owned.length === 0) throw notFound('The notification');
    const rows = await em.execute<DeliveryRow[]>(`SELECT ${deliveryColumns} FROM deliveries d WHERE d.notification_id = ? ORDER BY d.channel`, [params.id]);
    return { app: 'delivered', deliveries: rows.map(presentDelivery) };
  });

  route(router, '', { method: 'get', path: '/api/admin/outbox', summary: 'Every e-mail and SMS, newest first (administrators)', tag: 'notifications', access: 'admin', query: outboxQuerySchema }, async ({ ctx, query }) => {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.status) (where.push('d.status = ?'), params.push(query.status));
    if (query.channel) (where.push('d.channel = ?'), params.push(query.channel));
    if (query.before) (where.push('d.id < ?'), params.push(query.before));
    const rows = await ctx.state.em.execute<(DeliveryRow & { title: string; kind: string })[]>(
      `SELECT ${deliveryColumns}, n.title, n.kind FROM deliveries d JOIN notifications n ON n.id = d.notification_id
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY d.id DESC LIMIT ?`,
      [...params, query.limit],
    );
    return {
      items: rows.map((r) => ({ ...presentDelivery(r), title: r.title, kind: r.kind })),
      nextCursor: rows.length === query.limit ? String(rows[rows.length - 1].id) : null,
      channels: { email: deps.jobs.channels.email.provider, sms: deps.jobs.channels.sms.provider },
    };
  });
  return router;
}
