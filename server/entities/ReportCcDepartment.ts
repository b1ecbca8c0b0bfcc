import { defineEntity, p } from '@mikro-orm/core';
import { Department } from './Department.js';
import { Report } from './Report.js';

const ReportCcDepartmentSchema = defineEntity({
  name: 'ReportCcDepartment',
  tableName: 'report_cc_departments',
  properties: {
    report: () => p.manyToOne(Report).primary().deleteRule('cascade'),
    department: () => p.manyToOne(Department).primary().deleteRule('cascade'),
  },
});

/** A department (with everything below it) a report was copied to. */
export class ReportCcDepartment extends ReportCcDepartmentSchema.class {}
ReportCcDepartmentSchema.setClass(ReportCcDepartment);
export { ReportCcDepartmentSchema };
