import { z } from 'zod';
import { idSchema } from './common.js';

export const notificationListQuerySchema = z.object({
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  unread: z.enum(['true', 'false']).optional(),
});

/** Marking read, over HTTP (`POST /api/notifications/read`) and the socket (`notifications:markRead`) alike. */
export const markReadSchema = z.object({ ids: z.array(idSchema).min(1).max(200) });

/** A system message from an administrator: to users, and to departments with everyone below them. */
export const systemMessageSchema = z
  .object({
    recipientIds: z.array(idSchema).max(1000).default([]),
    departmentIds: z.array(idSchema).max(100).default([]),
    title: z.string().trim().min(1, 'is required').max(200),
    body: z.string().max(5000).default(''),
    urgent: z.boolean().default(false),
  })
  .refine((v) => v.recipientIds.length + v.departmentIds.length > 0, { message: 'name at least one recipient or department', path: ['recipientIds'] });
