import { defineEntity, p } from '@mikro-orm/core';
import { Department } from './Department.js';
import { ReportTemplate } from './ReportTemplate.js';
import { User } from './User.js';

const ReportSchema = defineEntity({
  name: 'Report',
  tableName: 'reports',
  uniques: [{ properties: ['author', 'kind', 'periodStart'], name: 'reports_author_period_unique' }],
  indexes: [
    // Inboxes and exports walk submitted reports newest first.
    {
      name: 'reports_submitted_idx',
      expression: 'create index "reports_submitted_idx" on "reports" ("submitted_at" desc, "id" desc) where "status" = \'submitted\'',
    },
    { properties: ['department', 'periodStart'], name: 'reports_department_period_idx' },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    author: () => p.manyToOne(User).deleteRule('cascade'),
    kind: p.enum(['daily', 'weekly', 'monthly'] as const),
    periodStart: p.string().columnType('date'),
    periodEnd: p.string().columnType('date'),
    template: () => p.manyToOne(ReportTemplate).deleteRule('set null').nullable(),
    // The template's sections when the report was opened, so that later template changes leave it readable.
    sections: p.json<Record<string, unknown>[]>(),
    // Lexical JSON per section key, and all of it as plain text (previews, exports, search).
    content: p.json<Record<string, Record<string, unknown>>>(),
    text: p.text().default(''),
    status: p.enum(['draft', 'submitted'] as const).default('draft'),
    // Every change of the content (and every passage mark) moves it; saves name the revision they started from.
    revision: p.integer().default(0),
    // Moves when the author changes a report someone has read: the earlier one is kept in report_versions.
    version: p.integer().default(1),
    // The author's department when the report was opened and again when submitted.
    department: () => p.manyToOne(Department).deleteRule('set null').nullable(),
    deadlineAt: p.datetime().nullable(),
    submittedAt: p.datetime().nullable(),
    firstReadAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** One author's daily, weekly or monthly report for one period (日报 / 周报 / 月报). */
export class Report extends ReportSchema.class {}
ReportSchema.setClass(Report);
export { ReportSchema };
