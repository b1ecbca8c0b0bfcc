import Router from '@koa/router';
import { importQuerySchema, commentSchema, contactRecordSchema, contactSchema, contactUpdateSchema, customerCreateSchema, customerListQuerySchema, customerUpdateSchema, feedQuerySchema, neglectedQuerySchema, teamFeedQuerySchema } from '../../../../shared/schemas/customers.js';
import { customerCreator, customerFollower, customerUpdater } from '../../../commands/customers/customers.js';
import { commentCreator, contactCreator, contactDeleter, contactRecordCreator, contactUpdater } from '../../../commands/customers/contacts.js';
import { badRequest, notFound, payloadTooLarge } from '../../../errors.js';
import { customerImporter } from '../../../commands/customers/csvImport.js';
import { requireVisibleCustomer } from '../../../policies/customers.js';
import { customerDetail, listCustomers, neglectedCustomers } from '../../../queries/customers.js';
import { customerFeed, teamFeed } from '../../../queries/feed.js';
import type { AppContext, AppDeps } from '../../context.js';
import { idParam, route } from '../../route.js';
import { readRawBody } from '../../rawBody.js';
import { csvDownloadHeaders, csvStream } from '../../../exports/csv.js';
import { customerExportHeader, customerExportRows } from '../../../exports/customers.js';

const P = '/api/customers';
/** The largest CSV file an import takes. */
const IMPORT_LIMIT_BYTES = 20 * 1024 * 1024;

/** The raw CSV bytes of the request (the JSON body parser leaves other types unread). */
async function readCsvBody(ctx: AppContext): Promise<Buffer> {
  if (!ctx.is('text/csv', 'text/plain', 'application/octet-stream')) throw badRequest('Send the file as the request body with Content-Type text/csv');
  return readRawBody(ctx, IMPORT_LIMIT_BYTES, () => payloadTooLarge(`A CSV file may have at most ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB`));
}

/** Customers, contacts, following, the customer feed, the team feed and neglected customers. */
export function customersRouter(deps: AppDeps) {
  const router = new Router({ prefix: P });
  for (const name of ['id', 'contactId']) {
    router.param(name, async (value, _ctx, next) => {
      if (!idParam.safeParse(value).success) throw notFound(name === 'id' ? 'The customer' : 'The contact');
      return next();
    });
  }
  const detail = async (ctx: AppContext, userId: string, id: string) => {
    const found = await customerDetail(ctx.state.em, ctx.state.user!, id);
    if (!found) throw notFound('The customer');
    return found;
  };

  route(router, P, { method: 'get', path: '/', summary: 'Customers the user may see, most valuable first', tag: 'customers', access: 'user', query: customerListQuerySchema }, async ({ ctx, user, query }) =>
    listCustomers(ctx.state.em, user, query),
  );
  route(router, P, { method: 'post', path: '/', summary: 'Create a customer with owners and contacts', tag: 'customers', access: 'user', body: customerCreateSchema, status: 201 }, async ({ ctx, run, user, body }) => {
    const id = await run((cx) => customerCreator(cx, body));
    return detail(ctx, user.id, id);
  });
  route(router, P, { method: 'post', path: '/import', summary: 'Import customers and contacts from a CSV body (text/csv; UTF-8 or GBK): dry run or all-or-nothing', tag: 'customers', access: 'user', query: importQuerySchema }, async ({ ctx, run, user, query }) => {
    const bytes = await readCsvBody(ctx);
    return run((cx) =>
      customerImporter(cx, bytes, {
        encoding: query.encoding,
        dryRun: query.dryRun === 'true',
        progress: query.importId ? (done, total) => deps.emitter.importProgress(user.id, { importId: query.importId!, done, total }) : undefined,
      }),
    );
  });
  route(router, P, { method: 'get', path: '/team-feed', summary: 'Feed items of every customer the user may see, filterable by tier and type', tag: 'customers', access: 'user', query: teamFeedQuerySchema }, async ({ ctx, user, query }) =>
    teamFeed(ctx.state.em, user, query),
  );
  route(router, P, { method: 'get', path: '/neglected', summary: 'Platinum and gold customers nobody has contacted for N days', tag: 'customers', access: 'user', query: neglectedQuerySchema }, async ({ ctx, user, query }) =>
    neglectedCustomers(ctx.state.em, user, query),
  );
  route(router, P, { method: 'get', path: '/export', summary: 'The customers the user may see as a CSV file (UTF-8 with BOM, in the import’s format; formula-like cells neutralised)', tag: 'customers', access: 'user', envelope: false }, async ({ ctx, user, run }) => {
    await run((cx) => cx.audit({ action: 'export.csv', targetType: 'customer', data: { export: 'customers' } }));
    ctx.set(csvDownloadHeaders(`customers-${new Date().toISOString().slice(0, 10)}.csv`));
    return csvStream(customerExportHeader(user.locale), customerExportRows(ctx.state.em, user));
  });
  route(router, P, { method: 'get', path: '/:id', summary: 'One customer with owners and contacts', tag: 'customers', access: 'user' }, async ({ ctx, user, params }) => detail(ctx, user.id, params.id));
  route(router, P, { method: 'patch', path: '/:id', summary: 'Change a customer (owners, their superiors, admins)', tag: 'customers', access: 'user', body: customerUpdateSchema }, async ({ ctx, run, user, params, body }) => {
    await run((cx) => customerUpdater(cx, params.id, body));
    return detail(ctx, user.id, params.id);
  });
  route(router, P, { method: 'post', path: '/:id/follow', summary: 'Follow a customer', tag: 'customers', access: 'user' }, async ({ ctx, run, user, params }) => {
    await run((cx) => customerFollower(cx, params.id, true));
    return detail(ctx, user.id, params.id);
  });
  route(router, P, { method: 'delete', path: '/:id/follow', summary: 'Stop following a customer', tag: 'customers', access: 'user' }, async ({ ctx, run, user, params }) => {
    await run((cx) => customerFollower(cx, params.id, false));
    return detail(ctx, user.id, params.id);
  });
  route(router, P, { method: 'post', path: '/:id/contacts', summary: 'Add a contact', tag: 'customers', access: 'user', body: contactSchema, status: 201 }, async ({ run, params, body }) =>
    run((cx) => contactCreator(cx, params.id, body)),
  );
  route(router, P, { method: 'patch', path: '/:id/contacts/:contactId', summary: 'Change a contact', tag: 'customers', access: 'user', body: contactUpdateSchema }, async ({ run, params, body }) =>
    run((cx) => contactUpdater(cx, params.id, params.contactId, body)),
  );
  route(router, P, { method: 'delete', path: '/:id/contacts/:contactId', summary: 'Remove a contact', tag: 'customers', access: 'user', status: 204 }, async ({ run, params }) => {
    await run((cx) => contactDeleter(cx, params.id, params.contactId));
  });
  route(router, P, { method: 'get', path: '/:id/feed', summary: 'The customer feed, newest first', tag: 'customers', access: 'user', query: feedQuerySchema }, async ({ ctx, user, params, query }) => {
    await requireVisibleCustomer(ctx.state.em, user, params.id);
    return customerFeed(ctx.state.em, user, params.id, query);
  });
  route(router, P, { method: 'post', path: '/:id/comments', summary: 'Comment in the customer feed (rich text, mentions notify)', tag: 'customers', access: 'user', body: commentSchema, status: 201 }, async ({ run, params, body }) =>
    run((cx) => commentCreator(cx, params.id, body.body)),
  );
  route(router, P, { method: 'post', path: '/:id/contact-records', summary: 'Log a call, visit or e-mail with the customer', tag: 'customers', access: 'user', body: contactRecordSchema, status: 201 }, async ({ run, params, body }) =>
    run((cx) => contactRecordCreator(cx, params.id, body)),
  );
  return router;
}
