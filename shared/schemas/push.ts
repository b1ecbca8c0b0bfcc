import { z } from 'zod';
import { lineSchema } from './common.js';

const base64url = (bytes: number) => {
  const length = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .max(length + 2)
    .regex(new RegExp(`^[A-Za-z0-9_-]{${length}}={0,2}$`), `must be ${bytes} bytes in URL-safe base64`);
};

/** A browser's PushSubscription (its toJSON()) and a name for the device. */
export const pushSubscribeSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/, message: 'must be the http(s) URL of a push service' }).max(2000),
  keys: z.object({
    // An uncompressed P-256 point (65 bytes) and a 16-byte secret: RFC 8291.
    p256dh: base64url(65),
    auth: base64url(16),
  }),
  label: lineSchema().min(1, 'is required').max(100, 'must be at most 100 characters'),
});
export type PushSubscribeInput = z.infer<typeof pushSubscribeSchema>;
