/** Socket.IO event names and payloads, used by the server and every client alike. */
import type { ApiErrorBody } from './errors.js';
import type { NotificationDTO } from './dto.js';
import type { ConversationDTO, ConversationStreamEvents, MessageDTO, UserChatEvents } from './chat.js';
import type { CustomerStreamEvents } from './customers.js';
import type { UserReminderEvents } from './reminders.js';
import type { ReportStreamEvents } from './reports.js';
import type { AnnouncementStreamEvents, AnnouncementSummaryDTO, UserAnnouncementEvents } from './announcements.js';
import type { BoardStreamEvents, ThreadStreamEvents, UserBoardEvents } from './boards.js';
import type { ClientEventPayload } from './schemas/realtime.js';
import type { HostFilesEvents } from './files.js';

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiErrorBody };
export type AckCallback<T> = (response: Ack<T>) => void;

/** Notification events of the personal stream `user:<id>`. */
export type UserStreamEvents = {
  'notification.created': { notification: NotificationDTO; unreadCount: number };
  'notification.read': { ids: string[]; readAt: string; unreadCount: number };
  'notification.allRead': { readAt: string; unreadCount: number };
};

/**
 * Every kind of stream and the events its streams carry (event type → payload). This map decides
 * what may be appended (server/realtime/streams.ts) and what a client receives: a new feature adds
 * its events to its kind here (or a new kind, with its stream policy in server/policies/streams.ts).
 */
export interface StreamEventMap {
  user: UserStreamEvents & UserChatEvents & UserReminderEvents & UserAnnouncementEvents & UserBoardEvents;
  conversation: ConversationStreamEvents;
  customer: CustomerStreamEvents;
  report: ReportStreamEvents & HostFilesEvents;
  announcement: AnnouncementStreamEvents & HostFilesEvents;
  board: BoardStreamEvents;
  thread: ThreadStreamEvents & HostFilesEvents;
}
export type StreamKind = keyof StreamEventMap;
/** The name of one stream of a kind, such as `conversation:42`. */
export type StreamName<K extends StreamKind = StreamKind> = `${K}:${string}`;
export type EventType<K extends StreamKind> = keyof StreamEventMap[K] & string;
export type EventPayload<K extends StreamKind, T extends EventType<K>> = StreamEventMap[K][T];

/**
 * Every change a client follows belongs to a stream (`user:<id>`, `conversation:<id>`, ...)
 * with a gap-free increasing sequence. Clients remember the last seq applied per stream and
 * ask `sync` for what came after it on (re)connect, ignoring anything at or below it.
 * A union discriminated by `type`, so `switch (event.type)` gives each payload its own type.
 */
export type StreamEvent<K extends StreamKind = StreamKind> = {
  [S in K]: { [T in EventType<S>]: { stream: StreamName<S>; seq: number; type: T; data: EventPayload<S, T>; at: string } }[EventType<S>];
}[K];
/** One event of any stream (what the server pushes and `sync` answers). */
export type StreamEventEnvelope = StreamEvent;

/** An event to append, before the stream gives it a sequence. */
export type NewStreamEvent<K extends StreamKind = StreamKind> = {
  [S in K]: { [T in EventType<S>]: { stream: StreamName<S>; type: T; data: EventPayload<S, T> } }[EventType<S>];
}[K];

/** The kind of a stream name (`conversation:42` → `conversation`), or null for a malformed one. */
export function streamKind(stream: string): string | null {
  const colon = stream.indexOf(':');
  return colon > 0 ? stream.slice(0, colon) : null;
}

/** Why the server ended a session on a socket. */
export type SessionEndReason = 'logout' | 'deactivated' | 'password_changed' | 'expired';

export type SyncRequest = ClientEventPayload<'sync'>;
export type SyncResponse = {
  events: StreamEvent[];
  /** Streams with more events than one answer holds; ask again from the last seq received. */
  more: string[];
  /** Streams the caller may not follow; they got no events. */
  refused: string[];
  /** The database's restore epoch: it changes when a backup is restored. */
  epoch?: string;
  /** The request's `epoch` is not the database's: every position the client holds is void; reload and follow afresh. */
  reset?: true;
};

export interface ServerToClientEvents {
  /** A change in one of the streams this socket follows. */
  event: (envelope: StreamEvent) => void;
  /** The server is closing this session (logout, deactivation, a new password, its expiry). */
  'session:ended': (payload: { reason: SessionEndReason }) => void;
  /**
   * This socket no longer follows these streams: access to them changed (a setting, a membership,
   * the hierarchy) and their policy refuses this user now. Nothing more of them arrives, and `sync`
   * refuses them, as it would have at the next reconnect; the client drops them now.
   */
  'stream:revoked': (payload: { streams: string[] }) => void;
  /** Someone is typing in a conversation (not stored, not replayed). */
  typing: (payload: { conversationId: string; userId: string; typing: boolean }) => void;
  /** Progress of one's running customer import (not stored, not replayed). */
  'import:progress': (payload: { importId: string; done: number; total: number }) => void;
  /**
   * An announcement was just published to this user (not stored, not replayed): the banner and the
   * feed show it at once, while its notification is still being written by the fan-out's jobs (it
   * follows on the user's stream, and is what a reconnecting client catches up with).
   */
  'announcement:published': (payload: { announcement: AnnouncementSummaryDTO }) => void;
}

/** Client events: payloads as their shared zod schemas (shared/schemas/realtime.ts) define them, answers by acknowledgement. */
export interface ClientToServerEvents {
  /** Everything after the given seq per stream, in order. */
  sync: (request: SyncRequest, ack: AckCallback<SyncResponse>) => void;
  'notifications:markRead': (payload: ClientEventPayload<'notifications:markRead'>, ack: AckCallback<{ unreadCount: number }>) => void;
  'notifications:markAllRead': (payload: ClientEventPayload<'notifications:markAllRead'>, ack: AckCallback<{ unreadCount: number }>) => void;
  ping: (payload: ClientEventPayload<'ping'>, ack: AckCallback<{ at: string }>) => void;
  'message:send': (payload: ClientEventPayload<'message:send'>, ack: AckCallback<{ message: MessageDTO; created: boolean }>) => void;
  'message:edit': (payload: ClientEventPayload<'message:edit'>, ack: AckCallback<{ message: MessageDTO }>) => void;
  'message:delete': (payload: ClientEventPayload<'message:delete'>, ack: AckCallback<{ message: MessageDTO }>) => void;
  'conversation:read': (payload: ClientEventPayload<'conversation:read'>, ack: AckCallback<{ conversationId: string; lastReadMessageId: string; unreadCount: number }>) => void;
  'conversation:typing': (payload: ClientEventPayload<'conversation:typing'>, ack: AckCallback<Record<string, never>>) => void;
  'conversations:list': (payload: ClientEventPayload<'conversations:list'>, ack: AckCallback<{ conversations: ConversationDTO[] }>) => void;
  /** Acknowledges one's own copy of an announcement (as POST /api/announcements/:id/acknowledge). */
  'announcement:acknowledge': (payload: ClientEventPayload<'announcement:acknowledge'>, ack: AckCallback<{ acknowledgedAt: string; version: number; changed: boolean }>) => void;
}

export const userStream = (userId: string): StreamName<'user'> => `user:${userId}`;
