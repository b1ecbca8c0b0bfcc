import type { MessageDTO } from '../../shared/chat.js';

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
