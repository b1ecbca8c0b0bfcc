import Router from '@koa/router';
import { outboxQuerySchema } from '../../../../shared/schemas/reminders.js';
import { outbox } from '../../../queries/deliveries.js';
import type { AppDeps } from '../../context.js';
import { route } from '../../route.js';

/** The administrators' outbox: every e-mail and SMS with its status, and which providers are configured. */
export function outboxRouter(deps: AppDeps) {
  const router = new Router();
  route(router, '', { method: 'get', path: '/api/admin/outbox', summary: 'Every e-mail and SMS, newest first (administrators)', tag: 'notifications', access: 'admin', query: outboxQuerySchema }, async ({ ctx, query }) => ({
    ...(await outbox(ctx.state.em, query)),
    channels: { email: deps.jobs.channels.email.provider, sms: deps.jobs.channels.sms.provider, push: deps.jobs.channels.push.provider },
  }));
  return router;
}
