import Router from '@koa/router';
import { departmentCreateSchema, departmentUpdateSchema } from '../../../../shared/schemas/org.js';
import { departmentCreator, departmentDeleter, departmentUpdater } from '../../../commands/departments.js';
import { notFound } from '../../../errors.js';
import { listDepartments } from '../../../queries/departments.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/departments';

/** The organisation tree: everyone reads it, administrators change it. */
export function departmentsRouter(_deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (id, ctx, next) => {
    if (!idParam.safeParse(id).success) throw notFound('The department');
    return next();
  });
  route(router, P, { method: 'get', path: '/', summary: 'Every department with its managers and head count', tag: 'departments', access: 'user' }, async ({ ctx }) => listDepartments(ctx.state.em));
  route(router, P, { method: 'post', path: '/', summary: 'Create a department', tag: 'departments', access: 'admin', body: departmentCreateSchema, status: 201 }, async ({ ctx, run, body }) => {
    const department = await run((cx) => departmentCreator(cx, body));
    return (await listDepartments(ctx.state.em, [department.id]))[0];
  });
  route(router, P, { method: 'patch', path: '/:id', summary: 'Rename, move or set the managers of a department', tag: 'departments', access: 'admin', body: departmentUpdateSchema }, async ({ ctx, run, body, params }) => {
    const department = await run((cx) => departmentUpdater(cx, params.id, body));
    return (await listDepartments(ctx.state.em, [department.id]))[0];
  });
  route(router, P, { method: 'delete', path: '/:id', summary: 'Delete an empty department', tag: 'departments', access: 'admin', status: 204 }, async ({ run, params }) => {
    await run((cx) => departmentDeleter(cx, params.id));
  });
  return router;
}
