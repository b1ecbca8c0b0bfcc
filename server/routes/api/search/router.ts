import Router from '@koa/router';
import { searchQuerySchema } from '../../../../shared/schemas/search.js';
import { search } from '../../../queries/search.js';
import type { AppDeps } from '../../context.js';
import { route } from '../../route.js';

const P = '/api/search';

/** Search across messages, threads and replies, reports and annotations, announcements, customers and contacts, schedule entries and people. */
export function searchRouter(_deps: AppDeps) {
  const router = new Router({ prefix: P });
  route(
    router,
    P,
    { method: 'get', path: '/', summary: 'Search what one may see, grouped by kind, with snippets and counts; filters by kind, person, conversation, board, customer and date', tag: 'search', access: 'user', query: searchQuerySchema },
    async ({ ctx, user, query }) => search(ctx.state.em, user, query),
  );
  return router;
}
