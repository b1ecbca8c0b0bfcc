import { ReferenceKind } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { SyncResponse } from '../../../shared/realtime.js';
import { User } from '../../entities/User.js';
import type { CommandRunner } from '../../commands/context.js';
import { notificationsAllReader, notificationsReader } from '../../commands/notifications/read.js';
import { followableStreams } from '../../policies/streams.js';
import { readStreamsEvents } from '../streams.js';
import type { RealtimeEmitter } from '../emitter.js';
import { createSocketLimiter, onClientEvent, type ClientEventContext, type HuitongIO } from '../server.js';
import { ActiveUsers } from '../activeUsers.js';
import { registerChatHandlers } from './chat.js';
import { recheckLocalAccess } from '../streamAccess.js';
import type { MessageSendQueue } from '../../commands/chat/sendQueue.js';

/** Events one `sync` answer holds at most (about a megabyte): a client following 200 streams with 10 missed each catches up in one round trip. */
const SYNC_PAGE = 2000;

/**
 * The whole user (the actor of commands, and what stream policies ask about), cached per user for
 * ACTIVE_USER_MAX_AGE_MS by ActiveUsers. It is one
 * plain SELECT of the entity's own columns (lazy ones left out) mapped onto a User with em.map, a
 * fraction of the cost of em.findOne's query building.
 */
function userLoader(orm: MikroORM) {
  const columns = orm
    .getMetadata()
    .get(User)
    .props.filter((p) => !p.lazy && p.persist !== false && (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE))
    .flatMap((p) => p.fieldNames)
    .map((column) => `"${column}"`);
  const sql = `SELECT ${columns.join(', ')} FROM users WHERE id = ?`;
  return async (em: ReturnType<MikroORM['em']['fork']>, id: string): Promise<User | null> => {
    const [row] = await em.execute<Record<string, unknown>[]>(sql, [id]);
    return row ? em.map(User, row) : null;
  };
}

/** Wires every client event; features add theirs through `registerSocketHandlers`. */
export function registerSocketHandlers(io: HuitongIO, deps: { orm: MikroORM; logger: Logger; emitter: RealtimeEmitter; sendQueue: MessageSendQueue; runner: CommandRunner; eventsPerSecond: number }) {
  const limiter = createSocketLimiter(deps.eventsPerSecond);
  const loadUser = userLoader(deps.orm);
  const activeUsers = new ActiveUsers(deps.orm, loadUser);
  deps.emitter.onUserEnded((userId) => activeUsers.forget(userId));
  deps.emitter.useAccessCheck((scopes) => recheckLocalAccess(io, deps.orm, loadUser, scopes));
  const ctx: ClientEventContext = { orm: deps.orm, logger: deps.logger, limiter, activeUsers, runner: deps.runner, loadUser };

  io.on('connection', (socket) => {
    onClientEvent(socket, ctx, 'ping', async () => ({ at: new Date().toISOString() }));

    // Joins the rooms first and reads second: an event committed in between arrives twice (once
    // live, once here) and the client drops the copy by its seq, instead of never. However many
    // streams: one query per kind of stream for the policies, one for the events.
    onClientEvent(socket, ctx, 'sync', async ({ em, user, input }): Promise<SyncResponse> => {
      const asked = Object.keys(input.streams);
      const allowed = await followableStreams(em, user, asked);
      const followed = asked.filter((stream) => allowed.has(stream));
      await socket.join(followed);
      // One answer holds at most SYNC_PAGE events in all; streams beyond that are listed in `more`.
      const { events, complete } = await readStreamsEvents(em, followed.map((stream) => ({ stream, afterSeq: input.streams[stream] })), SYNC_PAGE);
      return { events, more: followed.slice(complete), refused: asked.filter((stream) => !allowed.has(stream)) };
    });

    onClientEvent(socket, ctx, 'notifications:markRead', async ({ run, input }) => ({
      unreadCount: await run((cx) => notificationsReader(cx, input.ids)),
    }));

    onClientEvent(socket, ctx, 'notifications:markAllRead', async ({ run }) => ({
      unreadCount: await run((cx) => notificationsAllReader(cx)),
    }));

    registerChatHandlers(socket, ctx, deps.sendQueue);
  });
}
