import { z } from 'zod';

const MAX_BIGINT = 9223372036854775807n;

/** True for a decimal string that fits a PostgreSQL bigint key (1 .. 2^63-1). */
export function isId(value: string): boolean {
  return /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= MAX_BIGINT;
}

/** Ids travel as decimal strings because the database keys are bigint. */
export const idSchema = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, { message: 'must be a numeric id', abort: true })
  .refine(isId, 'must be a numeric id');

/** Validates an IANA time zone name with the runtime's own zone database. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value.length <= 64;
  } catch {
    return false;
  }
}

/**
 * A create schema's fields for a partial update, without their defaults: zod 4 applies a default
 * even to an optional field, so an update would otherwise reset every field it leaves out.
 */
export function withoutDefaults<T extends z.ZodRawShape>(shape: T): { [K in keyof T]: T[K] extends z.ZodDefault<infer Inner> ? Inner : T[K] } {
  return Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, field instanceof z.ZodDefault ? field.unwrap() : field])) as never;
}

export const timeZoneSchema = z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai');
export const localeSchema = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof localeSchema>;
export const emailSchema = z.email('must be an e-mail address').max(254).transform((v) => v.toLowerCase());
export const mobileSchema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a mobile number in E.164 form, such as +8613800138000');
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters');

/** Cursor paging: `before` is the id of the last item already shown. */
export const pageQuerySchema = z.object({
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
