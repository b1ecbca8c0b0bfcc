import Router from '@koa/router';
import { profileUpdateSchema } from '../../../../shared/schemas/org.js';
import { presentMe } from '../../../presenters/me.js';
import { findSubordinates } from '../../../policies/hierarchy.js';
import type { AppDeps } from '../../context.js';
import { route } from '../../route.js';

/** The signed-in user's own profile. */
export function meRouter(_deps: AppDeps) {
  const router = new Router({ prefix: '/api/me' });
  route(router, '/api/me', { method: 'get', path: '/', summary: 'The signed-in user with department, superiors and whether they manage anyone', tag: 'me', access: 'user' }, async ({ ctx, user }) =>
    presentMe(ctx.state.em, user),
  );
  route(router, '/api/me', { method: 'patch', path: '/', summary: 'Change one’s name, language, time zone or mobile number', tag: 'me', access: 'user', body: profileUpdateSchema }, async ({ ctx, user, body }) => {
    ctx.state.em.assign(user, body);
    await ctx.state.em.flush();
    return presentMe(ctx.state.em, user);
  });
  route(router, '/api/me', { method: 'get', path: '/subordinates', summary: 'Everyone in the departments the user manages, and below', tag: 'me', access: 'user' }, async ({ ctx, user }) =>
    findSubordinates(ctx.state.em, user.id),
  );
  return router;
}
