import { defineEntity, p } from '@mikro-orm/core';
import { Report } from './Report.js';
import { User } from './User.js';

const ReportReceiverSchema = defineEntity({
  name: 'ReportReceiver',
  tableName: 'report_receivers',
  indexes: [{ properties: ['user', 'report'], name: 'report_receivers_user_idx' }],
  properties: {
    report: () => p.manyToOne(Report).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    // A superior of the author when it was submitted (position 0 the direct head), or someone the author copied in.
    role: p.enum(['superior', 'cc'] as const),
    position: p.smallint().default(0),
  },
});

/** Someone a report was sent to. */
export class ReportReceiver extends ReportReceiverSchema.class {}
ReportReceiverSchema.setClass(ReportReceiver);
export { ReportReceiverSchema };
