import { conversationStream } from '../../../shared/chat.js';
import { messageSender } from '../../commands/chat/send.js';
import type { MessageSendQueue } from '../../commands/chat/sendQueue.js';
import { messageDeleter, messageEditor, readMarker } from '../../commands/chat/messages.js';
import { requireMemberRow } from '../../policies/conversation.js';
import { listConversations } from '../../queries/chat.js';
import { onClientEvent, onClientEventCheckingUserItself, type ClientEventContext, type HuitongSocket } from '../server.js';

/** Chat events of one socket; the same commands as the HTTP routes. */
export function registerChatHandlers(socket: HuitongSocket, ctx: ClientEventContext, sendQueue: MessageSendQueue) {
  // Its statement checks the session and the author exactly: no cached check, no round trip of its own.
  onClientEventCheckingUserItself(socket, ctx, 'message:send', ({ em, run, userId, input }) => messageSender({ em, run, sendQueue, sessionId: socket.data.sessionId }, userId, input));

  onClientEvent(socket, ctx, 'message:edit', async ({ run, input }) => ({ message: await run((cx) => messageEditor(cx, input)) }));

  onClientEvent(socket, ctx, 'message:delete', async ({ run, input }) => ({ message: await run((cx) => messageDeleter(cx, input)) }));

  onClientEvent(socket, ctx, 'conversation:read', ({ run, input }) => run((cx) => readMarker(cx, input)));

  // Typing is relayed to the other members' sockets and never stored.
  onClientEvent(socket, ctx, 'conversation:typing', async ({ em, user, input }) => {
    await requireMemberRow(em, input.conversationId, user.id);
    socket.to(conversationStream(input.conversationId)).emit('typing', { conversationId: input.conversationId, userId: user.id, typing: input.typing });
    return {};
  });

  onClientEvent(socket, ctx, 'conversations:list', async ({ em, user }) => ({ conversations: await listConversations(em, user.id) }));
}
