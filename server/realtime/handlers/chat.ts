import { z } from 'zod';
import { conversationStream } from '../../../shared/chat.js';
import { messageDeleteSchema, messageEditSchema, messageSendSchema, readSchema, typingSchema } from '../../../shared/schemas/chat.js';
import { inTransaction } from '../../commands/transaction.js';
import { messageSender } from '../../commands/chat/send.js';
import type { MessageSendQueue } from '../../commands/chat/sendQueue.js';
import { messageDeleter, messageEditor, readMarker } from '../../commands/chat/messages.js';
import { requireMemberRow } from '../../policies/conversation.js';
import { listConversations } from '../../queries/chat.js';
import type { RealtimeEmitter } from '../emitter.js';
import { onClientEvent, onClientEventCheckingUserItself, type ClientEventContext, type HuitongSocket } from '../server.js';

type Ctx = ClientEventContext;

// Built once, not per connection (see handlers/index.ts).
const noPayloadSchema = z.object({}).strict();

/** Chat events of one socket; the same commands as the HTTP routes. */
export function registerChatHandlers(socket: HuitongSocket, ctx: Ctx, emitter: RealtimeEmitter, sendQueue: MessageSendQueue) {
  onClientEventCheckingUserItself(socket, ctx, 'message:send', messageSendSchema, ({ em, userId, input }) => messageSender({ em, emitter, sendQueue }, userId, input));

  onClientEvent(socket, ctx, 'message:edit', messageEditSchema, async ({ em, user, input }) => ({
    message: await inTransaction(em, emitter, (tx, events) => messageEditor(tx, events, user.id, input)),
  }));

  onClientEvent(socket, ctx, 'message:delete', messageDeleteSchema, async ({ em, user, input }) => ({
    message: await inTransaction(em, emitter, (tx, events) => messageDeleter(tx, events, user.id, input)),
  }));

  onClientEvent(socket, ctx, 'conversation:read', readSchema, ({ em, user, input }) => inTransaction(em, emitter, (tx, events) => readMarker(tx, events, user.id, input)));

  // Typing is relayed to the other members' sockets and never stored.
  onClientEvent(socket, ctx, 'conversation:typing', typingSchema, async ({ em, user, input }) => {
    await requireMemberRow(em, input.conversationId, user.id);
    socket.to(conversationStream(input.conversationId)).emit('typing', { conversationId: input.conversationId, userId: user.id, typing: input.typing });
    return {};
  });

  onClientEvent(socket, ctx, 'conversations:list', noPayloadSchema, async ({ em, user }) => ({ conversations: await listConversations(em, user.id) }));
}
