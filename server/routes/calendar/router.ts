import Router from '@koa/router';
import { calendarFeed } from '../../calendar/ics.js';
import { notFound } from '../../errors.js';
import { calendarEntries, calendarOwner } from '../../queries/calendar.js';
import type { AppContext, AppDeps } from '../context.js';

/**
 * The private iCalendar feed a calendar program subscribes to. Calendar programs cannot sign in:
 * the secret in the path is the credential (made under /api/me/calendar-link).
 */
export function calendarFeedRouter(deps: AppDeps) {
  const router = new Router();
  router.get('/calendar/:file', async (koaCtx) => {
    const ctx = koaCtx as unknown as AppContext;
    const match = /^([\w-]{20,64})\.ics$/.exec(koaCtx.params.file);
    const userId = match ? await calendarOwner(ctx.state.em, match[1]) : null;
    if (!userId) throw notFound('The calendar');
    ctx.set('Cache-Control', 'private, max-age=300');
    ctx.type = 'text/calendar; charset=utf-8';
    ctx.body = calendarFeed(await calendarEntries(ctx.state.em, userId), new URL(deps.config.publicUrl).hostname);
  });
  return router;
}
