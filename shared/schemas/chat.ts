import { z } from 'zod';
import { attachmentIdsSchema } from './files.js';
import { idSchema, lineSchema } from './common.js';

const groupName = lineSchema().min(1, 'is required').max(100, 'must be at most 100 characters');

/** Maximum members of a group conversation. */
export const GROUP_MEMBER_LIMIT = 2000;

export const directConversationSchema = z.object({ userId: idSchema });

export const groupCreateSchema = z.object({
  name: groupName,
  memberIds: z.array(idSchema).max(GROUP_MEMBER_LIMIT - 1),
});

export const groupRenameSchema = z.object({ name: groupName });

export const membersAddSchema = z.object({ userIds: z.array(idSchema).min(1).max(GROUP_MEMBER_LIMIT) });

export const memberRoleSchema = z.object({ role: z.enum(['admin', 'member']) });

/** The rich-text body is checked by the server's editor module; here it only has to be an object. */
export const richTextBodySchema = z.record(z.string(), z.unknown());

export const messageSendSchema = z.object({
  conversationId: idSchema,
  clientId: z.string().regex(/^[\w-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _ (a UUID is fine)'),
  body: richTextBodySchema,
  replyToId: idSchema.nullable().optional(),
  // One's own uploads (POST /api/files), shown with the message.
  attachmentIds: attachmentIdsSchema.optional(),
});

export const messageEditSchema = z.object({ messageId: idSchema, body: richTextBodySchema });
export const messageDeleteSchema = z.object({ messageId: idSchema });

export const historyQuerySchema = z
  .object({
    before: idSchema.optional(),
    after: idSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine((q) => !(q.before && q.after), 'give before or after, not both');

export const readSchema = z.object({ conversationId: idSchema, messageId: idSchema });
export const typingSchema = z.object({ conversationId: idSchema, typing: z.boolean() });
export const conversationRefSchema = z.object({ conversationId: idSchema });
