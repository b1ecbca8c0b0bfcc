import { z } from 'zod';
import { markReadSchema } from './notifications.js';
import { messageDeleteSchema, messageEditSchema, messageSendSchema, readSchema, typingSchema } from './chat.js';
import { acknowledgeEventSchema } from './announcements.js';

/** `sync`: the last seq applied per stream. */
export const syncSchema = z.object({
  streams: z
    .record(z.string().max(80), z.number().int().min(0))
    .refine((s) => Object.keys(s).length <= 500, 'at most 500 streams at once'),
  /** The restore epoch the client's positions belong to (the `epoch` of an earlier answer). */
  epoch: z.string().max(64).optional(),
});

const noPayload = z.object({}).strict();

/**
 * The payload schema of every client-to-server socket event — the same schemas the HTTP routes
 * validate with where both exist. The server registers a handler by event name and gets its schema
 * from here, so an event cannot go unchecked; the event map's payload types are derived from it.
 */
export const clientEventSchemas = {
  sync: syncSchema,
  'notifications:markRead': markReadSchema,
  'notifications:markAllRead': noPayload,
  ping: noPayload,
  'message:send': messageSendSchema,
  'message:edit': messageEditSchema,
  'message:delete': messageDeleteSchema,
  'conversation:read': readSchema,
  'conversation:typing': typingSchema,
  'conversations:list': noPayload,
  'announcement:acknowledge': acknowledgeEventSchema,
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
/** What a client sends with an event. */
export type ClientEventPayload<E extends ClientEventName> = z.input<(typeof clientEventSchemas)[E]>;
/** What the server's handler gets after validation. */
export type ClientEventInput<E extends ClientEventName> = z.output<(typeof clientEventSchemas)[E]>;
