import { z } from 'zod';
import { idSchema, inYearRange, lineSchema } from './common.js';

export const reminderChannelSchema = z.enum(['email', 'sms']);

const recipientsSchema = z
  .object({
    self: z.boolean().default(true),
    userIds: z.array(idSchema).max(500).default([]),
    departmentIds: z.array(idSchema).max(50).default([]),
  })
  .refine((r) => r.self || r.userIds.length > 0 || r.departmentIds.length > 0, 'name at least one recipient (yourself, users or departments)');

const reminderFields = {
  title: lineSchema().min(1, 'is required').max(200, 'must be at most 200 characters'),
  /** Lexical editor state of the optional note. */
  note: z.record(z.string(), z.unknown()).nullable(),
  recipients: recipientsSchema,
  channels: z.array(reminderChannelSchema).max(2).transform((c) => [...new Set(c)]),
  /** Local date-time without offset, in `timeZone`. */
  dtstart: inYearRange(z.string().max(40)),
  timeZone: z.string().max(64),
  /** RFC 5545 RRULE value; null or absent for a one-time reminder. */
  rrule: z.string().max(500).nullable(),
  exdates: z.array(inYearRange(z.string().max(40))).max(500),
  urgent: z.boolean(),
};

export const reminderCreateSchema = z.object({
  ...reminderFields,
  note: reminderFields.note.optional(),
  recipients: recipientsSchema.default({ self: true, userIds: [], departmentIds: [] }),
  channels: reminderFields.channels.default(['email']),
  rrule: reminderFields.rrule.optional(),
  exdates: reminderFields.exdates.default([]),
  urgent: reminderFields.urgent.default(false),
});
export type ReminderCreateInput = z.infer<typeof reminderCreateSchema>;

export const reminderUpdateSchema = z
  .object(Object.fromEntries(Object.entries(reminderFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof reminderFields]: z.ZodOptional<(typeof reminderFields)[K]> })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type ReminderUpdateInput = z.infer<typeof reminderUpdateSchema>;

export const snoozeSchema = z.object({ for: z.enum(['10m', '1h', 'tomorrow'], { message: 'must be 10m, 1h or tomorrow' }) });

export const previewQuerySchema = z.object({
  rrule: z.string().max(500).optional(),
  dtstart: inYearRange(z.string({ message: 'is required' }).max(40)),
  tz: z.string({ message: 'is required' }).max(64),
  count: z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(10),
});

export const occurrencesQuerySchema = z.object({ count: z.coerce.number().int().min(1).max(100).default(10) });

export const quietHoursSchema = z.object({
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
  end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
  weekends: z.boolean().default(false),
});

export const notificationSettingsSchema = z
  .object({
    preferences: z.record(z.string().max(40), z.object({ email: z.boolean().optional(), sms: z.boolean().optional(), push: z.boolean().optional() })).optional(),
    quietHours: quietHoursSchema.nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type NotificationSettingsInput = z.infer<typeof notificationSettingsSchema>;

export const outboxQuerySchema = z.object({
  status: z.enum(['queued', 'sent', 'delivered', 'failed', 'logged', 'cancelled']).optional(),
  channel: z.enum(['email', 'sms', 'push']).optional(),
  before: z.string().regex(/^[1-9]\d{0,18}$/, 'must be a numeric id').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
