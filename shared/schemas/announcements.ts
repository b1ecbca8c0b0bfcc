import { z } from 'zod';
import { announcementCategories, announcementPriorities, escalationChannels } from '../announcements.js';
import { idSchema, instantSchema, lineSchema } from './common.js';

const richText = z.record(z.string(), z.unknown());
const title = lineSchema().min(1, 'is required').max(200, 'must be at most 200 characters');

/** Who gets it: the whole company, department subtrees and/or named users (at least one of them). */
export const announcementScopeSchema = z
  .object({
    everyone: z.boolean().default(false),
    departmentIds: z.array(idSchema).max(100, 'at most 100 departments').default([]),
    userIds: z.array(idSchema).max(1000, 'at most 1,000 named people').default([]),
  })
  .refine((s) => s.everyone || s.departmentIds.length > 0 || s.userIds.length > 0, { message: 'name the whole company, departments or people', params: { code: 'empty_scope' } });

/** The longest delay of a ladder step the schema takes; the administrator's limit is usually lower. */
export const MAX_STEP_MINUTES = 90 * 24 * 60;

export const escalationLadderSchema = z
  .object({
    steps: z
      .array(z.object({ channel: z.enum(escalationChannels), afterMinutes: z.number().int('must be whole minutes').min(1, 'must be at least 1 minute').max(MAX_STEP_MINUTES, 'must be at most 90 days') }))
      .max(20, 'at most 20 steps')
      .default([]),
    repeat: z
      .object({
        channel: z.enum(['app', 'email', 'sms']),
        everyHours: z.number().int('must be whole hours').min(1, 'must be at least 1 hour').max(720, 'must be at most 720 hours'),
        times: z.number().int('must be a whole number').min(1, 'must be at least 1').max(60, 'must be at most 60'),
      })
      .nullable()
      .default(null),
  })
  .superRefine((ladder, ctx) => {
    if (ladder.steps.length === 0 && !ladder.repeat) ctx.addIssue({ code: 'custom', path: ['steps'], message: 'a ladder needs a step or a repeat', params: { code: 'empty_ladder' } });
    ladder.steps.forEach((step, i) => {
      if (i > 0 && step.afterMinutes <= ladder.steps[i - 1].afterMinutes) ctx.addIssue({ code: 'custom', path: ['steps', i, 'afterMinutes'], message: 'must come after the step before', params: { code: 'not_ascending' } });
    });
  });

export const announcementCreateSchema = z
  .object({
    title,
    /** Lexical editor state. */
    body: richText,
    category: z.enum(announcementCategories),
    priority: z.enum(announcementPriorities).default('normal'),
    requiresAck: z.boolean().default(false),
    scope: announcementScopeSchema,
    /** Publish later (scheduled); absent or null: now. */
    publishAt: instantSchema.nullable().default(null),
    expiresAt: instantSchema.nullable().default(null),
    pinned: z.boolean().default(false),
    escalation: escalationLadderSchema.nullable().default(null),
  })
  .superRefine((a, ctx) => {
    if (a.escalation && !a.requiresAck) ctx.addIssue({ code: 'custom', path: ['escalation'], message: 'only an announcement that must be acknowledged can escalate', params: { code: 'needs_acknowledgement' } });
    if (a.expiresAt && a.publishAt && Date.parse(a.expiresAt) <= Date.parse(a.publishAt)) ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be after the publish time', params: { code: 'before_publish' } });
  });
export type AnnouncementCreateInput = z.infer<typeof announcementCreateSchema>;

/** The people a scope reaches now, before publishing (the compose page's count). */
export const scopePreviewSchema = z.object({ scope: announcementScopeSchema });

/** Pin, unpin, or move the expiry of a published or scheduled announcement. */
export const announcementUpdateSchema = z
  .object({ pinned: z.boolean().optional(), expiresAt: instantSchema.nullable().optional() })
  .refine((v) => v.pinned !== undefined || v.expiresAt !== undefined, { message: 'nothing to change', params: { code: 'nothing_to_change' } });

/** A new version of a policy. */
export const announcementRevisionSchema = z.object({
  title: title.optional(),
  body: richText,
  /** Everyone must acknowledge the new version again. */
  requireReacknowledge: z.boolean().default(false),
});

const reply = lineSchema().max(200, 'must be at most 200 characters');

export const acknowledgeSchema = z.object({ reply: reply.optional() });
/** The socket event `announcement:acknowledge`: the same as the HTTP body, naming the announcement. */
export const acknowledgeEventSchema = z.object({ announcementId: idSchema, reply: reply.optional() });

export const remindSchema = z.object({ channel: z.enum(['app', 'email', 'sms']).default('email') });

export const announcementFeedQuerySchema = z.object({
  /** inbox: what I received; sent: what I published; all: everything I may see. */
  box: z.enum(['inbox', 'sent', 'all']).default('inbox'),
  category: z.enum(announcementCategories).optional(),
  q: lineSchema().max(100).optional(),
  unread: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const ledgerQuerySchema = z.object({
  state: z.enum(['unread', 'read', 'acknowledged', 'unacknowledged']).optional(),
  departmentId: idSchema.optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const escalationLimitsSchema = z.object({
  maxSteps: z.number().int().min(1).max(20),
  minDelayMinutes: z.number().int().min(1).max(1440),
  maxDelayDays: z.number().int().min(1).max(90),
  maxRepeats: z.number().int().min(0).max(60),
  allowSms: z.boolean(),
});
