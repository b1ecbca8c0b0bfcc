import Router from '@koa/router';
import { annotationSchema } from '../../../../shared/schemas/schedule.js';
import { annotationEditSchema } from '../../../../shared/schemas/reports.js';
import { annotationDeleter, annotationEditor, annotationReplier, annotationResolver } from '../../../commands/annotations/annotations.js';
import { notFound } from '../../../errors.js';
import { requireVisibleAnnotation } from '../../../policies/annotations.js';
import { subjectThread } from '../../../queries/reports.js';
import type { AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/annotations';

/**
 * Annotations of any subject (schedule entries, reports) by id: the thread, replies, editing,
 * deleting and resolving. Each asks the subject's own "who may see this" first, so an annotation
 * of something the user may not see is a 404 like one that does not exist.
 */
export function annotationsRouter(_deps: AppDeps) {
  const router = new Router({ prefix: P });
  router.param('id', async (value, _ctx, next) => {
    if (!idParam.safeParse(value).success) throw notFound('The annotation');
    return next();
  });
  route(router, P, { method: 'get', path: '/:id', summary: 'An annotation’s thread (the annotation a reply belongs to, with its replies)', tag: 'annotations', access: 'user' }, async ({ ctx, user, params }) => {
    const access = await requireVisibleAnnotation(ctx.state.em, user, params.id);
    return subjectThread(ctx.state.em, user, access, access.parentId ?? params.id);
  });
  route(router, P, { method: 'post', path: '/:id/replies', summary: 'Reply under an annotation (the subject’s owner and those who may annotate it)', tag: 'annotations', access: 'user', body: annotationSchema, status: 201 }, async ({ run, params, body }) =>
    run((cx) => annotationReplier(cx, params.id, body.body)),
  );
  route(router, P, { method: 'patch', path: '/:id', summary: 'Change one’s annotation or reply', tag: 'annotations', access: 'user', body: annotationEditSchema }, async ({ run, params, body }) =>
    run((cx) => annotationEditor(cx, params.id, body.body)),
  );
  route(router, P, { method: 'delete', path: '/:id', summary: 'Delete one’s annotation or reply (a passage’s mark goes with it)', tag: 'annotations', access: 'user' }, async ({ run, params }) =>
    run((cx) => annotationDeleter(cx, params.id)),
  );
  route(router, P, { method: 'post', path: '/:id/resolve', summary: 'Resolve an annotation (the owner of what was annotated)', tag: 'annotations', access: 'user' }, async ({ run, params }) =>
    run((cx) => annotationResolver(cx, params.id, true)),
  );
  route(router, P, { method: 'post', path: '/:id/reopen', summary: 'Open a resolved annotation again', tag: 'annotations', access: 'user' }, async ({ run, params }) =>
    run((cx) => annotationResolver(cx, params.id, false)),
  );
  return router;
}
