import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import { boundaryError } from '../../shared/schemas/common.js';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime.js';
import { clientEventSchemas, type ClientEventInput, type ClientEventName } from '../../shared/schemas/realtime.js';
import type { CommandRunner, RunCommand } from '../commands/context.js';
import { resolveSession, tokenFrom } from '../auth/sessions.js';
import { toAppError, validationFailed, rateLimited, unauthenticated } from '../errors.js';
import type { User } from '../entities/User.js';
import type { Config } from '../config/env.js';
import type { ActiveSessions } from './activeSessions.js';
import type { StreamAccess } from './streamAccess.js';
import type { HuitongIO, HuitongSocket } from './socketTypes.js';
import { createClusterLink } from './clusterLink.js';
import { authoritativeMentions } from '../editor/mentions.js';

/** What a socket knows from its handshake: whose it is, and its session and that session's end (ms since the epoch). */
export type { HuitongIO, HuitongSocket, SocketData } from './socketTypes.js';

/** A refused handshake: the client's `connect_error` carries `data.code`. */
function handshakeError(code: string, message: string) {
  const error = new Error(message) as Error & { data: { code: string; message: string } };
  error.data = { code, message };
  return error;
}

/**
 * Creates the Socket.IO server on the HTTP server: origin check, session handshake, per-user rooms.
 * With REALTIME_ADAPTER=postgres, several server processes on one database form one Socket.IO
 * cluster through @socket.io/postgres-adapter (LISTEN/NOTIFY on a pool of its own): a push, a room
 * change or a sign-out in one process reaches the sockets of every process. One process needs none
 * of it, and the adapter makes every broadcast wait for a NOTIFY, so it is off by default.
 */
export function createRealtimeServer(httpServer: HttpServer, deps: { config: Config; orm: MikroORM; logger: Logger; databaseUrl: string; clientAddress: (req: IncomingMessage) => string }) {
  // Two connections: one LISTENs, one sends. With a single sending connection the notifications
  // leave in the order they were issued (pg's pool queues in order), so a member taken out of a
  // room in one process is out of it before the next message reaches the other processes.
  // After PostgreSQL was away, what the others pushed meanwhile is lost to this process's sockets:
  // their transports are closed, so that they reconnect and sync, as every client does on reconnect.
  const clusterLink =
    deps.config.realtimeAdapter === 'postgres'
      ? createClusterLink(deps.databaseUrl, deps.logger, () => {
          for (const socket of io.of('/').sockets.values()) socket.conn.close();
        })
      : undefined;
  const clusterPool = clusterLink?.pool;
  const io: HuitongIO = new Server(httpServer, {
    ...(clusterPool ? { adapter: createAdapter(clusterPool, { errorHandler: (error) => deps.logger.warn({ err: error }, 'realtime cluster error') }) } : {}),
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: deps.config.bodyLimitBytes,
    // Browsers send Origin; non-browser clients (tests, mobile apps) may omit it.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      if (origin && !deps.config.allowedOrigins.includes(origin)) return callback('origin not allowed', false);
      callback(null, true);
    },
    cors: { origin: deps.config.allowedOrigins, credentials: true },
  });

  io.use(async (socket, next) => {
    try {
      const auth = socket.handshake.auth as { token?: unknown } | undefined;
      const token = typeof auth?.token === 'string' ? auth.token : tokenFrom(undefined, socket.handshake.headers.cookie);
      if (!token) return next(handshakeError('unauthenticated', 'Sign in first: no session token'));
      const resolved = await resolveSession(deps.orm.em.fork(), token);
      if (!resolved) return next(handshakeError('unauthenticated', 'The session is unknown, expired or revoked'));
      socket.data.userId = resolved.user.id;
      socket.data.sessionId = resolved.session.id;
      socket.data.expiresAt = resolved.session.expiresAt.getTime();
      socket.data.address = deps.clientAddress(socket.request);
      next();
    } catch (error) {
      deps.logger.warn({ err: error }, 'socket handshake failed');
      next(handshakeError('unavailable', 'The server cannot check the session right now'));
    }
  });

  io.on('connection', (socket) => {
    socket.join([`user:${socket.data.userId}`, `session:${socket.data.sessionId}`]);
    closeAtExpiry(socket);
  });
  return { io, clustered: !!clusterPool, closeCluster: async () => clusterPool?.end(), isLinked: () => clusterLink?.isListening() ?? true };
}

/** Per-socket budget of client events; each socket gets its own bucket. */
export function createSocketLimiter(eventsPerSecond: number) {
  return new RateLimiterMemory({ points: eventsPerSecond, duration: 1 });
}

/** What every client event needs besides its handler. */
export type ClientEventContext = {
  orm: MikroORM;
  logger: Logger;
  limiter: RateLimiterMemory;
  activeSessions: ActiveSessions;
  access: StreamAccess;
  runner: CommandRunner;
  loadUser: (em: ReturnType<MikroORM['em']['fork']>, id: string) => Promise<User | null>;
};

type EventArgs<E extends ClientEventName> = {
  em: ReturnType<MikroORM['em']['fork']>;
  userId: string;
  /** The user freshly read, refused (401) when no longer active: for events that must not trust the 2-second cache. */
  loadUser: () => Promise<User>;
  input: ClientEventInput<E>;
  socket: HuitongSocket;
  /**
   * Joins the rooms of streams a policy check of this event allowed; returns those the socket
   * follows in the end (a change of access that committed meanwhile is checked again: StreamAccess.join).
   */
  joinStreams: (streams: string[]) => Promise<string[]>;
  /** Runs a command as this socket's user, in its own transaction: the same runner as HTTP routes. */
  run: RunCommand;
};

/**
 * Registers one client event: the session's expiry, rate limit, payload validation against the
 * event's shared schema (clientEventSchemas, the same as HTTP's), a check that the session is still
 * valid and its user active (see ActiveSessions), a fresh EntityManager, and an acknowledgement
 * `{ ok, data }` or `{ ok: false, error }` in every case. Handlers get the user.
 */
export function onClientEvent<E extends ClientEventName, O>(socket: HuitongSocket, ctx: ClientEventContext, event: E, handler: (args: EventArgs<E> & { user: User }) => Promise<O>) {
  onClientEventCheckingUserItself(socket, ctx, event, async (args) => {
    const user = await ctx.activeSessions.get(args.socket.data.sessionId, args.userId);
    if (!user) throw sessionEnded();
    return handler({ ...args, user, run: (work) => ctx.runner.run(args.em, user, work, { address: socket.data.address }) });
  });
}

/** Every client event a server registered, with its payload schema: the socket fuzz test sends each of them. */
export const registeredClientEvents = new Map<string, ZodType>();

/**
 * Registers a client event whose handler refuses an ended session and a deactivated user itself,
 * in the statement that does its work (sending a message, see storeMessages), so that it skips the
 * check of onClientEvent and, when that check is due, its round trip. The session's expiry is
 * checked here for every event.
 */
export function onClientEventCheckingUserItself<E extends ClientEventName, O>(socket: HuitongSocket, ctx: ClientEventContext, event: E, handler: (args: EventArgs<E>) => Promise<O>) {
  const schema = clientEventSchemas[event] as unknown as ZodType<ClientEventInput<E>>;
  if (!registeredClientEvents.has(event)) registeredClientEvents.set(event, schema);
  (socket as unknown as Socket).on(event as string, async (...args: unknown[]) => {
    const ack = typeof args[args.length - 1] === 'function' ? (args[args.length - 1] as (r: Ack<O>) => void) : undefined;
    // `socket.emit('ping', ack)` sends no payload: the only argument is then the ack itself.
    const payload = ack && args.length === 1 ? undefined : args[0];
    const reply = (response: Ack<O>) => ack?.(response);
    // Taken before anything is read for the event: see StreamAccess.join.
    const accessMark = ctx.access.mark();
    try {
      // The session's end is known since the handshake: checking it costs nothing.
      if (Date.now() >= socket.data.expiresAt) throw sessionEnded();
      try {
        await ctx.limiter.consume(socket.id);
      } catch (rejection) {
        const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 1000;
        throw rateLimited(Math.max(1, Math.ceil(ms / 1000)));
      }
      const unsafe = boundaryError(payload);
      if (unsafe) throw validationFailed(unsafe);
      const parsed = schema.safeParse(payload ?? {});
      if (!parsed.success) throw validationFailed(parsed.error);
      const em = ctx.orm.em.fork();
      await authoritativeMentions(em, parsed.data);
      const userId = socket.data.userId;
      const loadUser = async () => {
        const entity = await ctx.loadUser(em, userId);
        if (!entity?.active) throw sessionEnded();
        return entity;
      };
      const run: RunCommand = async (work) => ctx.runner.run(em, await loadUser(), work, { address: socket.data.address });
      const joinStreams = (streams: string[]) => ctx.access.join(socket, streams, accessMark);
      const data = await handler({ em, userId, loadUser, input: parsed.data, socket, run, joinStreams });
      reply({ ok: true, data });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) ctx.logger.error({ err: error, event }, 'socket handler failed');
      reply({ ok: false, error: appError.toBody() });
      // The session ended (expired, revoked) or the user was deactivated: the answer says so, then the socket closes (after sending it).
      if (appError.status === 401) socket.disconnect(true);
    }
  });
}

function sessionEnded() {
  return unauthenticated('The session has ended');
}

// setTimeout takes at most 2^31 - 1 ms (24.8 days); a longer session re-arms its timer.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * Tells the socket `session:ended` (`expired`) and closes it when its session expires: one timer per
 * socket, cleared when it disconnects. Node keeps timers in lists per duration under one priority
 * queue, so thousands cost little, and each fires on time without a sweep over every socket.
 */
function closeAtExpiry(socket: HuitongSocket) {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = socket.data.expiresAt - Date.now();
    if (left > 0) {
      timer = setTimeout(arm, Math.min(left, LONGEST_TIMER_MS));
      timer.unref();
      return;
    }
    socket.emit('session:ended', { reason: 'expired' });
    socket.disconnect(true);
  };
  arm();
  socket.once('disconnect', () => clearTimeout(timer));
}
