import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageDTO } from '../../../shared/chat.js';
import { conversationStream } from '../../../shared/chat.js';
import { userStream } from '../../../shared/realtime.js';
import { extractMentionedUserIds } from '../../../shared/richText/index.js';
import { parseRichText, richTextToPlainText } from '../../editor/index.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { pgArray } from '../../db/sql.js';
import { requireMemberRow, requireMembership } from '../../policies/conversation.js';
import { loadMessage, messageSelectFrom, presentMessageRow, type MessageRow } from '../../presenters/message.js';
import { unreadCountSql } from '../../queries/chat.js';
import { appendStreamEvent } from '../../realtime/streams.js';
import { notificationCreator } from '../notifications.js';
import type { PendingEvents } from '../transaction.js';

type SendInput = { conversationId: string; clientId: string; body: Record<string, unknown>; replyToId?: string | null };

function parseBody(body: unknown) {
  const doc = parseRichText(body);
  const text = richTextToPlainText(doc).trim();
  if (!text) throw badRequest('A message cannot be empty', [{ path: 'body', message: 'has no text' }]);
  return { doc, text };
}

/**
 * Stores a message and pushes it to the conversation. Idempotent on the client-generated id:
 * a retried send (even a concurrent one) returns the stored message and appends nothing.
 * Sending is the hottest write of the product, so it costs few round trips and no entity loading:
 * the membership check is one plain query; the insert, the conversation's last message, the
 * author's read position and the presented message are one statement; and a retry is recognised
 * by the unique (author_id, client_id) index itself.
 */
export async function messageCreator(tx: EntityManager, events: PendingEvents, actorId: string, input: SendInput): Promise<{ message: MessageDTO; created: boolean }> {
  const membership = await requireMemberRow(tx, input.conversationId, actorId);
  const { doc, text } = parseBody(input.body);
  if (input.replyToId) {
    const [target] = await tx.execute<{ conversation_id: string }[]>(`SELECT conversation_id::text AS conversation_id FROM messages WHERE id = ?`, [input.replyToId]);
    if (!target || target.conversation_id !== input.conversationId) {
      throw badRequest('The message replied to is not in this conversation', [{ path: 'replyToId', message: 'not a message of this conversation' }]);
    }
  }
  const mentioned = extractMentionedUserIds(doc).filter((id) => id !== actorId);
  const mentionedMembers = mentioned.length
    ? (await tx.execute<{ user_id: string }[]>(`SELECT user_id::text AS user_id FROM conversation_members WHERE conversation_id = ? AND user_id = ANY(?::bigint[])`, [input.conversationId, pgArray(mentioned)])).map((r) => r.user_id)
    : [];
  // Stores the message, makes it the conversation's last, moves the author's read position to it (the
  // author has read what they wrote) and reads it back presented, in one statement. read_own reads
  // moved_last's rows, so the conversation row is still locked before the author's member row.
  const [inserted] = await tx.execute<MessageRow[]>(
    `WITH inserted AS (
       INSERT INTO messages (conversation_id, author_id, client_id, kind, body, text, reply_to_id, mentions, created_at)
       VALUES (?, ?, ?, 'text', ?, ?, ?, ?, now())
       ON CONFLICT (author_id, client_id) DO NOTHING RETURNING *
     ), moved_last AS (
       UPDATE conversations c SET last_message_id = i.id, last_message_at = now() FROM inserted i
       WHERE c.id = i.conversation_id RETURNING i.id, i.conversation_id, i.author_id
     ), read_own AS (
       UPDATE conversation_members cm SET last_read_message_id = l.id FROM moved_last l
       WHERE cm.conversation_id = l.conversation_id AND cm.user_id = l.author_id
     )
     ${messageSelectFrom('inserted')}`,
    [input.conversationId, actorId, input.clientId, JSON.stringify(doc), text, input.replyToId ?? null, JSON.stringify(mentionedMembers)],
  );
  if (!inserted) {
    // A retry: the client id is taken, by an earlier send or a concurrent one that committed first.
    const existing = await findByClientId(tx, actorId, input.clientId, input.conversationId);
    if (!existing) throw conflict('The message is being sent by another request; retry');
    return { message: existing, created: false };
  }
  const message = presentMessageRow(inserted);
  events.push(await appendStreamEvent(tx, conversationStream(input.conversationId), 'message.created', { message }));
  const conversationName = membership.name ?? message.author?.displayName ?? '';
  for (const recipientId of mentionedMembers) {
    await notificationCreator(tx, events, {
      recipientId,
      kind: 'mention',
      title: `${message.author?.displayName ?? ''} @${conversationName}`.trim(),
      body: text.slice(0, 500),
      link: `/chat/${input.conversationId}?message=${message.id}`,
      data: { conversationId: input.conversationId, messageId: message.id },
    });
  }
  return { message, created: true };
}

async function findByClientId(tx: EntityManager, authorId: string, clientId: string, conversationId: string): Promise<MessageDTO | null> {
  const [row] = await tx.execute<{ id: string; conversation_id: string }[]>(
    `SELECT id::text AS id, conversation_id::text AS conversation_id FROM messages WHERE author_id = ? AND client_id = ?`,
    [authorId, clientId],
  );
  if (!row) return null;
  if (row.conversation_id !== conversationId) throw conflict('This client id was already used for a message in another conversation');
  return loadMessage(tx, row.id);
}

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
  const { doc, text } = parseBody(input.body);
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
