import { defineEntity, p } from '@mikro-orm/core';
import { ScheduleEntry } from './ScheduleEntry.js';
import { User } from './User.js';

const AnnotationSchema = defineEntity({
  name: 'Annotation',
  tableName: 'annotations',
  indexes: [{ properties: ['entry', 'id'], name: 'annotations_entry_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    entry: () => p.manyToOne(ScheduleEntry).deleteRule('cascade'),
    // A reply under an annotation points at it; annotations themselves have none.
    parent: () => p.manyToOne(Annotation).deleteRule('cascade').nullable(),
    author: () => p.manyToOne(User).deleteRule('cascade'),
    body: p.json<Record<string, unknown>>(),
    text: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A superior's remark (批注) on a schedule entry, or a reply under one. */
export class Annotation extends AnnotationSchema.class {}
AnnotationSchema.setClass(Annotation);
export { AnnotationSchema };
