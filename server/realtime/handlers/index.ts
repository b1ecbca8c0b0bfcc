import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { SyncResponse } from '../../../shared/realtime.js';
import type { CommandRunner } from '../../commands/context.js';
import { notificationsAllReader, notificationsReader } from '../../commands/notifications/read.js';
import { followableStreams } from '../../policies/streams.js';
import { readStreamsEvents } from '../streams.js';
import type { RealtimeEmitter } from '../emitter.js';
import { createSocketLimiter, onClientEvent, type ClientEventContext, type HuitongIO } from '../server.js';
import { ActiveSessions } from '../activeSessions.js';
import { StreamAccess } from '../streamAccess.js';
import { userLoaders } from '../userLoader.js';
import { registerChatHandlers } from './chat.js';
import { announcementAcknowledger } from '../../commands/announcements/acknowledge.js';
import type { MessageSendQueue } from '../../commands/chat/sendQueue.js';

/** Events one `sync` answer holds at most (about a megabyte): a client following 200 streams with 10 missed each catches up in one round trip. */
const SYNC_PAGE = 2000;

/** Wires every client event; features add theirs through `registerSocketHandlers`. */
export function registerSocketHandlers(io: HuitongIO, deps: { orm: MikroORM; logger: Logger; emitter: RealtimeEmitter; sendQueue: MessageSendQueue; runner: CommandRunner; eventsPerSecond: number; restoreEpoch: string }) {
  const limiter = createSocketLimiter(deps.eventsPerSecond);
  const users = userLoaders(deps.orm);
  const activeSessions = new ActiveSessions(deps.orm, users.bySession);
  deps.emitter.onUserEnded((userId) => activeSessions.forgetUser(userId));
  const access = new StreamAccess(io, { orm: deps.orm, users, logger: deps.logger, forgetUser: (userId) => activeSessions.forgetUser(userId) });
  deps.emitter.useAccessCheck((scopes) => access.recheck(scopes));
  const ctx: ClientEventContext = { orm: deps.orm, logger: deps.logger, limiter, activeSessions, access, runner: deps.runner, loadUser: users.one };

  io.on('connection', (socket) => {
    onClientEvent(socket, ctx, 'ping', async () => ({ at: new Date().toISOString() }));

    // Joins the rooms first and reads second: an event committed in between arrives twice (once
    // live, once here) and the client drops the copy by its seq, instead of never. However many
    // streams: one query per kind of stream for the policies, one for the events.
    onClientEvent(socket, ctx, 'sync', async ({ em, user, input, joinStreams }): Promise<SyncResponse> => {
      // A client whose positions come from before a restore would wait for sequences the restored
      // streams reached differently: it is told to reload rather than given events.
      if (input.epoch !== undefined && input.epoch !== deps.restoreEpoch) return { events: [], more: [], refused: [], epoch: deps.restoreEpoch, reset: true };
      const asked = Object.keys(input.streams);
      const allowed = await followableStreams(em, user, asked);
      const followed = await joinStreams(asked.filter((stream) => allowed.has(stream)));
      const kept = new Set(followed);
      // One answer holds at most SYNC_PAGE events in all; streams beyond that are listed in `more`.
      const { events, complete } = await readStreamsEvents(em, followed.map((stream) => ({ stream, afterSeq: input.streams[stream] })), SYNC_PAGE);
      return { events, more: followed.slice(complete), refused: asked.filter((stream) => !kept.has(stream)), epoch: deps.restoreEpoch };
    });

    onClientEvent(socket, ctx, 'notifications:markRead', async ({ run, input }) => ({
      unreadCount: await run((cx) => notificationsReader(cx, input.ids)),
    }));

    onClientEvent(socket, ctx, 'notifications:markAllRead', async ({ run }) => ({
      unreadCount: await run((cx) => notificationsAllReader(cx)),
    }));

    onClientEvent(socket, ctx, 'announcement:acknowledge', async ({ run, input }) => run((cx) => announcementAcknowledger(cx, input.announcementId, input.reply)));

    registerChatHandlers(socket, ctx, deps.sendQueue);
  });
}
