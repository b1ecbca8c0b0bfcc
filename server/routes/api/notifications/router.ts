import Router from '@koa/router';
import { markReadSchema, notificationListQuerySchema, systemMessageSchema } from '../../../../shared/schemas/notifications.js';
import { notificationsAllReader, notificationsReader } from '../../../commands/notifications/read.js';
import { systemMessageSender } from '../../../commands/notifications/systemMessages.js';
import { notFound } from '../../../errors.js';
import { listNotifications, notificationDeliveries, unreadCount } from '../../../queries/notifications.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

/** The signed-in user's notifications, and system messages sent by administrators. */
export function notificationsRouter(_deps: AppDeps) {
  const router = new Router({ prefix: '/api/notifications' });
  const P = '/api/notifications';
  route(router, P, { method: 'get', path: '/', summary: 'One page of the user’s notifications, newest first', tag: 'notifications', access: 'user', query: notificationListQuerySchema }, async ({ ctx, user, query }) => {
    const page = await listNotifications(ctx.state.em, user.id, query);
    return { ...page, unreadCount: await unreadCount(ctx.state.em, user.id) };
  });
  route(router, P, { method: 'get', path: '/unread-count', summary: 'How many notifications are unread', tag: 'notifications', access: 'user' }, async ({ ctx, user }) => ({
    unreadCount: await unreadCount(ctx.state.em, user.id),
  }));
  route(router, P, { method: 'post', path: '/read', summary: 'Mark notifications read (on every device)', tag: 'notifications', access: 'user', body: markReadSchema }, async ({ run, body }) => ({
    unreadCount: await run((cx) => notificationsReader(cx, body.ids)),
  }));
  route(router, P, { method: 'post', path: '/read-all', summary: 'Mark every notification read', tag: 'notifications', access: 'user' }, async ({ run }) => ({
    unreadCount: await run((cx) => notificationsAllReader(cx)),
  }));
  route(router, P, { method: 'get', path: '/:id/deliveries', summary: 'How one of the user’s notifications reached them (e-mail, SMS)', tag: 'notifications', access: 'user' }, async ({ ctx, user, params }) => {
    const found = idParam.safeParse(params.id).success ? await notificationDeliveries(ctx.state.em, user.id, params.id) : null;
    if (!found) throw notFound('The notification');
    return found;
  });
  route(
    router,
    P,
    { method: 'post', path: '/system', summary: 'Send a system message to users and to departments with their sub-departments (administrators)', tag: 'notifications', access: 'admin', body: systemMessageSchema, status: 201 },
    async ({ run, body }) => ({ sent: await run((cx) => systemMessageSender(cx, body)) }),
  );
  return router;
}
