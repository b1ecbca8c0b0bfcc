import { defineEntity, p } from '@mikro-orm/core';
import { Report } from './Report.js';
import { ScheduleEntry } from './ScheduleEntry.js';
import { User } from './User.js';

const AnnotationSchema = defineEntity({
  name: 'Annotation',
  tableName: 'annotations',
  indexes: [
    { properties: ['entry', 'id'], name: 'annotations_entry_idx' },
    { properties: ['report', 'id'], name: 'annotations_report_idx' },
    // A passage's mark id names one annotation of the report.
    {
      name: 'annotations_report_mark_idx',
      expression: 'create unique index "annotations_report_mark_idx" on "annotations" ("report_id", "mark_id") where "mark_id" is not null',
    },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    // The subject: exactly one of entry and report (a check constraint says so).
    entry: () => p.manyToOne(ScheduleEntry).deleteRule('cascade').nullable(),
    report: () => p.manyToOne(Report).deleteRule('cascade').nullable(),
    // A reply under an annotation points at it; annotations themselves have none.
    parent: () => p.manyToOne(Annotation).deleteRule('cascade').nullable(),
    author: () => p.manyToOne(User).deleteRule('cascade'),
    body: p.json<Record<string, unknown>>().nullable(),
    text: p.text(),
    // A passage anchor (reports): the section, the id of the mark around the passage, and its text then.
    sectionKey: p.string().length(40).nullable(),
    markId: p.string().length(64).nullable(),
    quote: p.text().nullable(),
    resolvedAt: p.datetime().nullable(),
    resolvedBy: () => p.manyToOne(User).deleteRule('set null').nullable(),
    editedAt: p.datetime().nullable(),
    // Deleted by its writer: kept (without its text) while replies hang under it.
    deletedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A remark (批注) on a schedule entry or a work report, possibly on one passage of it, or a reply under one. */
export class Annotation extends AnnotationSchema.class {}
AnnotationSchema.setClass(Annotation);
export { AnnotationSchema };
