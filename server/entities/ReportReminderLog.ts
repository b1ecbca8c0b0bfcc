import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const ReportReminderLogSchema = defineEntity({
  name: 'ReportReminderLog',
  tableName: 'report_reminder_log',
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    kind: p.string().length(10).primary(),
    periodStart: p.string().columnType('date').primary(),
    // before | late | manual | digest:<rule id>
    stage: p.string().length(40).primary(),
    sentAt: p.datetime(),
  },
});

/** A reminder to submit (or a digest of the missing) sent for a period: the key that makes each go out once per person and period. */
export class ReportReminderLog extends ReportReminderLogSchema.class {}
ReportReminderLogSchema.setClass(ReportReminderLog);
export { ReportReminderLogSchema };
