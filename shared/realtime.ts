/** Socket.IO event names and payloads, used by the server and every client alike. */
import type { ApiErrorBody } from './errors.js';
import type { NotificationDTO } from './dto.js';

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
}

export interface ClientToServerEvents {
  /** Everything after the given seq per stream, in order. */
  sync: (request: SyncRequest, ack: AckCallback<SyncResponse>) => void;
  'notifications:markRead': (payload: { ids: string[] }, ack: AckCallback<{ unreadCount: number }>) => void;
  'notifications:markAllRead': (payload: Record<string, never>, ack: AckCallback<{ unreadCount: number }>) => void;
  ping: (payload: Record<string, never>, ack: AckCallback<{ at: string }>) => void;
}

export const userStream = (userId: string) => `user:${userId}`;
