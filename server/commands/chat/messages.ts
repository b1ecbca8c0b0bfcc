import { conversationStream } from '../../../shared/chat.js';
import type { ConversationRole, MessageDTO } from '../../../shared/chat.js';
import { userStream } from '../../../shared/realtime.js';
import { mentionsEveryone } from '../../../shared/richText/index.js';
import { parseMessageBody } from './send.js';
import { badRequest, notFound } from '../../errors.js';
import { requireMayChangeMessage, requireMayMentionEveryone, requireMembership } from '../../policies/conversation.js';
import { loadMessage, unreadCountSql } from '../../queries/chat.js';
import { appendEvent, type CommandContext } from '../context.js';

async function requireOwnMessage(cx: CommandContext, messageId: string, conversationId?: string) {
  const [row] = await cx.em.execute<{ conversation_id: string; author_id: string | null; kind: MessageDTO['kind']; deleted_at: Date | null }[]>(
    `SELECT conversation_id::text AS conversation_id, author_id::text AS author_id, kind, deleted_at FROM messages WHERE id = ?`,
    [messageId],
  );
  if (!row || (conversationId && row.conversation_id !== conversationId)) throw notFound('The message');
  const membership = await requireMembership(cx.em, row.conversation_id, cx.actor.id);
  requireMayChangeMessage({ authorId: row.author_id, kind: row.kind, deleted: !!row.deleted_at }, cx.actor.id);
  return { ...row, membership };
}

/**
 * Replaces the body of one's own message and pushes the change. An edit notifies no one, not even
 * people it newly mentions; a mention of everyone is refused from those who may not send one.
 */
export async function messageEditor(cx: CommandContext, input: { messageId: string; body: Record<string, unknown>; conversationId?: string }) {
  const row = await requireOwnMessage(cx, input.messageId, input.conversationId);
  const { doc, text } = parseMessageBody(input.body);
  if (mentionsEveryone(doc)) requireMayMentionEveryone({ role: row.membership.role as ConversationRole, kind: row.membership.conversation.kind as 'direct' | 'group' });
  await cx.em.execute(`UPDATE messages SET body = ?, text = ?, edited_at = now() WHERE id = ?`, [JSON.stringify(doc), text, input.messageId]);
  const message = (await loadMessage(cx.em, input.messageId))!;
  await appendEvent(cx, conversationStream(row.conversation_id), 'message.updated', { message });
  return message;
}

/** Deletes one's own message, leaving a "message deleted" marker, takes its files off it, and pushes the change. */
export async function messageDeleter(cx: CommandContext, input: { messageId: string; conversationId?: string }) {
  const row = await requireOwnMessage(cx, input.messageId, input.conversationId);
  await cx.em.execute(`UPDATE messages SET body = NULL, text = '', deleted_at = now() WHERE id = ?`, [input.messageId]);
  // Its files go with it: unreferenced, they are collected after the grace period (commands/files).
  await cx.em.execute(`DELETE FROM attachments WHERE host_kind = 'message' AND host_id = ?`, [input.messageId]);
  const message = (await loadMessage(cx.em, input.messageId))!;
  await appendEvent(cx, conversationStream(row.conversation_id), 'message.deleted', { message });
  return message;
}

/**
 * Moves the member's read position forward (never back), tells the group (read receipts)
 * and the member's other devices (unread count).
 */
export async function readMarker(cx: CommandContext, input: { conversationId: string; messageId: string }) {
  const tx = cx.em;
  const actorId = cx.actor.id;
  await requireMembership(tx, input.conversationId, actorId);
  const [target] = await tx.execute<{ conversation_id: string }[]>(`SELECT conversation_id::text AS conversation_id FROM messages WHERE id = ?`, [input.messageId]);
  if (!target || target.conversation_id !== input.conversationId) {
    throw badRequest('The message is not in this conversation', [{ path: 'messageId', message: 'not a message of this conversation', code: 'not_in_conversation' }]);
  }
  const updated = await tx.execute<{ last_read_message_id: string }[]>(
    `UPDATE conversation_members SET last_read_message_id = ?
     WHERE conversation_id = ? AND user_id = ? AND (last_read_message_id IS NULL OR last_read_message_id < ?)
     RETURNING last_read_message_id::text AS last_read_message_id`,
    [input.messageId, input.conversationId, actorId, input.messageId],
  );
  const [position] = await tx.execute<{ last_read_message_id: string | null; unread: string }[]>(
    `SELECT cm.last_read_message_id::text AS last_read_message_id,
       ${unreadCountSql} AS unread
     FROM conversation_members cm WHERE cm.conversation_id = ? AND cm.user_id = ?`,
    [input.conversationId, actorId],
  );
  const result = { conversationId: input.conversationId, lastReadMessageId: position.last_read_message_id!, unreadCount: Number(position.unread) };
  if (updated.length) {
    await appendEvent(cx, conversationStream(input.conversationId), 'read.updated', { conversationId: input.conversationId, userId: actorId, lastReadMessageId: result.lastReadMessageId });
    await appendEvent(cx, userStream(actorId), 'conversation.read', result);
  }
  return result;
}
