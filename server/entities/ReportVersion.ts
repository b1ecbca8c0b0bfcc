import { defineEntity, p } from '@mikro-orm/core';
import { Report } from './Report.js';

const ReportVersionSchema = defineEntity({
  name: 'ReportVersion',
  tableName: 'report_versions',
  properties: {
    report: () => p.manyToOne(Report).primary().deleteRule('cascade'),
    version: p.integer().primary(),
    sections: p.json<Record<string, unknown>[]>(),
    content: p.json<Record<string, Record<string, unknown>>>(),
    text: p.text(),
    submittedAt: p.datetime().nullable(),
    // When the author replaced it.
    savedAt: p.datetime(),
  },
});

/** An earlier version of a report, kept readable after the author changed a report that had been read. */
export class ReportVersion extends ReportVersionSchema.class {}
ReportVersionSchema.setClass(ReportVersion);
export { ReportVersionSchema };
