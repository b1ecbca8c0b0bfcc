import { z } from 'zod';
import { MARK_ID_PATTERN } from '../richText/nodes.js';
import { reportKinds } from '../reportPeriods.js';
import { sectionFills } from '../reports.js';
import { dateOnlySchema, idSchema, lineSchema } from './common.js';

const richText = z.record(z.string(), z.unknown());
const kind = z.enum(reportKinds);

/** A section key: how the report's content names the section. */
export const sectionKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a key of lower-case letters, digits and _ (such as done_today)');
/** A local time of day, HH:MM or HH:MM:SS. */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, 'must be a time such as 18:00');

export const templateSectionSchema = z.object({
  key: sectionKeySchema,
  title: lineSchema().min(1, 'is required').max(60),
  titleEn: lineSchema().max(60).default(''),
  required: z.boolean().default(false),
  fill: z.enum(sectionFills).nullable().default(null),
});

const uniqueKeys = (sections: { key: string }[]) => new Set(sections.map((s) => s.key)).size === sections.length;

export const templateCreateSchema = z.object({
  name: lineSchema().min(1, 'is required').max(100),
  kinds: z.array(kind).min(1, 'choose at least one kind').max(3),
  sections: z.array(templateSectionSchema).min(1, 'add at least one section').max(12).refine(uniqueKeys, 'section keys must differ'),
  departmentIds: z.array(idSchema).max(50).default([]),
});
export const templateUpdateSchema = z
  .object({
    name: templateCreateSchema.shape.name,
    kinds: templateCreateSchema.shape.kinds,
    sections: templateCreateSchema.shape.sections,
    departmentIds: z.array(idSchema).max(50),
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'change at least one field');

/** Opens (or finds) one's report of a kind for the period holding `date`. */
export const reportCreateSchema = z.object({ kind, date: dateOnlySchema });

export const reportUpdateSchema = z
  .object({
    revision: z.number().int().min(0),
    content: z.record(sectionKeySchema, richText).optional(),
    ccUserIds: z.array(idSchema).max(50).optional(),
    ccDepartmentIds: z.array(idSchema).max(20).optional(),
  })
  .refine((v) => v.content !== undefined || v.ccUserIds !== undefined || v.ccDepartmentIds !== undefined, 'change the content or the cc list');

export const reportSubmitSchema = z.object({ revision: z.number().int().min(0) });

/** The passage a reader selected: the section as it looks with the new mark around the passage. */
export const annotationAnchorSchema = z.object({
  sectionKey: sectionKeySchema,
  markId: z.string().regex(MARK_ID_PATTERN, 'must be a mark id of letters, digits, _ and -'),
  revision: z.number().int().min(0),
  document: richText,
});
export const reportAnnotationSchema = z.object({ body: richText, anchor: annotationAnchorSchema.optional() });
export const annotationEditSchema = z.object({ body: richText });

const cursor = z.string().max(400).optional();
const limit = z.coerce.number().int().min(1).max(100).default(50);

export const inboxQuerySchema = z
  .object({
    authorId: idSchema.optional(),
    departmentId: idSchema.optional(),
    kind: kind.optional(),
    from: dateOnlySchema.optional(),
    to: dateOnlySchema.optional(),
    status: z.enum(['unread', 'read', 'late', 'on_time']).optional(),
    cursor,
    limit,
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'from must not be after to', path: ['to'] });

export const mineQuerySchema = z.object({ kind: kind.optional(), cursor, limit });

export const statusQuerySchema = z.object({
  departmentId: idSchema.optional(),
  kind: kind.default('daily'),
  view: z.enum(['day', 'week', 'month']).default('day'),
  date: dateOnlySchema,
});

export const reportsExportQuerySchema = z
  .object({ from: dateOnlySchema, to: dateOnlySchema, kind: kind.optional(), departmentId: idSchema.optional() })
  .refine((v) => v.from <= v.to, { message: 'from must not be after to', path: ['to'] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 400 * 86_400_000, { message: 'at most 400 days at once', path: ['to'] });

export const remindNowSchema = z.object({ departmentId: idSchema.optional(), kind, date: dateOnlySchema });

export const exemptionSchema = z.object({ userId: idSchema, kind, date: dateOnlySchema, reason: lineSchema().max(200).default('') });

export const ruleSchema = z.object({
  kind,
  departmentId: idSchema.nullable().default(null),
  required: z.boolean().default(true),
  deadlineDay: z.number().int().min(0).max(31),
  deadlineTime: timeOfDaySchema,
  remindRrule: z.string().max(500).nullable().default(null),
  remindTime: timeOfDaySchema.nullable().default(null),
  lateReminder: z.boolean().default(false),
  headDigest: z.boolean().default(false),
  lateTime: timeOfDaySchema.default('19:00'),
  channels: z.array(z.enum(['email', 'sms'])).max(2).default(['email']),
}).superRefine((rule, ctx) => {
  const most = { daily: 5, weekly: 7, monthly: 31 }[rule.kind];
  if (rule.deadlineDay > most) ctx.addIssue({ code: 'custom', path: ['deadlineDay'], message: `must be at most ${most} for ${rule.kind} reports`, params: { code: 'out_of_range' } });
  if ((rule.remindRrule === null) !== (rule.remindTime === null)) ctx.addIssue({ code: 'custom', path: ['remindTime'], message: 'give both the reminder rule and its time, or neither', params: { code: 'incomplete_reminder' } });
});
export const ruleQuerySchema = z.object({ kind: kind.optional() });

export const holidaySchema = z.object({ kind: z.enum(['holiday', 'workday']), name: lineSchema().max(100).default('') });
export const calendarQuerySchema = z.object({ year: z.coerce.number().int().min(1900).max(9999).optional() });
