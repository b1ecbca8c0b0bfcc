import { defineEntity, p } from '@mikro-orm/core';
import { Department } from './Department.js';
import { Reminder } from './Reminder.js';
import { User } from './User.js';

const ReportRuleSchema = defineEntity({
  name: 'ReportRule',
  tableName: 'report_rules',
  indexes: [
    // One rule per kind for the organisation (no department) and per kind and department.
    { name: 'report_rules_kind_department_idx', expression: 'create unique index "report_rules_kind_department_idx" on "report_rules" ("kind", coalesce("department_id", 0))' },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    kind: p.enum(['daily', 'weekly', 'monthly'] as const),
    department: () => p.manyToOne(Department).deleteRule('cascade').nullable(),
    required: p.boolean().default(true),
    // See shared/reportPeriods.ts deadlineDay.
    deadlineDay: p.smallint(),
    deadlineTime: p.string().length(8),
    remindRrule: p.string().length(500).nullable(),
    remindTime: p.string().length(8).nullable(),
    lateReminder: p.boolean().default(false),
    headDigest: p.boolean().default(false),
    lateTime: p.string().length(8).default('19:00'),
    channels: p.json<('email' | 'sms')[]>(),
    // The reminders (of the rule's last editor) that fire before the deadline and after it.
    reminder: () => p.manyToOne(Reminder).deleteRule('set null').nullable(),
    lateReminderRef: () => p.manyToOne(Reminder).fieldName('late_reminder_id').deleteRule('set null').nullable(),
    updatedBy: () => p.manyToOne(User).deleteRule('set null').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** Whether, by when and with which reminders a kind of report is due in a department subtree (or the whole organisation). */
export class ReportRule extends ReportRuleSchema.class {}
ReportRuleSchema.setClass(ReportRule);
export { ReportRuleSchema };
