import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { StreamEventEnvelope, SyncResponse } from '../../../shared/realtime.js';
import { idSchema } from '../../../shared/schemas/common.js';
import { User } from '../../entities/User.js';
import { inTransaction } from '../../commands/transaction.js';
import { notificationsAllReader, notificationsReader } from '../../commands/notifications.js';
import { canFollowStream } from '../streamPolicies.js';
import { readStreamEvents } from '../streams.js';
import type { RealtimeEmitter } from '../emitter.js';
import { createSocketLimiter, onClientEvent, type HuitongIO } from '../server.js';
import { registerChatHandlers } from './chat.js';

const SYNC_PAGE = 1000;

const syncSchema = z.object({
  streams: z
    .record(z.string().max(80), z.number().int().min(0))
    .refine((s) => Object.keys(s).length <= 500, 'at most 500 streams at once'),
});

/** Wires every client event; features add theirs through `registerSocketHandlers`. */
export function registerSocketHandlers(io: HuitongIO, deps: { orm: MikroORM; logger: Logger; emitter: RealtimeEmitter; eventsPerSecond: number }) {
  const limiter = createSocketLimiter(deps.eventsPerSecond);
  const ctx = { orm: deps.orm, logger: deps.logger, limiter, loadUser: (em: ReturnType<MikroORM['em']['fork']>, id: string) => em.findOne(User, id) };

  io.on('connection', (socket) => {
    onClientEvent(socket, ctx, 'ping', z.object({}).strict(), async () => ({ at: new Date().toISOString() }));

    // Joins the room first and reads second: an event committed in between arrives twice
    // (once live, once here) and the client drops the copy by its seq, instead of never.
    onClientEvent(socket, ctx, 'sync', syncSchema, async ({ em, user, input }): Promise<SyncResponse> => {
      const events: StreamEventEnvelope[] = [];
      const more: string[] = [];
      const refused: string[] = [];
      for (const [stream, afterSeq] of Object.entries(input.streams)) {
        if (!(await canFollowStream(em, user, stream))) {
          refused.push(stream);
          continue;
        }
        await socket.join(stream);
        // One answer holds at most SYNC_PAGE events in all; streams beyond that are listed in `more`.
        const budget = SYNC_PAGE - events.length;
        if (budget <= 0) {
          more.push(stream);
          continue;
        }
        const page = await readStreamEvents(em, stream, afterSeq, budget + 1);
        if (page.length > budget) more.push(stream);
        events.push(...page.slice(0, budget));
      }
      return { events, more, refused };
    });

    onClientEvent(socket, ctx, 'notifications:markRead', z.object({ ids: z.array(idSchema).min(1).max(200) }), async ({ em, user, input }) => ({
      unreadCount: await inTransaction(em, deps.emitter, (tx, events) => notificationsReader(tx, events, user.id, input.ids)),
    }));

    onClientEvent(socket, ctx, 'notifications:markAllRead', z.object({}).strict(), async ({ em, user }) => ({
      unreadCount: await inTransaction(em, deps.emitter, (tx, events) => notificationsAllReader(tx, events, user.id)),
    }));

    registerChatHandlers(socket, ctx, deps.emitter);
  });
}
