import { z } from 'zod';
import { boardOpenness, boardReactions, subscriptionLevels } from '../boards.js';
import { idSchema, lineSchema, textSchema, withoutDefaults } from './common.js';
import { richTextBodySchema } from './chat.js';

const line = (max: number) => lineSchema().max(max, `must be at most ${max} characters`);

/** Users and departments given one role on a board. */
export const granteesSchema = z.object({
  userIds: z.array(idSchema).max(500).default([]),
  departmentIds: z.array(idSchema).max(200).default([]),
});

const boardFields = {
  name: line(100).min(1, 'is required'),
  description: textSchema().trim().max(2000, 'must be at most 2000 characters').default(''),
  category: line(60).nullable().default(null),
  position: z.number().int().min(-100000).max(100000).default(0),
  openness: z.enum(boardOpenness),
  readOnly: z.boolean().default(false),
  allowAnonymous: z.boolean().default(false),
  /** Semi-open boards: everyone may post, or only the listed posters. */
  everyonePosts: z.boolean().default(true),
  moderators: granteesSchema.default({ userIds: [], departmentIds: [] }),
  viewers: granteesSchema.default({ userIds: [], departmentIds: [] }),
  members: granteesSchema.default({ userIds: [], departmentIds: [] }),
  posters: granteesSchema.default({ userIds: [], departmentIds: [] }),
};

export const boardCreateSchema = z.object(boardFields);
export const boardUpdateSchema = z
  .object(withoutDefaults(boardFields))
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');

export const threadListQuerySchema = z.object({
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

const title = line(200).min(1, 'is required');

export const threadCreateSchema = z.object({
  title,
  body: richTextBodySchema,
  anonymous: z.boolean().default(false),
  customerId: idSchema.nullable().default(null),
});

export const threadUpdateSchema = z
  .object({ title, body: richTextBodySchema, customerId: idSchema.nullable() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');

export const replyCreateSchema = z.object({
  body: richTextBodySchema,
  /** A reply of the same thread this one quotes. */
  quoteReplyId: idSchema.nullable().default(null),
});

export const replyUpdateSchema = z.object({ body: richTextBodySchema });

/** Replies after a number (forward) or before one (backward); neither: from the start. */
export const repliesQuerySchema = z
  .object({
    after: z.coerce.number().int().min(0).max(2_000_000_000).optional(),
    before: z.coerce.number().int().min(1).max(2_000_000_000).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .refine((q) => q.after === undefined || q.before === undefined, { message: 'give after or before, not both', path: ['before'] });

export const readPositionSchema = z.object({ number: z.number().int().min(0).max(2_000_000_000) });

export const subscriptionSchema = z.object({ level: z.enum(subscriptionLevels) });

export const reactionSchema = z.object({ reaction: z.enum(boardReactions), on: z.boolean() });

const reason = line(500).min(1, 'say why, for the author');

export const threadModerationSchema = z.discriminatedUnion('action', [
  z.object({ action: z.enum(['pin', 'unpin', 'lock', 'unlock', 'unhide']) }),
  z.object({ action: z.literal('hide'), reason }),
  z.object({ action: z.literal('move'), boardId: idSchema }),
]);

export const replyModerationSchema = z.discriminatedUnion('action', [z.object({ action: z.literal('unhide') }), z.object({ action: z.literal('hide'), reason })]);

export const auditQuerySchema = z.object({
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
