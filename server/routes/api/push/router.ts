import Router from '@koa/router';
import { pushSubscribeSchema } from '../../../../shared/schemas/push.js';
import { pushSubscriber, pushUnsubscriber } from '../../../commands/push/subscriptions.js';
import { notFound } from '../../../errors.js';
import { pushDevices } from '../../../queries/push.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/push';

/** Web Push: the server's public key, and the signed-in user's subscribed devices. */
export function pushRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The device');
    return next();
  });
  route(router, P, { method: 'get', path: '/key', summary: 'The VAPID public key a browser subscribes with (applicationServerKey)', tag: 'push', access: 'user' }, async () => ({ publicKey: deps.vapidPublicKey }));
  route(router, P, { method: 'get', path: '/devices', summary: 'The user’s devices subscribed to push, newest first', tag: 'push', access: 'user' }, async ({ ctx, user }) => pushDevices(ctx.state.em, user.id));
  route(router, P, { method: 'post', path: '/devices', summary: 'Subscribe this browser to push (again: takes its earlier subscription over)', tag: 'push', access: 'user', body: pushSubscribeSchema, status: 201 }, async ({ ctx, run, body, user, session }) => {
    const id = await run((cx) => pushSubscriber(cx, String(session.id), body, deps.config.webPush.extraServiceOrigins));
    return (await pushDevices(ctx.state.em, user.id, [id]))[0];
  });
  route(router, P, { method: 'delete', path: '/devices/:id', summary: 'Stop pushing to one of the user’s devices', tag: 'push', access: 'user', status: 204 }, async ({ run, params }) => {
    await run((cx) => pushUnsubscriber(cx, params.id));
  });
  return router;
}
