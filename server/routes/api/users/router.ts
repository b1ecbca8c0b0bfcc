import Router from '@koa/router';
import { mentionCandidatesQuerySchema, passwordResetSchema, userCreateSchema, userDirectoryQuerySchema, userUpdateSchema } from '../../../../shared/schemas/org.js';
import { passwordResetter, userCreator, userUpdater } from '../../../commands/users.js';
import { notFound } from '../../../errors.js';
import { presentUser } from '../../../presenters/user.js';
import { mentionCandidates, userById, userDirectory } from '../../../queries/users.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/users';

/** The staff directory for everyone; accounts are managed by administrators. */
export function usersRouter(_deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The user');
    return next();
  });

  route(router, P, { method: 'get', path: '/', summary: 'Find users by name or e-mail (the directory), a page at a time', tag: 'users', access: 'user', query: userDirectoryQuerySchema }, async ({ ctx, user, query }) =>
    userDirectory(ctx.state.em, user, query),
  );
  route(
    router,
    P,
    { method: 'get', path: '/mention-candidates', summary: 'People for the @ picker: by name, pinyin or initials, best first (in a conversation, its members)', tag: 'users', access: 'user', query: mentionCandidatesQuerySchema },
    async ({ ctx, user, query }) => mentionCandidates(ctx.state.em, user, query),
  );
  route(router, P, { method: 'post', path: '/', summary: 'Create a user', tag: 'users', access: 'admin', body: userCreateSchema, status: 201 }, async ({ run, body }) =>
    presentUser(await run((cx) => userCreator(cx, body))),
  );
  route(router, P, { method: 'get', path: '/:id', summary: 'One user (administrators)', tag: 'users', access: 'admin' }, async ({ ctx, params }) => {
    const found = await userById(ctx.state.em, params.id);
    if (!found) throw notFound('The user');
    return found;
  });
  route(router, P, { method: 'patch', path: '/:id', summary: 'Edit, move, promote or deactivate a user', tag: 'users', access: 'admin', body: userUpdateSchema }, async ({ run, params, body }) =>
    presentUser(await run((cx) => userUpdater(cx, params.id, body))),
  );
  route(router, P, { method: 'post', path: '/:id/password', summary: 'Set a new password and sign the user out everywhere', tag: 'users', access: 'admin', body: passwordResetSchema, status: 204 }, async ({ run, params, body }) => {
    await run((cx) => passwordResetter(cx, params.id, body.password));
  });
  return router;
}
