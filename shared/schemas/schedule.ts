import { z } from 'zod';
import { entryKinds, entryStatuses, planPeriods } from '../schedule.js';
import { dateOnlySchema, idSchema, instantSchema, lineSchema, localDateTimeSchema, timeZoneSchema, withoutDefaults } from './common.js';

const localDateTime = localDateTimeSchema;
const richText = z.record(z.string(), z.unknown());

/** The longest entry: a year plan (with a leap day and some slack). */
export const MAX_ENTRY_DAYS = 370;
/** At most this many reminders per entry, each up to 30 days before. */
export const reminderOffsetsSchema = z.array(z.number().int().min(0).max(43200)).max(5).default([]);

const entryFields = {
  kind: z.enum(entryKinds),
  title: lineSchema().min(1, 'is required').max(200),
  description: richText.nullable().default(null),
  /** Local start and end in timeZone; all-day entries give midnights (end exclusive). */
  start: localDateTime,
  end: localDateTime,
  allDay: z.boolean().default(false),
  timeZone: timeZoneSchema.optional(),
  planPeriod: z.enum(planPeriods).nullable().default(null),
  customerId: idSchema.nullable().default(null),
  contactIds: z.array(idSchema).max(20).default([]),
  shared: z.boolean().default(false),
  rrule: z.string().max(500).nullable().default(null),
  exdates: z.array(localDateTime).max(500).default([]),
  reminderOffsets: reminderOffsetsSchema,
};

export const entryCreateSchema = z.object(entryFields);
export const entryUpdateSchema = z
  .object({ ...withoutDefaults(entryFields), status: z.enum(entryStatuses) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');
export const entryResultSchema = z.object({ result: richText, status: z.enum(['done']).default('done') });

export const occurrenceScopeSchema = z.object({ occurrenceStart: instantSchema, scope: z.enum(['this', 'following']) });
export const occurrenceEditSchema = occurrenceScopeSchema.extend({ changes: entryUpdateSchema });

const range = {
  from: instantSchema,
  to: instantSchema,
};
const rangeRefine = (v: { from?: string; to?: string; day?: string }) => (v.day ? true : !!v.from && !!v.to && Date.parse(v.to) > Date.parse(v.from) && Date.parse(v.to) - Date.parse(v.from) <= 400 * 86400_000);
const rangeMessage = { message: 'give day, or from and to (to after from, at most 400 days apart)' };

export const personEntriesQuerySchema = z
  .object({ userId: idSchema.optional(), day: dateOnlySchema.optional(), timeZone: timeZoneSchema.optional(), ...range })
  .partial({ from: true, to: true })
  .refine(rangeRefine, rangeMessage);
export const rangeQuerySchema = z.object({ ...range, customerOnly: z.enum(['true', 'false']).default('false') }).refine(rangeRefine, rangeMessage);
export const visitsQuerySchema = z.object({ ...range, kinds: z.string().optional() }).refine(rangeRefine, rangeMessage);

export const annotationSchema = z.object({ body: richText });
