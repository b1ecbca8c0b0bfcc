import Router from '@koa/router';
import { createHash, randomBytes } from 'node:crypto';
import { calendarFeed } from '../../../calendar/ics.js';
import { notFound } from '../../../errors.js';
import type { AppContext, AppDeps } from '../../context.js';
import { route } from '../../route.js';

const P = '/api/me/calendar-link';
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The private calendar subscription link: created or replaced (the old one stops working),
 * revoked, and the public `.ics` it points to. Only the token's hash is stored, so a link is
 * shown once, when made.
 */
export function calendarRouter(deps: AppDeps) {
  const router = new Router();
  const urlOf = (token: string) => `${deps.config.publicUrl}/calendar/${token}.ics`;
  route(router, '', { method: 'get', path: P, summary: 'Whether the user has a calendar link, and since when', tag: 'calendar', access: 'user' }, async ({ ctx, user }) => {
    const [row] = await ctx.state.em.execute<{ created_at: Date }[]>(`SELECT created_at FROM calendar_tokens WHERE user_id = ?`, [user.id]);
    return { active: !!row, createdAt: row ? new Date(row.created_at).toISOString() : null };
  });
  route(router, '', { method: 'post', path: P, summary: 'Make a new private .ics link (replacing any earlier one)', tag: 'calendar', access: 'user', status: 201 }, async ({ ctx, user }) => {
    const token = randomBytes(24).toString('base64url');
    await ctx.state.em.execute(
      `INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES (?, ?, now()) ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = now()`,
      [user.id, hash(token)],
    );
    return { url: urlOf(token) };
  });
  route(router, '', { method: 'delete', path: P, summary: 'Revoke the calendar link', tag: 'calendar', access: 'user', status: 204 }, async ({ ctx, user }) => {
    await ctx.state.em.execute(`DELETE FROM calendar_tokens WHERE user_id = ?`, [user.id]);
  });
  // Calendar programs cannot sign in: the secret in the path is the credential.
  router.get('/calendar/:file', async (koaCtx) => {
    const ctx = koaCtx as unknown as AppContext;
    const match = /^([\w-]{20,64})\.ics$/.exec(koaCtx.params.file);
    const [row] = match ? await ctx.state.em.execute<{ user_id: string }[]>(`SELECT t.user_id::text AS user_id FROM calendar_tokens t JOIN users u ON u.id = t.user_id AND u.active WHERE t.token_hash = ?`, [hash(match[1])]) : [];
    if (!row) throw notFound('The calendar');
    ctx.set('Cache-Control', 'private, max-age=300');
    ctx.type = 'text/calendar; charset=utf-8';
    ctx.body = await calendarFeed(ctx.state.em, String(row.user_id), new URL(deps.config.publicUrl).hostname);
  });
  return router;
}
