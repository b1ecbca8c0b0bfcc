import type { EntityManager } from '@mikro-orm/postgresql';
import { conversationStream } from '../../../shared/chat.js';
import { userStream } from '../../../shared/realtime.js';
import { parseMessageBody } from './send.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { requireMembership } from '../../policies/conversation.js';
import { loadMessage } from '../../presenters/message.js';
import { unreadCountSql } from '../../queries/chat.js';
import { appendStreamEvent } from '../../realtime/streams.js';
import type { PendingEvents } from '../transaction.js';

async function requireOwnMessage(tx: EntityManager, actorId: string, messageId: string, conversationId?: string) {
  const [row] = await tx.execute<{ conversation_id: string; author_id: string | null; kind: string; deleted_at: Date | null }[]>(
    `SELECT conversation_id::text AS conversation_id, author_id::text AS author_id, kind, deleted_at FROM messages WHERE id = ?`,
    [messageId],
  );
  if (!row || (conversationId && row.conversation_id !== conversationId)) throw notFound('The message');
  await requireMembership(tx, row.conversation_id, actorId);
  if (row.author_id !== actorId || row.kind !== 'text') throw forbidden('Only the author may change a message');
  if (row.deleted_at) throw conflict('The message was deleted');
  return row;
}

/** Replaces the body of one's own message and pushes the change. */
export async function messageEditor(tx: EntityManager, events: PendingEvents, actorId: string, input: { messageId: string; body: Record<string, unknown>; conversationId?: string }) {
  const row = await requireOwnMessage(tx, actorId, input.messageId, input.conversationId);
  const { doc, text } = parseMessageBody(input.body);
  await tx.execute(`UPDATE messages SET body = ?, text = ?, edited_at = now() WHERE id = ?`, [JSON.stringify(doc), text, input.messageId]);
  const message = (await loadMessage(tx, input.messageId))!;
  events.push(await appendStreamEvent(tx, conversationStream(row.conversation_id), 'message.updated', { message }));
  return message;
}

/** Deletes one's own message, leaving a "message deleted" marker, and pushes the change. */
export async function messageDeleter(tx: EntityManager, events: PendingEvents, actorId: string, input: { messageId: string; conversationId?: string }) {
  const row = await requireOwnMessage(tx, actorId, input.messageId, input.conversationId);
  await tx.execute(`UPDATE messages SET body = NULL, text = '', deleted_at = now() WHERE id = ?`, [input.messageId]);
  const message = (await loadMessage(tx, input.messageId))!;
  events.push(await appendStreamEvent(tx, conversationStream(row.conversation_id), 'message.deleted', { message }));
  return message;
}

/**
 * Moves the member's read position forward (never back), tells the group (read receipts)
 * and the member's other devices (unread count).
 */
export async function readMarker(tx: EntityManager, events: PendingEvents, actorId: string, input: { conversationId: string; messageId: string }) {
  await requireMembership(tx, input.conversationId, actorId);
  const [target] = await tx.execute<{ conversation_id: string }[]>(`SELECT conversation_id::text AS conversation_id FROM messages WHERE id = ?`, [input.messageId]);
  if (!target || target.conversation_id !== input.conversationId) {
    throw badRequest('The message is not in this conversation', [{ path: 'messageId', message: 'not a message of this conversation' }]);
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
    events.push(await appendStreamEvent(tx, conversationStream(input.conversationId), 'read.updated', { conversationId: input.conversationId, userId: actorId, lastReadMessageId: result.lastReadMessageId }));
    events.push(await appendStreamEvent(tx, userStream(actorId), 'conversation.read', result));
  }
  return result;
}
