import Router from '@koa/router';
import { z } from 'zod';
import { passwordResetSchema, userCreateSchema, userUpdateSchema } from '../../../../shared/schemas/org.js';
import { idSchema } from '../../../../shared/schemas/common.js';
import { passwordResetter, userCreator, userUpdater } from '../../../commands/users.js';
import { User } from '../../../entities/User.js';
import { notFound } from '../../../errors.js';
import { presentUser } from '../../../presenters/user.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/users';

const listQuery = z.object({
  q: z.string().trim().max(100).optional(),
  departmentId: idSchema.optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/** The staff directory for everyone; accounts are managed by administrators. */
export function usersRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The user');
    return next();
  });

  route(router, P, { method: 'get', path: '/', summary: 'Find users by name or e-mail (the directory)', tag: 'users', access: 'user', query: listQuery }, async ({ ctx, user, query }) => {
    const where: Record<string, unknown> = {};
    // Only administrators see deactivated accounts.
    if (!(user.role === 'admin' && query.includeInactive === 'true')) where.active = true;
    if (query.departmentId) where.department = query.departmentId;
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      where.$or = [{ displayName: { $ilike: like } }, { email: { $ilike: like } }];
    }
    const users = await ctx.state.em.find(User, where, { orderBy: { displayName: 'asc', id: 'asc' }, limit: query.limit });
    return users.map((u) => {
      const dto = presentUser(u);
      return user.role === 'admin' ? dto : { id: dto.id, displayName: dto.displayName, email: dto.email, departmentId: dto.departmentId };
    });
  });
  route(router, P, { method: 'post', path: '/', summary: 'Create a user', tag: 'users', access: 'admin', body: userCreateSchema, status: 201 }, async ({ ctx, body }) =>
    presentUser(await userCreator(ctx.state.em, body)),
  );
  route(router, P, { method: 'get', path: '/:id', summary: 'One user (administrators)', tag: 'users', access: 'admin' }, async ({ ctx, params }) => {
    const found = await ctx.state.em.findOne(User, params.id);
    if (!found) throw notFound('The user');
    return presentUser(found);
  });
  route(router, P, { method: 'patch', path: '/:id', summary: 'Edit, move, promote or deactivate a user', tag: 'users', access: 'admin', body: userUpdateSchema }, async ({ ctx, params, body }) =>
    presentUser(await userUpdater(ctx.state.em, deps.emitter, params.id, body)),
  );
  route(router, P, { method: 'post', path: '/:id/password', summary: 'Set a new password and sign the user out everywhere', tag: 'users', access: 'admin', body: passwordResetSchema, status: 204 }, async ({ ctx, params, body }) => {
    await passwordResetter(ctx.state.em, deps.emitter, params.id, body.password);
  });
  return router;
}
