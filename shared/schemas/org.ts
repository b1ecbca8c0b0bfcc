import { z } from 'zod';
import { refineStrongPassword, strongPasswordSchema } from './password.js';
import { emailSchema, idSchema, lineSchema, localeSchema, mobileSchema, passwordSchema, timeZoneSchema } from './common.js';

const departmentName = lineSchema().min(1, 'is required').max(120, 'must be at most 120 characters');

export const departmentCreateSchema = z.object({
  name: departmentName,
  parentId: idSchema.nullable().optional(),
  managerIds: z.array(idSchema).max(50).optional(),
});

export const departmentUpdateSchema = z
  .object({
    name: departmentName.optional(),
    parentId: idSchema.nullable().optional(),
    managerIds: z.array(idSchema).max(50).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

const displayName = lineSchema().min(1, 'is required').max(100, 'must be at most 100 characters');

export const userCreateSchema = z
  .object({
    email: emailSchema,
    displayName,
    password: passwordSchema,
    departmentId: idSchema,
    role: z.enum(['admin', 'member']).default('member'),
    locale: localeSchema.default('zh-CN'),
    timeZone: timeZoneSchema.default('Asia/Shanghai'),
    mobile: mobileSchema.nullable().optional(),
  })
  .superRefine(refineStrongPassword('password', ['email', 'displayName']));

export const userUpdateSchema = z
  .object({
    email: emailSchema.optional(),
    displayName: displayName.optional(),
    departmentId: idSchema.optional(),
    role: z.enum(['admin', 'member']).optional(),
    locale: localeSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    mobile: mobileSchema.nullable().optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const passwordResetSchema = z.object({ password: strongPasswordSchema });

/** What a user may change about themselves. */
export const profileUpdateSchema = z
  .object({
    displayName: displayName.optional(),
    locale: localeSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    mobile: mobileSchema.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

/** The directory: a search and a page (the cursor is the `nextCursor` of the page before). */
export const userDirectoryQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  /** Only these users, comma-separated (e.g. to show the current names of the people a text mentions). */
  ids: z
    .string()
    .regex(/^[1-9]\d{0,18}(,[1-9]\d{0,18}){0,99}$/, 'must be up to 100 numeric ids separated by commas')
    .transform((v) => [...new Set(v.split(','))])
    .optional(),
  departmentId: idSchema.optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

/**
 * People to offer in the @ picker: those whose name, pinyin or pinyin initials match `q` (all of
 * them for an empty `q`), best matches first; in a conversation, only its members.
 */
export const mentionCandidatesQuerySchema = z.object({
  q: lineSchema().max(100, 'must be at most 100 characters').optional(),
  conversationId: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});
