import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const ReportExemptionSchema = defineEntity({
  name: 'ReportExemption',
  tableName: 'report_exemptions',
  properties: {
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    kind: p.string().length(10).primary(),
    periodStart: p.string().columnType('date').primary(),
    reason: p.string().length(200).default(''),
    createdBy: () => p.manyToOne(User).deleteRule('set null').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A period a person need not report (leave, a business trip), set by a superior. */
export class ReportExemption extends ReportExemptionSchema.class {}
ReportExemptionSchema.setClass(ReportExemption);
export { ReportExemptionSchema };
