import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const ReportTemplateSchema = defineEntity({
  name: 'ReportTemplate',
  tableName: 'report_templates',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    name: p.string().length(100),
    kinds: p.json<string[]>(),
    // [{ key, title, titleEn, required, fill }]
    sections: p.json<Record<string, unknown>[]>(),
    // The departments (subtrees) it applies to; empty for a built-in template, which applies where no other does.
    departmentIds: p.json<string[]>(),
    builtIn: p.boolean().default(false),
    active: p.boolean().default(true),
    createdBy: () => p.manyToOne(User).deleteRule('set null').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** The sections reports of some kinds are written in, for some departments. */
export class ReportTemplate extends ReportTemplateSchema.class {}
ReportTemplateSchema.setClass(ReportTemplate);
export { ReportTemplateSchema };
