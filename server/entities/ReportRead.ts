import { defineEntity, p } from '@mikro-orm/core';
import { Report } from './Report.js';
import { User } from './User.js';

const ReportReadSchema = defineEntity({
  name: 'ReportRead',
  tableName: 'report_reads',
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
