import { z } from 'zod';
import { idSchema } from './common.js';

export const notificationListQuerySchema = z.object({
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  unread: z.enum(['true', 'false']).optional(),
});

export const markReadSchema = z.object({ ids: z.array(idSchema).min(1).max(200) });
