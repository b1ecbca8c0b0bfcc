import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import helmet from 'koa-helmet';
import serve from 'koa-static';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { forbidden, methodNotAllowed, notFound, toAppError, badRequest } from './errors.js';
import { resolveSession, SESSION_COOKIE, tokenFrom } from './auth/sessions.js';
import { isDatabaseReady } from './db/orm.js';
import type { AppContext, AppDeps } from './routes/context.js';
import { openApiDocument } from './routes/openapi.js';
import { bodyReadError } from './routes/rawBody.js';
import { authRouter } from './routes/api/auth/router.js';
import { meRouter } from './routes/api/me/router.js';
import { departmentsRouter } from './routes/api/departments/router.js';
import { usersRouter } from './routes/api/users/router.js';
import { notificationsRouter } from './routes/api/notifications/router.js';
import { remindersRouter } from './routes/api/reminders/router.js';
import { recurrenceRouter } from './routes/api/recurrence/router.js';
import { outboxRouter } from './routes/api/outbox/router.js';
import { twilioWebhookRouter } from './routes/webhooks/twilio.js';
import { conversationsRouter } from './routes/api/conversations/router.js';
import { customersRouter } from './routes/api/customers/router.js';
import { settingsRouter } from './routes/api/settings/router.js';
import { scheduleRouter } from './routes/api/schedule/router.js';
import { calendarFeedRouter } from './routes/calendar/router.js';
import { announcementsRouter } from './routes/api/announcements/router.js';
import { annotationsRouter } from './routes/api/annotations/router.js';
import { boardsRouter } from './routes/api/boards/router.js';
import { workbenchRouter } from './routes/api/workbench/router.js';
import { searchRouter } from './routes/api/search/router.js';
import { pushRouter } from './routes/api/push/router.js';
import { reportsRouter } from './routes/api/reports/router.js';
import { operationsRouter } from './routes/api/operations/router.js';
import { attachmentsRouter, filesRouter } from './routes/api/files/router.js';

/** Every API router; a new resource adds its factory here. */
export const apiRouters = [authRouter, meRouter, departmentsRouter, usersRouter, notificationsRouter, conversationsRouter, remindersRouter, recurrenceRouter, outboxRouter, twilioWebhookRouter, settingsRouter, customersRouter, scheduleRouter, calendarFeedRouter, annotationsRouter, reportsRouter, pushRouter, announcementsRouter, boardsRouter, operationsRouter, workbenchRouter, searchRouter, filesRouter, attachmentsRouter];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where the page's images and media may come from besides us: the S3 store that downloads redirect to (presigned links). */
function fileStoreOrigins(config: AppDeps['config']): string[] {
  const s3 = config.files.storage === 's3' ? config.files.s3 : undefined;
  if (!s3) return [];
  if (!s3.endpoint) return ['https://*.amazonaws.com'];
  const url = new URL(s3.endpoint);
  return [s3.forcePathStyle ? url.origin : `${url.protocol}//${s3.bucket}.${url.host}`];
}

/** True when every percent-escape of the path and the query string decodes as UTF-8. */
function isUtf8Url(path: string, querystring: string): boolean {
  try {
    decodeURIComponent(path);
    for (const part of querystring.split(/[&=]/)) decodeURIComponent(part.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}

/** Builds the Koa app (no listen), in the middleware order requests go through. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Behind a reverse proxy the client's address (sign-in throttling) comes from X-Forwarded-For.
  app.proxy = deps.config.trustProxy;

  // 1. Request id and one structured log line per request.
  app.use(async (koaCtx, next) => {
    const ctx = koaCtx as unknown as AppContext;
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    ctx.state.log = deps.logger.child({ requestId: ctx.state.requestId });
    const started = performance.now();
    try {
      await next();
    } finally {
      if (ctx.path !== '/healthz') {
        ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
      }
    }
  });

  // 2. Errors become `{ error: { code, message, details? } }`; only 5xx are logged with a stack.
  app.use(async (koaCtx, next) => {
    const ctx = koaCtx as unknown as AppContext;
    try {
      await next();
      if (ctx.body === undefined && ctx.path.startsWith('/api/')) {
        if (ctx.status === 404) throw notFound('The endpoint');
        // The routers' allowedMethods answer a known path with another method (405, with Allow) or an unknown method (501) without a body.
        if (ctx.status === 405 || ctx.status === 501) throw methodNotAllowed(ctx.method);
      }
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) ctx.state.log?.error({ err: error }, 'request failed');
      ctx.status = appError.status;
      ctx.body = { error: appError.toBody() };
      if (appError.code === 'rate_limited') ctx.set('Retry-After', String((appError.details as { retryAfterSeconds: number }).retryAfterSeconds));
      // The database is away (restarting, failing over): the pool reconnects by itself, so asking again soon works.
      if (appError.code === 'unavailable') ctx.set('Retry-After', '2');
    }
  });

  // 3. Security headers; the client is served from this origin only.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          imgSrc: ["'self'", 'data:', ...fileStoreOrigins(deps.config)],
          mediaSrc: ["'self'", ...fileStoreOrigins(deps.config)],
          styleSrc: ["'self'", "'unsafe-inline'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: deps.config.publicUrl.startsWith('https:'),
    }),
  );

  // 4. Cross-site request forgery: a browser attaches the session cookie to requests any site makes,
  // whatever their content type (a text/plain form post needs no preflight). A request that changes
  // something and is authenticated by the cookie must come from our own pages: its Origin is one we
  // serve (PUBLIC_URL, ALLOWED_ORIGINS) or, without an Origin, its Sec-Fetch-Site is same-origin; one
  // that says neither is refused too. Signing in is held to the same rule (so no site can sign a
  // visitor into another account). Bearer-token clients are not browsers and are not affected.
  app.use(async (koaCtx, next) => {
    const ctx = koaCtx as unknown as AppContext;
    if (!SAFE_METHODS.has(ctx.method) && ctx.path.startsWith('/api/') && !/^Bearer\s+\S+$/i.test(ctx.get('authorization'))) {
      const byCookie = ctx.get('cookie').includes(`${SESSION_COOKIE}=`);
      const origin = ctx.get('origin');
      const site = ctx.get('sec-fetch-site');
      const fromUs = origin ? deps.config.allowedOrigins.includes(origin) : site ? site === 'same-origin' : !byCookie;
      if (!fromUs && (byCookie || ctx.path === '/api/auth/login')) throw forbidden('This request came from another site (Origin / Sec-Fetch-Site), so it is refused: changes need the page of this server or a bearer token');
    }
    await next();
  });

  // 5. JSON bodies only, bounded in size (413 beyond).
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: deps.config.bodyLimitBytes,
      encoding: 'utf-8',
      onError: (error) => {
        throw bodyReadError(error);
      },
    }),
  );

  // 6. A request-scoped EntityManager and the session, if any (routes decide whether one is required).
  app.use(async (koaCtx, next) => {
    const ctx = koaCtx as unknown as AppContext;
    // Node decodes a percent-escape that is not UTF-8 to U+FFFD without a word; the boundary rule refuses it.
    if (!isUtf8Url(ctx.path, ctx.querystring)) throw badRequest('The URL holds percent-escapes that are not UTF-8');
    ctx.deps = deps;
    ctx.state.em = deps.orm.em.fork();
    if (ctx.path.startsWith('/api/')) {
      const resolved = await resolveSession(ctx.state.em, tokenFrom(ctx.get('authorization'), ctx.get('cookie')));
      if (resolved) {
        ctx.state.user = resolved.user;
        ctx.state.session = resolved.session;
      }
    }
    await next();
  });

  const system = new Router();
  system.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  system.get('/readyz', async (ctx) => {
    const ready = (await isDatabaseReady(deps.orm)) && (deps.realtimeLinked?.() ?? true);
    ctx.status = ready ? 200 : 503;
    ctx.body = ready ? { status: 'ready' } : { error: { code: 'unavailable', message: 'The database is unreachable or has pending migrations, or this process does not hear the other server processes yet' } };
  });
  system.get('/api/openapi.json', (ctx) => {
    ctx.body = openApiDocument();
  });
  app.use(system.routes());
  for (const factory of apiRouters) {
    const router = factory(deps);
    app.use(router.routes()).use(router.allowedMethods());
  }

  // 7. The built web client, with index.html for client-side routes.
  const indexFile = path.join(deps.config.clientDist, 'index.html');
  app.use(serve(deps.config.clientDist, { index: 'index.html', maxage: 0 }));
  app.use(async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.method === 'GET' && !ctx.path.startsWith('/api/') && !ctx.path.startsWith('/socket.io') && fs.existsSync(indexFile)) {
      ctx.type = 'html';
      ctx.body = fs.createReadStream(indexFile);
    }
  });
  return app;
}
