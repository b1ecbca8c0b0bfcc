import Router from '@koa/router';
import { entryKinds } from '../../../../shared/schedule.js';
import { annotationSchema, occurrenceEditSchema, occurrenceScopeSchema, entryCreateSchema, entryResultSchema, entryUpdateSchema, personEntriesQuerySchema, rangeQuerySchema, visitsQuerySchema } from '../../../../shared/schemas/schedule.js';
import { entryCreator, entryDeleter, entryUpdater, resultRecorder } from '../../../commands/schedule/entries.js';
import { annotationCreator, annotationReplier } from '../../../commands/annotations/annotations.js';
import { occurrenceDeleter, occurrenceEditor } from '../../../commands/schedule/occurrences.js';
import { badRequest, notFound } from '../../../errors.js';
import { isSuperiorOf } from '../../../policies/hierarchy.js';
import { abilitiesFor, requireVisibleEntry } from '../../../policies/schedule.js';
import { subjectAnnotations } from '../../../queries/annotations.js';
import { requireVisibleSubject } from '../../../policies/annotations.js';
import { customerVisits, dayRange, departmentEntries, personEntries, teamEntries } from '../../../queries/schedule.js';
import { entryById } from '../../../queries/scheduleEntries.js';
import type { AppContext, AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';

const P = '/api/schedule';
const range = (q: { from?: string; to?: string }) => ({ from: new Date(q.from!), to: new Date(q.to!) });

/** Schedule entries, results, annotations and the schedule queries. */
export function scheduleRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  for (const name of ['id', 'annotationId', 'departmentId', 'customerId']) {
    router.param(name, async (value, _ctx, next) => {
      if (!idParam.safeParse(value).success) throw notFound('The resource');
      return next();
    });
  }

  route(router, P, { method: 'get', path: '/entries', summary: 'One person’s entries on a day or over a range (default: oneself)', tag: 'schedule', access: 'user', query: personEntriesQuerySchema }, async ({ ctx, user, query }) => {
    const r = query.day ? dayRange(query.day, query.timeZone ?? user.timeZone) : range(query);
    return personEntries(ctx.state.em, user, query.userId ?? user.id, r);
  });
  route(router, P, { method: 'post', path: '/entries', summary: 'Create a schedule entry', tag: 'schedule', access: 'user', body: entryCreateSchema, status: 201 }, async ({ run, body }) =>
    run((cx) => entryCreator(cx, body)),
  );
  route(router, P, { method: 'get', path: '/entries/:id', summary: 'One schedule entry (owner, superiors, or shared department)', tag: 'schedule', access: 'user' }, async ({ ctx, user, params }) => {
    const { ownerId } = await requireVisibleEntry(ctx.state.em, user, params.id);
    const superior = ownerId !== user.id && (await isSuperiorOf(ctx.state.em, user.id, ownerId));
    return entryById(ctx.state.em, params.id, abilitiesFor(user.id, () => superior));
  });
  route(router, P, { method: 'patch', path: '/entries/:id', summary: 'Change one’s entry: fields, status, sharing', tag: 'schedule', access: 'user', body: entryUpdateSchema }, async ({ run, params, body }) =>
    run((cx) => entryUpdater(cx, params.id, body)),
  );
  route(router, P, { method: 'delete', path: '/entries/:id', summary: 'Delete one’s entry', tag: 'schedule', access: 'user', status: 204 }, async ({ run, params }) => {
    await run((cx) => entryDeleter(cx, params.id));
  });
  route(router, P, { method: 'put', path: '/entries/:id/result', summary: 'Record the result of one’s entry (marks it done)', tag: 'schedule', access: 'user', body: entryResultSchema }, async ({ run, params, body }) =>
    run((cx) => resultRecorder(cx, params.id, body.result)),
  );
  route(router, P, { method: 'post', path: '/entries/:id/occurrences/edit', summary: 'Edit one occurrence of a recurring entry, or it and all following', tag: 'schedule', access: 'user', body: occurrenceEditSchema }, async ({ run, params, body }) =>
    run((cx) => occurrenceEditor(cx, params.id, new Date(body.occurrenceStart), body.scope, body.changes)),
  );
  route(router, P, { method: 'post', path: '/entries/:id/occurrences/delete', summary: 'Delete one occurrence of a recurring entry, or it and all following', tag: 'schedule', access: 'user', body: occurrenceScopeSchema, status: 204 }, async ({ run, params, body }) => {
    await run((cx) => occurrenceDeleter(cx, params.id, new Date(body.occurrenceStart), body.scope));
  });
  route(router, P, { method: 'get', path: '/entries/:id/annotations', summary: 'Annotations of an entry with their replies', tag: 'schedule', access: 'user' }, async ({ ctx, user, params }) => {
    const access = await requireVisibleSubject(ctx.state.em, user, { kind: 'entry', id: params.id });
    return subjectAnnotations(ctx.state.em, access.subject, { viewerId: user.id, reply: access.reply, resolve: access.resolve });
  });
  route(router, P, { method: 'post', path: '/entries/:id/annotations', summary: 'Annotate an entry (superiors of the owner); notifies the owner', tag: 'schedule', access: 'user', body: annotationSchema, status: 201 }, async ({ run, params, body }) =>
    run((cx) => annotationCreator(cx, { kind: 'entry', id: params.id }, { body: body.body })),
  );
  route(router, P, { method: 'post', path: '/annotations/:annotationId/replies', summary: 'Reply under an annotation (owner and superiors)', tag: 'schedule', access: 'user', body: annotationSchema, status: 201 }, async ({ run, params, body }) =>
    run((cx) => annotationReplier(cx, params.annotationId, body.body)),
  );
  route(router, P, { method: 'get', path: '/departments/:departmentId', summary: 'A department’s entries over a range, optionally only customer-related', tag: 'schedule', access: 'user', query: rangeQuerySchema }, async ({ ctx, user, params, query }) =>
    departmentEntries(ctx.state.em, user, params.departmentId, range(query), query.customerOnly === 'true'),
  );
  route(router, P, { method: 'get', path: '/team', summary: 'The whole team of a manager over a range', tag: 'schedule', access: 'user', query: rangeQuerySchema }, async ({ ctx, user, query }) =>
    teamEntries(ctx.state.em, user, range(query), query.customerOnly === 'true'),
  );
  route(router, P, { method: 'get', path: '/customers/:customerId/visits', summary: 'Visits (or other kinds) to a customer over a range, with who made them', tag: 'schedule', access: 'user', query: visitsQuerySchema }, async ({ ctx, user, params, query }) => {
    const kinds = query.kinds ? query.kinds.split(',') : ['visit'];
    if (!kinds.every((k) => (entryKinds as readonly string[]).includes(k))) throw badRequest(`kinds must be among ${entryKinds.join(', ')}`, [{ path: 'kinds', message: 'unknown kind', code: 'unknown_kind' }]);
    return customerVisits(ctx.state.em, user, params.customerId, range(query), kinds);
  });
  return router;
}
