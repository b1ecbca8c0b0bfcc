import { defineEntity, p } from '@mikro-orm/core';
import { Customer } from './Customer.js';
import { Report } from './Report.js';
import { ScheduleEntry } from './ScheduleEntry.js';

const ReportLinkSchema = defineEntity({
  name: 'ReportLink',
  tableName: 'report_links',
  indexes: [{ properties: ['customer'], name: 'report_links_customer_idx' }],
  properties: {
    report: () => p.manyToOne(Report).primary().deleteRule('cascade'),
    entry: () => p.manyToOne(ScheduleEntry).primary().deleteRule('cascade'),
    customer: () => p.manyToOne(Customer).deleteRule('set null').nullable(),
  },
});

/** A schedule entry (and its customer) a report was drafted from. */
export class ReportLink extends ReportLinkSchema.class {}
ReportLinkSchema.setClass(ReportLink);
export { ReportLinkSchema };
