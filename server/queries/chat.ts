import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConversationDTO, ConversationMemberDTO, MessageDTO } from '../../shared/chat.js';
import type { Page } from '../../shared/dto.js';
import { pageOf } from './pagination.js';
import { attachmentsJsonSql } from './files.js';
import { conversationStream } from '../../shared/chat.js';
import { presentConversation, presentMessageRow, type ConversationRow, type MessageRow } from '../presenters/message.js';
import { conversationAbilities } from '../policies/conversation.js';

/**
 * Messages are read with one SQL statement (author and quoted message joined in), because
 * history paging is the hottest read of the product and must stay a single index range scan.
 * `source` is the messages table, or a CTE of rows just inserted (read back in the same statement).
 */
export const messageSelectFrom = (source: string) => `
  SELECT m.id::text AS id, m.conversation_id::text AS conversation_id, m.client_id, m.kind, m.body, m.text,
         m.mentions, m.system, m.created_at, m.edited_at, m.deleted_at,
         a.id::text AS author_id, a.display_name AS author_name, a.email AS author_email,
         r.id::text AS reply_id, r.text AS reply_text, r.deleted_at AS reply_deleted_at, ra.display_name AS reply_author_name,
         CASE WHEN m.kind = 'text' AND m.deleted_at IS NULL THEN ${attachmentsJsonSql('message', 'm.id')} END AS attachments
  FROM ${source} m
  LEFT JOIN users a ON a.id = m.author_id
  LEFT JOIN messages r ON r.id = m.reply_to_id
  LEFT JOIN users ra ON ra.id = r.author_id`;

export const messageSelectSql = messageSelectFrom('messages');

/** Unread messages are counted up to this many; the badge shows "999+" beyond. */
export const UNREAD_CAP = 999;

/**
 * Unread messages of the member row `cm`: others' live messages after the read position
 * (system messages about the member's own actions excluded), counted through the
 * (conversation_id, id) index and capped, so a long-unread group costs at most UNREAD_CAP rows.
 */
export const unreadCountSql = `
  (SELECT count(*) FROM (SELECT 1 FROM messages m
     WHERE m.conversation_id = cm.conversation_id AND m.id > COALESCE(cm.last_read_message_id, 0)
       AND m.author_id IS DISTINCT FROM cm.user_id AND m.deleted_at IS NULL
       AND NOT (m.kind = 'system' AND m.system->>'actorId' = cm.user_id::text)
     LIMIT ${UNREAD_CAP}) unread)`;

const conversationSql = `
  SELECT c.id::text AS id, cm.user_id::text AS member_id, c.kind, c.name, c.member_count, cm.role, cm.last_read_message_id::text AS last_read_message_id,
         c.last_message_id::text AS last_message_id, c.last_message_at,
         ${unreadCountSql} AS unread,
         (SELECT sh.last_seq FROM stream_heads sh WHERE sh.stream = 'conversation:' || c.id) AS seq,
         p.id::text AS peer_id, p.display_name AS peer_name, p.email AS peer_email
  FROM conversation_members cm
  JOIN conversations c ON c.id = cm.conversation_id
  LEFT JOIN LATERAL (
    SELECT u.id, u.display_name, u.email FROM conversation_members o JOIN users u ON u.id = o.user_id
    WHERE c.kind = 'direct' AND o.conversation_id = c.id AND o.user_id <> cm.user_id LIMIT 1
  ) p ON true
  WHERE cm.user_id = ANY(?::bigint[])`;

async function presentConversationRows(em: EntityManager, rows: ConversationRow[]): Promise<ConversationDTO[]> {
  const lastIds = rows.map((r) => r.last_message_id).filter((id): id is string => !!id);
  const lastMessages = new Map<string, MessageDTO>();
  if (lastIds.length) {
    const messageRows = await em.execute<MessageRow[]>(`${messageSelectSql} WHERE m.id = ANY(?::bigint[])`, [`{${lastIds.join(',')}}`]);
    for (const row of messageRows) lastMessages.set(row.id, presentMessageRow(row));
  }
  return rows.map((r) => presentConversation(r, r.last_message_id ? (lastMessages.get(r.last_message_id) ?? null) : null, conversationAbilities({ role: r.role, kind: r.kind })));
}

/** The user's conversations, newest activity first. */
export async function listConversations(em: EntityManager, userId: string, limit = 200): Promise<ConversationDTO[]> {
  const rows = await em.execute<ConversationRow[]>(`${conversationSql} ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`, [`{${userId}}`, limit]);
  return presentConversationRows(em, rows);
}

/** One conversation as the given member sees it, or null when they are not a member. */
export async function conversationForMember(em: EntityManager, conversationId: string, userId: string): Promise<ConversationDTO | null> {
  return (await conversationForMembers(em, conversationId, [userId])).get(userId) ?? null;
}

/** One conversation as each of the given members sees it (two queries, whatever their number). */
export async function conversationForMembers(em: EntityManager, conversationId: string, userIds: readonly string[]): Promise<Map<string, ConversationDTO>> {
  if (userIds.length === 0) return new Map();
  const rows = await em.execute<ConversationRow[]>(`${conversationSql} AND c.id = ?`, [`{${userIds.join(',')}}`, conversationId]);
  const dtos = await presentConversationRows(em, rows);
  return new Map(rows.map((row, i) => [String(row.member_id), dtos[i]]));
}

/**
 * A page of history in chronological order: older than `before`, newer than `after`, or the
 * newest. The cursor continues in the same direction: the oldest message shown (pass it as
 * `before`) or, paging forward, the newest (pass it as `after`).
 */
export async function messageHistory(em: EntityManager, conversationId: string, query: { before?: string; after?: string; limit: number }): Promise<Page<MessageDTO>> {
  const newerThan = query.after !== undefined;
  const rows = await em.execute<MessageRow[]>(
    `${messageSelectSql} WHERE m.conversation_id = ? ${query.before ? 'AND m.id < ?' : ''} ${newerThan ? 'AND m.id > ?' : ''}
     ORDER BY m.id ${newerThan ? 'ASC' : 'DESC'} LIMIT ?`,
    [conversationId, ...(query.before ? [query.before] : []), ...(newerThan ? [query.after] : []), query.limit + 1],
  );
  return pageOf(rows, query.limit, (page) => (newerThan ? page.map(presentMessageRow) : page.map(presentMessageRow).reverse()), (last) => last.id);
}

/** Members with roles and read positions (the read receipts of a group). */
export async function listMembers(em: EntityManager, conversationId: string): Promise<ConversationMemberDTO[]> {
  const rows = await em.execute<{ id: string; display_name: string; email: string; role: ConversationMemberDTO['role']; last_read_message_id: string | null }[]>(
    `SELECT u.id::text AS id, u.display_name, u.email, cm.role, cm.last_read_message_id::text AS last_read_message_id
     FROM conversation_members cm JOIN users u ON u.id = cm.user_id
     WHERE cm.conversation_id = ? ORDER BY CASE cm.role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, u.display_name`,
    [conversationId],
  );
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, email: r.email, role: r.role, lastReadMessageId: r.last_read_message_id }));
}

export { conversationStream };

/** Loads and presents one message by id. */
export async function loadMessage(em: EntityManager, messageId: string): Promise<MessageDTO | null> {
  const [row] = await em.execute<MessageRow[]>(`${messageSelectSql} WHERE m.id = ?`, [messageId]);
  return row ? presentMessageRow(row) : null;
}
