import type Router from '@koa/router';
import { z, type ZodType } from 'zod';
import { unauthenticated, validationFailed } from '../errors.js';
import { requireAdministrator } from '../policies/users.js';
import type { User } from '../entities/User.js';
import type { Session } from '../entities/Session.js';
import type { AppContext } from './context.js';
import type { RunCommand } from '../commands/context.js';
import { registerOperation } from './openapi.js';
import { authoritativeMentions } from '../editor/mentions.js';
import { boundaryError, isId } from '../../shared/schemas/common.js';

type Access = 'public' | 'user' | 'admin';

type RouteSpec<B, Q> = {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  status?: number;
  /** false: answer the handler's value as the whole body, for a shape fixed by an outside contract. */
  envelope?: false;
};

type Handler<B, Q> = (args: {
  ctx: AppContext;
  body: B;
  query: Q;
  params: Record<string, string>;
  user: User;
  session: Session;
  /** Runs a command as the signed-in user, in its own transaction (see CommandRunner). */
  run: RunCommand;
}) => Promise<unknown>;

/**
 * Declares one endpoint: checks access, validates body and query against the shared schemas,
 * hands the handler `run` for its commands, answers `{ data }` with the spec's status, and lists it
 * in /api/openapi.json. Handlers only translate: reads go to queries/, writes to commands/.
 */
export function route<B = undefined, Q = undefined>(router: Router, prefix: string, spec: RouteSpec<B, Q>, handler: Handler<B, Q>) {
  registerOperation({ ...spec, path: prefix + spec.path });
  router[spec.method](spec.path, async (koaCtx) => {
    const ctx = koaCtx as unknown as AppContext;
    const user = ctx.state.user;
    if (spec.access !== 'public' && !user) throw unauthenticated();
    if (spec.access === 'admin') requireAdministrator(user!);
    let body = undefined as B;
    if (spec.body) {
      const raw = (ctx.request as { body?: unknown }).body ?? {};
      const unsafe = boundaryError(raw);
      if (unsafe) throw validationFailed(unsafe);
      const parsed = spec.body.safeParse(raw);
      if (!parsed.success) throw validationFailed(parsed.error);
      body = parsed.data;
      await authoritativeMentions(ctx.state.em, body);
    }
    let query = undefined as Q;
    if (spec.query) {
      const unsafe = boundaryError(ctx.query);
      if (unsafe) throw validationFailed(unsafe, 'The query string is not valid');
      const parsed = spec.query.safeParse(ctx.query);
      if (!parsed.success) throw validationFailed(parsed.error, 'The query string is not valid');
      query = parsed.data;
    }
    // Set before the handler so that a handler may answer another status (e.g. 200 for an idempotent replay).
    ctx.status = spec.status ?? 200;
    const run: RunCommand = (work) => ctx.deps.runner.run(ctx.state.em, user!, work, { address: ctx.ip });
    const data = await handler({ ctx, body, query, params: koaCtx.params as Record<string, string>, user: user!, session: ctx.state.session!, run });
    if (ctx.status !== 204) ctx.body = spec.envelope === false ? data : { data };
  });
}

/** A numeric id path parameter, or a 404 for anything else (an id that cannot exist). */
export const idParam = z.string().refine(isId);
