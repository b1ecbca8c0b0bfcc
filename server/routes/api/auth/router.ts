import Router from '@koa/router';
import { RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type pg from 'pg';
import { changePasswordSchema, loginSchema } from '../../../../shared/schemas/auth.js';
import { User } from '../../../entities/User.js';
import { createSession, revokeSession, revokeUserSessions, SESSION_COOKIE } from '../../../auth/sessions.js';
import { hashPassword, verifyPassword } from '../../../auth/passwords.js';
import { AppError, badRequest, rateLimited } from '../../../errors.js';
import { me } from '../../../queries/me.js';
import type { AppContext, AppDeps } from '../../context.js';
import { route } from '../../route.js';

const WINDOW_SECONDS = 15 * 60;

async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string) {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    // A refusal is the limiter's answer; an Error is the database failing (a 503, not a 429).
    if (rejection instanceof Error) throw rejection;
    throw rateLimited(Math.ceil(((rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000) / 1000));
  }
}

function setSessionCookie(ctx: AppContext, token: string | null, expires?: Date) {
  ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', expires, overwrite: true });
}

/** Sign in, sign out and change one's password. */
export function authRouter(deps: AppDeps) {
  const router = new Router({ prefix: '/api/auth' });
  // Failed attempts per account stop password guessing; all attempts per address stop spraying many
  // accounts. They are counted in PostgreSQL, so that several server processes (and a restart) do
  // not multiply what a guesser gets; a sign-in is rare enough for the query it costs.
  let limiters: Promise<{ perAccount: RateLimiterAbstract; perAddress: RateLimiterAbstract }> | undefined;
  const loginLimiters = () =>
    (limiters ??= (async () => {
      const pool = (await deps.orm.em.getConnection().getNativeClient()) as pg.Pool;
      const options = { storeClient: pool, storeType: 'pool', tableName: 'login_rate_limits', tableCreated: true, duration: WINDOW_SECONDS };
      return {
        perAccount: new RateLimiterPostgres({ ...options, keyPrefix: 'account', points: deps.config.loginAttemptsPerAccount }),
        perAddress: new RateLimiterPostgres({ ...options, keyPrefix: 'address', points: deps.config.loginAttemptsPerAddress }),
      };
    })());

  route(router, '/api/auth', { method: 'post', path: '/login', summary: 'Sign in; sets the session cookie and returns a bearer token', tag: 'auth', access: 'public', body: loginSchema }, async ({ ctx, body }) => {
    const email = body.email.trim().toLowerCase();
    const { perAccount, perAddress } = await loginLimiters();
    await consumeOrRefuse(perAddress, ctx.ip);
    const blocked = await perAccount.get(email);
    if (blocked && blocked.consumedPoints >= deps.config.loginAttemptsPerAccount) throw rateLimited(Math.ceil(blocked.msBeforeNext / 1000));
    const em = ctx.state.em;
    const user = await em.findOne(User, { email }, { populate: ['passwordHash'] });
    const valid = await verifyPassword(user?.passwordHash, body.password);
    if (!user || !valid || !user.active) {
      await consumeOrRefuse(perAccount, email);
      throw new AppError(401, 'unauthenticated', 'The e-mail address or password is wrong, or the account is deactivated');
    }
    await perAccount.delete(email);
    const { token, session } = await createSession(em, user, deps.config.sessionTtlMs, ctx.get('user-agent'));
    setSessionCookie(ctx, token, session.expiresAt);
    return { user: await me(em, user), token, expiresAt: session.expiresAt.toISOString() };
  });

  route(router, '/api/auth', { method: 'post', path: '/logout', summary: 'Sign out this session and close its sockets', tag: 'auth', access: 'user', status: 204 }, async ({ ctx, session }) => {
    await revokeSession(ctx.state.em, session.id);
    setSessionCookie(ctx, null);
    deps.emitter.endSessionSockets(session.id, 'logout');
  });

  route(router, '/api/auth', { method: 'post', path: '/password', summary: 'Change one’s password; signs out every other session', tag: 'auth', access: 'user', body: changePasswordSchema }, async ({ ctx, body, user, session }) => {
    const em = ctx.state.em;
    const withHash = await em.findOneOrFail(User, user.id, { populate: ['passwordHash'] });
    if (!(await verifyPassword(withHash.passwordHash, body.currentPassword))) throw badRequest('The current password is wrong', [{ path: 'currentPassword', message: 'is wrong', code: 'wrong_password' }]);
    withHash.passwordHash = await hashPassword(body.newPassword);
    await em.flush();
    const revoked = await revokeUserSessions(em, user.id, session.id);
    for (const id of revoked) deps.emitter.endSessionSockets(id, 'password_changed');
    return { revokedSessions: revoked.length };
  });
  return router;
}
