import { z } from 'zod';
import { idSchema } from './common.js';

/** Files attached to an object by id: one's own uploads, at most 20 per object. */
export const attachmentIdsSchema = z.array(idSchema).max(20);

export const attachFilesSchema = z.object({ fileIds: attachmentIdsSchema.min(1) });

/** The organisation setting `fileLimits` (MIME types or `type/*`). */
export const fileLimitsSchema = z.object({
  maxFileMb: z.number().int().min(1).max(10240),
  dailyMbPerUser: z.number().int().min(1).max(1048576),
  allowedTypes: z.array(z.string().regex(/^[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+)$/, 'must be a MIME type such as application/pdf, or image/*')).max(200),
});

/** `?ids=1,2,3`: the objects of one kind whose files a page shows at once (a thread's replies, a report's annotations). */
export const hostIdsQuerySchema = z.object({
  ids: z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(idSchema).min(1).max(100)),
});
