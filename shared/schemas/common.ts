import { z } from 'zod';

/*
 * The boundary rule. Every string that enters Huitong (HTTP bodies and query strings, socket
 * payloads, CSV cells, file names; object keys too) is refused, field by field, when it holds a
 * character that PostgreSQL or one of our formats cannot hold:
 *   - NUL (PostgreSQL text and jsonb cannot store it);
 *   - the other C0 controls and DEL (XML, iCalendar and e-mail headers cannot carry them, and they
 *     are never typed on purpose); tab, newline and carriage return only in multi-line text;
 *   - a UTF-16 surrogate that is not half of a pair (it has no UTF-8 encoding: PostgreSQL refuses
 *     it in jsonb and pg silently turns it into U+FFFD in text).
 * The route and socket layers apply the multi-line rule to every string of every payload
 * (boundaryError); the schemas of single-line fields (names, titles, searches) refuse line breaks
 * and tabs as well. Both answer 400 `validation_failed` with `details[].code` = `invalid_characters`.
 */

/** The field-level code of a string refused by the boundary rule. */
export const INVALID_CHARACTERS = 'invalid_characters';
/** The field-level code of a date outside MIN_YEAR..MAX_YEAR. */
export const DATE_OUT_OF_RANGE = 'date_out_of_range';
/** The years a date may have: PostgreSQL and our formats hold more, people never need it. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F]/;

/** True when multi-line text holds nothing the boundary rule refuses (tab, LF and CR are fine). */
export const isSafeText = (value: string): boolean => !CONTROL_IN_TEXT.test(value) && !LONE_SURROGATE.test(value);
/** True when one line of text holds nothing the boundary rule refuses (no control character at all). */
export const isSafeLine = (value: string): boolean => !CONTROL_IN_LINE.test(value) && !LONE_SURROGATE.test(value);

const textMessage = 'must not contain NUL, control characters (other than tab and line breaks) or broken Unicode';
const lineMessage = 'must be one line without control characters or broken Unicode';

/** A multi-line text field (notes, addresses, bodies). */
export const textSchema = () => z.string().refine(isSafeText, { message: textMessage, params: { code: INVALID_CHARACTERS }, abort: true });
/** A single-line text field (names, titles, searches), trimmed. */
export const lineSchema = () => z.string().trim().refine(isSafeLine, { message: lineMessage, params: { code: INVALID_CHARACTERS }, abort: true });

/** At most this many problems are listed for one payload: a hostile one may hold thousands. */
const MAX_ISSUES = 20;
/** The deepest nesting a payload may have; rich text needs about 30 (shared/richText limits nodes to 12). */
export const MAX_NESTING = 64;
/** The field-level code of a payload nested deeper than MAX_NESTING. */
export const TOO_DEEP = 'nesting_too_deep';

type Pending = { value: unknown; key: string | number | null; parent: Pending | null; depth: number };
const pathOf = (item: Pending) => {
  const path: (string | number)[] = [];
  for (let at: Pending | null = item; at && at.key !== null; at = at.parent) path.unshift(at.key);
  return path;
};
const issue = (path: (string | number)[], message: string, code: string) => ({ code: 'custom', path, message, params: { code }, input: undefined }) as z.core.$ZodIssue;

/**
 * Applies the multi-line rule to every string and object key of a parsed payload (JSON body,
 * query, socket payload), and refuses nesting deeper than MAX_NESTING. It walks without recursion
 * and builds a path only for a problem, so that no shape of payload costs more than its size.
 * Returns the problems as a ZodError (paths as zod gives them), or null when there are none.
 */
export function boundaryError(value: unknown): z.ZodError | null {
  const issues: z.core.$ZodIssue[] = [];
  const pending: Pending[] = [{ value, key: null, parent: null, depth: 0 }];
  while (pending.length && issues.length < MAX_ISSUES) {
    const item = pending.pop()!;
    const current = item.value;
    if (typeof current === 'string') {
      if (!isSafeText(current)) issues.push(issue(pathOf(item), textMessage, INVALID_CHARACTERS));
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (item.depth >= MAX_NESTING) {
      issues.push(issue(pathOf(item), `is nested deeper than ${MAX_NESTING} levels`, TOO_DEEP));
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((v, i) => [i, v]) : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      if (typeof key === 'string' && !isSafeText(key)) issues.push(issue(pathOf(item), 'has a key with NUL, control characters or broken Unicode', INVALID_CHARACTERS));
      else pending.push({ value: child, key, parent: item, depth: item.depth + 1 });
    }
  }
  return issues.length ? new z.ZodError(issues) : null;
}

/** The year a date or date-time string starts with, or null when it does not start with one. */
function leadingYear(value: string): number | null {
  const match = /^([+-]?\d{4,6})-/.exec(value.trim());
  return match ? Number(match[1]) : null;
}

/** True unless the value starts with a year outside MIN_YEAR..MAX_YEAR (format is checked elsewhere). */
export const isYearInRange = (value: string): boolean => {
  const year = leadingYear(value);
  return year === null || (year >= MIN_YEAR && year <= MAX_YEAR && /^\d{4}-/.test(value.trim()));
};

const yearRange = { message: `must be a date between the years ${MIN_YEAR} and ${MAX_YEAR}`, params: { code: DATE_OUT_OF_RANGE }, abort: true };
/** Adds the 1900–9999 rule to a date or date-time string schema. */
export const inYearRange = <T extends z.ZodType<string>>(schema: T): T => schema.refine(isYearInRange, yearRange) as T;

/** True when YYYY-MM-DD (the start of the value) names a day of the calendar: no 2026-02-30, no month 13. */
function isCalendarDay(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  const day = new Date(Date.UTC(2000, m - 1, d));
  day.setUTCFullYear(y);
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

/** A local date-time without offset, such as 2026-03-01T09:00 or 2026-03-01T09:00:00. */
export const localDateTimeSchema = inYearRange(
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, { message: 'must be a local date-time such as 2026-03-01T09:00', abort: true })
    .refine(isCalendarDay, { message: 'is not a calendar date', abort: true }),
);
/** A calendar date YYYY-MM-DD. */
export const dateOnlySchema = inYearRange(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true }).refine(isCalendarDay, { message: 'is not a calendar date', abort: true }));
const FIRST_INSTANT = Date.UTC(MIN_YEAR, 0, 1);
const END_INSTANT = Date.UTC(MAX_YEAR + 1, 0, 1);
/** An instant in ISO 8601 with an offset or Z, within the years in UTC too (9999-12-31T23:00-05:00 is in the year 10000). */
export const instantSchema = z.iso
  .datetime({ offset: true, abort: true })
  .refine(isYearInRange, yearRange)
  .refine((v) => Date.parse(v) >= FIRST_INSTANT && Date.parse(v) < END_INSTANT, yearRange);

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
