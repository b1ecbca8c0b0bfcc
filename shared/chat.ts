/** Chat DTOs and the event types of a conversation's stream `conversation:<id>`. */
import type { UserSummaryDTO } from './dto.js';
import type { FileDTO } from './files.js';

export type ConversationRole = 'owner' | 'admin' | 'member';

export type MessageDTO = {
  id: string;
  conversationId: string;
  clientId: string | null;
  kind: 'text' | 'system';
  author: UserSummaryDTO | null;
  /** Lexical editor state; null once deleted. */
  body: Record<string, unknown> | null;
  text: string;
  replyTo: { id: string; authorName: string | null; text: string; deleted: boolean } | null;
  mentions: string[];
  system: { action: 'created' | 'added' | 'removed' | 'left' | 'renamed' | 'ownerChanged'; actorId: string; userIds?: string[]; name?: string } | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  /** Files sent with the message; absent when it has none (or once it is deleted). */
  attachments?: FileDTO[];
};

export type ConversationMemberDTO = UserSummaryDTO & { role: ConversationRole; lastReadMessageId: string | null };

export type ConversationDTO = {
  id: string;
  kind: 'direct' | 'group';
  name: string | null;
  /** The other user, for a direct conversation. */
  peer: UserSummaryDTO | null;
  memberCount: number;
  myRole: ConversationRole;
  lastMessage: MessageDTO | null;
  lastMessageAt: string;
  unreadCount: number;
  lastReadMessageId: string | null;
  /** Sequence of the conversation's stream at the time of this answer (start syncing from here). */
  seq: number;
  /** What the user may do with it (kept current by `conversation.changed` on their own stream). */
  can: { rename: boolean; addMembers: boolean; removeMembers: boolean; removeOwners: boolean; changeRoles: boolean; leave: boolean; mentionEveryone: boolean };
};

/** Event types of `conversation:<id>`. */
export type ConversationStreamEvents = {
  'message.created': { message: MessageDTO };
  'message.updated': { message: MessageDTO };
  'message.deleted': { message: MessageDTO };
  'conversation.updated': { conversationId: string; name: string | null; memberCount: number };
  'member.added': { conversationId: string; members: ConversationMemberDTO[] };
  'member.removed': { conversationId: string; userIds: string[] };
  'member.roleChanged': { conversationId: string; userId: string; role: ConversationRole };
  'read.updated': { conversationId: string; userId: string; lastReadMessageId: string };
};

/** Chat events of a user's own stream `user:<id>` (membership and read position across devices). */
export type UserChatEvents = {
  'conversation.joined': { conversation: ConversationDTO };
  'conversation.left': { conversationId: string };
  'conversation.read': { conversationId: string; lastReadMessageId: string; unreadCount: number };
  /** The user's role in it changed: the conversation as they now see it (their `can`). */
  'conversation.changed': { conversation: ConversationDTO };
};

/**
 * Whether a user may edit or delete a message: its author, for a text message. Messages reach every
 * member in one shared payload, so this is the one rule both the server's policy and the client ask.
 */
export function mayChangeMessage(message: Pick<MessageDTO, 'kind'> & { author: { id: string } | null }, userId: string): boolean {
  return message.kind === 'text' && message.author?.id === userId;
}

export const conversationStream = (conversationId: string): `conversation:${string}` => `conversation:${conversationId}`;
