import { z } from 'zod';
import { ReferenceKind } from '@mikro-orm/core';
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
import { createSocketLimiter, onClientEvent, onClientEventCheckingUserItself, type ClientEventContext, type HuitongIO } from '../server.js';
import { ActiveUsers } from '../activeUsers.js';
import { registerChatHandlers } from './chat.js';
import type { MessageSendQueue } from '../../commands/chat/sendQueue.js';

const SYNC_PAGE = 1000;

// Schemas are built once, not per connection: a zod schema holds dozens of closures, and an idle
// connection would otherwise carry several of them.
const noPayloadSchema = z.object({}).strict();
const markReadSchema = z.object({ ids: z.array(idSchema).min(1).max(200) });

const syncSchema = z.object({
  streams: z
    .record(z.string().max(80), z.number().int().min(0))
    .refine((s) => Object.keys(s).length <= 500, 'at most 500 streams at once'),
});

/**
 * The whole user, for the events that need more than its summary (stream policies). It is one
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
export function registerSocketHandlers(io: HuitongIO, deps: { orm: MikroORM; logger: Logger; emitter: RealtimeEmitter; sendQueue: MessageSendQueue; eventsPerSecond: number }) {
  const limiter = createSocketLimiter(deps.eventsPerSecond);
  const activeUsers = new ActiveUsers(deps.orm);
  deps.emitter.onUserEnded((userId) => activeUsers.forget(userId));
  const ctx: ClientEventContext = { orm: deps.orm, logger: deps.logger, limiter, activeUsers, loadUser: userLoader(deps.orm) };

  io.on('connection', (socket) => {
    onClientEvent(socket, ctx, 'ping', noPayloadSchema, async () => ({ at: new Date().toISOString() }));

    // Joins the room first and reads second: an event committed in between arrives twice
    // (once live, once here) and the client drops the copy by its seq, instead of never. The stream
    // policies need the whole user, whose loading also refuses a deactivated one.
    onClientEventCheckingUserItself(socket, ctx, 'sync', syncSchema, async ({ em, loadUser, input }): Promise<SyncResponse> => {
      const user = await loadUser();
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

    onClientEvent(socket, ctx, 'notifications:markRead', markReadSchema, async ({ em, user, input }) => ({
      unreadCount: await inTransaction(em, deps.emitter, (tx, events) => notificationsReader(tx, events, user.id, input.ids)),
    }));

    onClientEvent(socket, ctx, 'notifications:markAllRead', noPayloadSchema, async ({ em, user }) => ({
      unreadCount: await inTransaction(em, deps.emitter, (tx, events) => notificationsAllReader(tx, events, user.id)),
    }));

    registerChatHandlers(socket, ctx, deps.emitter, deps.sendQueue);
  });
}
