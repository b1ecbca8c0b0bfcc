/** Socket.IO event names and payloads, used by the server and every client alike. */
import type { ApiErrorBody } from './errors.js';
import type { NotificationDTO } from './dto.js';
import type { ConversationDTO, MessageDTO } from './chat.js';

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
export type AckCallback<T> = (response: Ack<T>) => void;

/**
 * Every change a client follows belongs to a stream (`user:<id>`, `conversation:<id>`, ...)
 * with a gap-free increasing sequence. Clients remember the last seq applied per stream and
 * ask `sync` for what came after it on (re)connect, ignoring anything at or below it.
 */
export type StreamEventEnvelope<T extends string = string, P = unknown> = {
  stream: string;
  seq: number;
  type: T;
  data: P;
  at: string;
};

/** Event types of the personal stream `user:<id>`. */
export type UserStreamEvents = {
  'notification.created': { notification: NotificationDTO; unreadCount: number };
  'notification.read': { ids: string[]; readAt: string; unreadCount: number };
  'notification.allRead': { readAt: string; unreadCount: number };
};

export type SyncRequest = { streams: Record<string, number> };
export type SyncResponse = {
  events: StreamEventEnvelope[];
  /** Streams with more events than one answer holds; ask again from the last seq received. */
  more: string[];
  /** Streams the caller may not follow; they got no events. */
  refused: string[];
};

export interface ServerToClientEvents {
  /** A change in one of the streams this socket follows. */
  event: (envelope: StreamEventEnvelope) => void;
  /** The server is closing this session (logout, deactivation). */
  'session:ended': (payload: { reason: 'logout' | 'deactivated' | 'password_changed' }) => void;
  /** Someone is typing in a conversation (not stored, not replayed). */
  typing: (payload: { conversationId: string; userId: string; typing: boolean }) => void;
  /** Progress of one's running customer import (not stored, not replayed). */
  'import:progress': (payload: { importId: string; done: number; total: number }) => void;
}

export interface ClientToServerEvents {
  /** Everything after the given seq per stream, in order. */
  sync: (request: SyncRequest, ack: AckCallback<SyncResponse>) => void;
  'notifications:markRead': (payload: { ids: string[] }, ack: AckCallback<{ unreadCount: number }>) => void;
  'notifications:markAllRead': (payload: Record<string, never>, ack: AckCallback<{ unreadCount: number }>) => void;
  ping: (payload: Record<string, never>, ack: AckCallback<{ at: string }>) => void;
  'message:send': (
    payload: { conversationId: string; clientId: string; body: Record<string, unknown>; replyToId?: string | null },
    ack: AckCallback<{ message: MessageDTO; created: boolean }>,
  ) => void;
  'message:edit': (payload: { messageId: string; body: Record<string, unknown> }, ack: AckCallback<{ message: MessageDTO }>) => void;
  'message:delete': (payload: { messageId: string }, ack: AckCallback<{ message: MessageDTO }>) => void;
  'conversation:read': (payload: { conversationId: string; messageId: string }, ack: AckCallback<{ conversationId: string; lastReadMessageId: string; unreadCount: number }>) => void;
  'conversation:typing': (payload: { conversationId: string; typing: boolean }, ack: AckCallback<Record<string, never>>) => void;
  'conversations:list': (payload: Record<string, never>, ack: AckCallback<{ conversations: ConversationDTO[] }>) => void;
}

export const userStream = (userId: string) => `user:${userId}`;
