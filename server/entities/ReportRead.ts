import { defineEntity, p } from '@mikro-orm/core';
import { Report } from './Report.js';
import { User } from './User.js';

const ReportReadSchema = defineEntity({
  name: 'ReportRead',
  tableName: 'report_reads',
  // What one has read: the inbox's unread markers and its read / unread filter.
  indexes: [{ properties: ['user', 'report'], name: 'report_reads_user_idx' }],
  properties: {
    report: () => p.manyToOne(Report).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    readAt: p.datetime(),
  },
});

/** 已阅: someone other than the author opened a submitted report. */
export class ReportRead extends ReportReadSchema.class {}
ReportReadSchema.setClass(ReportRead);
export { ReportReadSchema };
