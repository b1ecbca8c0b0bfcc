import Router from '@koa/router';
import { z } from 'zod';
import { markReadSchema, notificationListQuerySchema } from '../../../../shared/schemas/notifications.js';
import { idSchema } from '../../../../shared/schemas/common.js';
import { inTransaction } from '../../../commands/transaction.js';
import { listNotifications, notificationCreator, notificationsAllReader, notificationsReader, unreadCount } from '../../../commands/notifications.js';
import { User } from '../../../entities/User.js';
import { badRequest } from '../../../errors.js';
import type { AppDeps } from '../../context.js';
import { route } from '../../route.js';

const systemMessageSchema = z.object({
  recipientIds: z.array(idSchema).min(1).max(1000),
  title: z.string().trim().min(1, 'is required').max(200),
  body: z.string().max(5000).default(''),
  urgent: z.boolean().default(false),
});

/** The signed-in user's notifications, and system messages sent by administrators. */
export function notificationsRouter(deps: AppDeps) {
  const router = new Router({ prefix: '/api/notifications' });
  const P = '/api/notifications';
  route(router, P, { method: 'get', path: '/', summary: 'One page of the user’s notifications, newest first', tag: 'notifications', access: 'user', query: notificationListQuerySchema }, async ({ ctx, user, query }) => {
    const page = await listNotifications(ctx.state.em, user.id, query);
    return { ...page, unreadCount: await unreadCount(ctx.state.em, user.id) };
  });
  route(router, P, { method: 'get', path: '/unread-count', summary: 'How many notifications are unread', tag: 'notifications', access: 'user' }, async ({ ctx, user }) => ({
    unreadCount: await unreadCount(ctx.state.em, user.id),
  }));
  route(router, P, { method: 'post', path: '/read', summary: 'Mark notifications read (on every device)', tag: 'notifications', access: 'user', body: markReadSchema }, async ({ ctx, user, body }) => ({
    unreadCount: await inTransaction(ctx.state.em, deps.emitter, (tx, events) => notificationsReader(tx, events, user.id, body.ids)),
  }));
  route(router, P, { method: 'post', path: '/read-all', summary: 'Mark every notification read', tag: 'notifications', access: 'user' }, async ({ ctx, user }) => ({
    unreadCount: await inTransaction(ctx.state.em, deps.emitter, (tx, events) => notificationsAllReader(tx, events, user.id)),
  }));
  route(router, P, { method: 'post', path: '/system', summary: 'Send a system message to users (administrators)', tag: 'notifications', access: 'admin', body: systemMessageSchema, status: 201 }, async ({ ctx, body }) => {
    const ids = [...new Set(body.recipientIds)];
    const found = await ctx.state.em.count(User, { id: { $in: ids }, active: true });
    if (found !== ids.length) throw badRequest('Some recipients do not exist or are deactivated', [{ path: 'recipientIds', message: 'unknown or deactivated user' }]);
    const sent = await inTransaction(ctx.state.em, deps.emitter, async (tx, events) => {
      for (const recipientId of ids) await notificationCreator(tx, events, { recipientId, kind: 'system', title: body.title, body: body.body, urgent: body.urgent });
      return ids.length;
    });
    return { sent };
  });
  return router;
}
