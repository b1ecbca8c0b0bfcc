import Router from '@koa/router';
import type pg from 'pg';
import { changePasswordSchema, loginSchema } from '../../../../shared/schemas/auth.js';
import { User } from '../../../entities/User.js';
import { createSession, revokeSession, revokeUserSessions, SESSION_COOKIE } from '../../../auth/sessions.js';
import { hashPassword, verifyPassword } from '../../../auth/passwords.js';
import { z } from 'zod';
import { AppError, badRequest, validationFailed } from '../../../errors.js';
import { passwordStrength, weakPasswordIssue } from '../../../../shared/schemas/password.js';
import { createLoginThrottle, type LoginThrottle } from '../../../auth/loginThrottle.js';
import { me } from '../../../queries/me.js';
import type { AppContext, AppDeps } from '../../context.js';
import { route } from '../../route.js';

function setSessionCookie(ctx: AppContext, token: string | null, expires?: Date) {
  ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', expires, overwrite: true });
}

/** Sign in, sign out and change one's password. */
export function authRouter(deps: AppDeps) {
  const router = new Router({ prefix: '/api/auth' });
  // See loginThrottle.ts: waits per account and address, a ceiling per account that spares the
  // account's known addresses, a ceiling per address; counted in PostgreSQL for every process.
  let throttle: Promise<LoginThrottle> | undefined;
  const loginThrottle = () =>
    (throttle ??= (async () => {
      const pool = (await deps.orm.em.getConnection().getNativeClient()) as pg.Pool;
      return createLoginThrottle(pool, {
        freeFailures: deps.config.loginFreeFailures,
        maxDelaySeconds: deps.config.loginMaxDelaySeconds,
        perAccount: deps.config.loginAttemptsPerAccount,
        perAddress: deps.config.loginAttemptsPerAddress,
      });
    })());

  route(router, '/api/auth', { method: 'post', path: '/login', summary: 'Sign in; sets the session cookie and returns a bearer token', tag: 'auth', access: 'public', body: loginSchema }, async ({ ctx, body }) => {
    const email = body.email.trim().toLowerCase();
    const throttled = await loginThrottle();
    await throttled.check(email, ctx.ip);
    const em = ctx.state.em;
    const user = await em.findOne(User, { email }, { populate: ['passwordHash'] });
    const valid = await verifyPassword(user?.passwordHash, body.password);
    if (!user || !valid || !user.active) {
      await throttled.failed(email, ctx.ip);
      // Recorded without an actor: whoever tried is not known to be the account's holder.
      await deps.runner.run(em, null, (cx) => cx.audit({ action: 'auth.sign_in_failed', targetType: 'user', targetId: user ? String(user.id) : null, data: { email, reason: !user ? 'unknown_account' : !valid ? 'wrong_password' : 'deactivated' } }), { address: ctx.ip });
      throw new AppError(401, 'unauthenticated', 'The e-mail address or password is wrong, or the account is deactivated');
    }
    await throttled.succeeded(email, ctx.ip);
    const { token, session } = await createSession(em, user, deps.config.sessionTtlMs, ctx.get('user-agent'));
    await deps.runner.run(em, user, (cx) => cx.audit({ action: 'auth.signed_in', targetType: 'session', targetId: String(session.id), data: { userAgent: ctx.get('user-agent').slice(0, 200) } }), { address: ctx.ip });
    setSessionCookie(ctx, token, session.expiresAt);
    return { user: await me(em, user), token, expiresAt: session.expiresAt.toISOString() };
  });

  route(router, '/api/auth', { method: 'post', path: '/logout', summary: 'Sign out this session and close its sockets', tag: 'auth', access: 'user', status: 204 }, async ({ ctx, session, run }) => {
    await revokeSession(ctx.state.em, session.id);
    await run((cx) => cx.audit({ action: 'auth.signed_out', targetType: 'session', targetId: String(session.id) }));
    setSessionCookie(ctx, null);
    deps.emitter.endSessionSockets(session.id, 'logout');
  });

  route(router, '/api/auth', { method: 'post', path: '/password', summary: 'Change one’s password; signs out every other session', tag: 'auth', access: 'user', body: changePasswordSchema }, async ({ ctx, body, user, session, run }) => {
    const em = ctx.state.em;
    const withHash = await em.findOneOrFail(User, user.id, { populate: ['passwordHash'] });
    if (!(await verifyPassword(withHash.passwordHash, body.currentPassword))) throw badRequest('The current password is wrong', [{ path: 'currentPassword', message: 'is wrong', code: 'wrong_password' }]);
    // The schema judged the password alone; the user's own name and address make some weaker still.
    const strength = passwordStrength(body.newPassword, [user.email, user.displayName]);
    if (!strength.strong) throw validationFailed(new z.ZodError([{ code: 'custom', path: ['newPassword'], input: undefined, ...weakPasswordIssue(strength) }]));
    withHash.passwordHash = await hashPassword(body.newPassword);
    await em.flush();
    const revoked = await revokeUserSessions(em, user.id, session.id);
    await run((cx) => cx.audit({ action: 'auth.password_changed', targetType: 'user', targetId: String(user.id), data: { revokedSessions: revoked.length } }));
    for (const id of revoked) deps.emitter.endSessionSockets(id, 'password_changed');
    return { revokedSessions: revoked.length };
  });
  return router;
}
