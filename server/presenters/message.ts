import type { ConversationDTO, MessageDTO } from '../../shared/chat.js';
import { presentAttachments } from './file.js';

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
  /** JSON of attachmentsJsonSql (absent where a statement does not select it). */
  attachments?: unknown;
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
    // Only messages with files carry the key, as those sent through the queue (which have none) do.
    ...withAttachments(row),
  };
}

function withAttachments(row: MessageRow): Pick<MessageDTO, 'attachments'> {
  const files = row.deleted_at ? [] : presentAttachments(row.attachments);
  return files.length ? { attachments: files } : {};
}

export type ConversationRow = {
  id: string;
  member_id: string;
  kind: 'direct' | 'group';
  name: string | null;
  member_count: number;
  role: ConversationDTO['myRole'];
  last_read_message_id: string | null;
  last_message_id: string | null;
  last_message_at: Date;
  unread: string;
  seq: string | null;
  peer_id: string | null;
  peer_name: string | null;
  peer_email: string | null;
};

/** A conversation as one member sees it (its last message and what the member may do come with it). */
export function presentConversation(r: ConversationRow, lastMessage: MessageDTO | null, can: ConversationDTO['can']): ConversationDTO {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    peer: r.peer_id ? { id: r.peer_id, displayName: r.peer_name!, email: r.peer_email! } : null,
    memberCount: r.member_count,
    myRole: r.role,
    lastMessage,
    lastMessageAt: new Date(r.last_message_at).toISOString(),
    unreadCount: Number(r.unread),
    lastReadMessageId: r.last_read_message_id,
    seq: Number(r.seq ?? 0),
    can,
  };
}
