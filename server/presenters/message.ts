import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageDTO } from '../../shared/chat.js';

/**
 * Messages are read with one SQL statement (author and quoted message joined in), because
 * history paging is the hottest read of the product and must stay a single index range scan.
 * `source` is the messages table, or a CTE of rows just inserted (read back in the same statement).
 */
export const messageSelectFrom = (source: string) => `
  SELECT m.id::text AS id, m.conversation_id::text AS conversation_id, m.client_id, m.kind, m.body, m.text,
         m.mentions, m.system, m.created_at, m.edited_at, m.deleted_at,
         a.id::text AS author_id, a.display_name AS author_name, a.email AS author_email,
         r.id::text AS reply_id, r.text AS reply_text, r.deleted_at AS reply_deleted_at, ra.display_name AS reply_author_name
  FROM ${source} m
  LEFT JOIN users a ON a.id = m.author_id
  LEFT JOIN messages r ON r.id = m.reply_to_id
  LEFT JOIN users ra ON ra.id = r.author_id`;

export const messageSelectSql = messageSelectFrom('messages');

export type MessageRow = {
  id: string;
  conversation_id: string;
  client_id: string | null;
  kind: 'text' | 'system';
  body: Record<string, unknown> | null;
  text: string;
  mentions: string[] | null;
  system: MessageDTO['system'];
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  author_id: string | null;
  author_name: string | null;
  author_email: string | null;
  reply_id: string | null;
  reply_text: string | null;
  reply_deleted_at: Date | null;
  reply_author_name: string | null;
};

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** A message row as members see it (a deleted message keeps only its marker). */
export function presentMessageRow(row: MessageRow): MessageDTO {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    clientId: row.client_id,
    kind: row.kind,
    author: row.author_id ? { id: row.author_id, displayName: row.author_name!, email: row.author_email! } : null,
    body: row.deleted_at ? null : row.body,
    text: row.deleted_at ? '' : row.text,
    replyTo: row.reply_id
      ? { id: row.reply_id, authorName: row.reply_author_name, text: row.reply_deleted_at ? '' : (row.reply_text ?? '').slice(0, 200), deleted: !!row.reply_deleted_at }
      : null,
    mentions: row.mentions ?? [],
    system: row.system,
    createdAt: iso(row.created_at)!,
    editedAt: iso(row.edited_at),
    deletedAt: iso(row.deleted_at),
  };
}

/** Loads and presents one message by id. */
export async function loadMessage(em: EntityManager, messageId: string): Promise<MessageDTO | null> {
  const [row] = await em.execute<MessageRow[]>(`${messageSelectSql} WHERE m.id = ?`, [messageId]);
  return row ? presentMessageRow(row) : null;
}
