import { z } from 'zod';
import { escalationLimitsSchema } from './announcements.js';
import { fileLimitsSchema } from './files.js';
import { customerTiers, customerTypes, customerVisibilities, prospectClasses } from '../customers.js';
import { dateOnlySchema, idSchema, lineSchema, textSchema, timeZoneSchema, withoutDefaults } from './common.js';

/** One line (names, titles, phone numbers) and multi-line text (addresses, notes), by the boundary rule. */
const line = (max: number) => lineSchema().max(max, `must be at most ${max} characters`);
const text = (max: number) => textSchema().trim().max(max, `must be at most ${max} characters`);

/** A birthday as YYYY-MM-DD that exists in the calendar (29 February only in leap years). */
export const birthdaySchema = dateOnlySchema.refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'is not a calendar date');

export const contactSchema = z.object({
  name: line(100).min(1, 'is required'),
  title: line(100).default(''),
  phone: line(40).default(''),
  email: z.union([z.literal(''), z.email('must be an e-mail address').max(254)]).default(''),
  birthday: birthdaySchema.nullable().default(null),
});
export const contactUpdateSchema = z.object(withoutDefaults(contactSchema.shape)).partial();

const classification = {
  tier: z.enum(customerTiers).nullable().default(null),
  prospectClass: z.enum(prospectClasses).nullable().default(null),
};
const oneClass = (v: { tier?: string | null; prospectClass?: string | null }) => !(v.tier && v.prospectClass);
const oneClassMessage = { message: 'a customer has a tier or, as a prospect, a class, not both', path: ['prospectClass'] };

export const customerCreateSchema = z
  .object({
    name: line(200).min(1, 'is required'),
    type: z.enum(customerTypes),
    ...classification,
    address: text(500).default(''),
    notes: text(5000).default(''),
    ownerIds: z.array(idSchema).max(20).optional(),
    contacts: z.array(contactSchema).max(100).default([]),
  })
  .refine(oneClass, oneClassMessage);

export const customerUpdateSchema = z
  .object({
    name: line(200).min(1, 'is required'),
    type: z.enum(customerTypes),
    tier: z.enum(customerTiers).nullable(),
    prospectClass: z.enum(prospectClasses).nullable(),
    address: text(500),
    notes: text(5000),
    ownerIds: z.array(idSchema).min(1, 'a customer needs an owner').max(20),
  })
  .partial()
  .refine(oneClass, oneClassMessage);

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)).max(values.length));

export const customerListQuerySchema = z.object({
  q: lineSchema().max(100).optional(),
  tiers: csv(customerTiers).optional(),
  prospectClasses: csv(prospectClasses).optional(),
  types: csv(customerTypes).optional(),
  owner: z.enum(['me']).optional(),
  following: z.enum(['true']).optional(),
  cursor: z.string().max(600).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const feedQuerySchema = z.object({
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const teamFeedQuerySchema = feedQuerySchema.extend({
  tiers: csv(customerTiers).optional(),
  types: csv(customerTypes).optional(),
  // Sort by tier first (platinum before gold ...) and time within a tier.
  valuableFirst: z.enum(['true', 'false']).default('false'),
  // With valuableFirst the cursor is "<tierRank>:<id>".
  cursor: z.string().regex(/^\d{1,2}:\d{1,19}$/).optional(),
});

export const neglectedQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(3650).default(30), cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(100) });

export const commentSchema = z.object({ body: z.record(z.string(), z.unknown()) });
export const contactRecordSchema = z.object({
  channel: z.enum(['call', 'visit', 'email', 'other']),
  body: z.record(z.string(), z.unknown()),
  contactIds: z.array(idSchema).max(20).default([]),
});

export const orgSettingsSchema = z
  .object({
    customerVisibility: z.enum(customerVisibilities),
    // The organisation's time zone: report periods and deadlines are days in it.
    timeZone: timeZoneSchema,
    reportDaysAhead: z.number().int().min(0).max(366),
    reportClosedAfterDays: z.number().int().min(1).max(3660),
    escalationLimits: escalationLimitsSchema,
    fileLimits: fileLimitsSchema,
  })
  .partial();

export const importQuerySchema = z.object({
  dryRun: z.enum(['true', 'false']).default('true'),
  encoding: z.enum(['auto', 'utf-8', 'gbk']).default('auto'),
  // Names the import in the progress events pushed to the user's sockets.
  importId: z.string().regex(/^[\w-]{1,64}$/).optional(),
});
