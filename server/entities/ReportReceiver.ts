import { defineEntity, p } from '@mikro-orm/core';
import { Report } from './Report.js';
import { User } from './User.js';

const ReportReceiverSchema = defineEntity({
  name: 'ReportReceiver',
  tableName: 'report_receivers',
  indexes: [
    { properties: ['user', 'report'], name: 'report_receivers_user_idx' },
    // The inbox: what was sent to one, newest first.
    { name: 'report_receivers_inbox_idx', expression: 'create index "report_receivers_inbox_idx" on "report_receivers" ("user_id", "submitted_at" desc, "report_id" desc)' },
  ],
  properties: {
    report: () => p.manyToOne(Report).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    // A superior of the author when it was submitted (position 0 the direct head), someone the author
    // copied in, or a member or head of a department the author copied in (when it was submitted).
    role: p.enum(['superior', 'cc', 'cc_department'] as const),
    position: p.smallint().default(0),
    // The report's submission time, copied so that an inbox is one range of an index (null while a draft's copy list).
    submittedAt: p.datetime().nullable(),
  },
});

/** Someone a report was sent to. */
export class ReportReceiver extends ReportReceiverSchema.class {}
ReportReceiverSchema.setClass(ReportReceiver);
export { ReportReceiverSchema };
