import { defineEntity, p } from '@mikro-orm/core';
import { Customer } from './Customer.js';
import { User } from './User.js';

const ScheduleEntrySchema = defineEntity({
  name: 'ScheduleEntry',
  tableName: 'schedule_entries',
  indexes: [
    // One person / a department over a range: owner_id = ANY(..) AND starts_at in a bounded window.
    { properties: ['owner', 'startsAt'], name: 'schedule_entries_owner_starts_idx' },
    // Visits to a customer over a range.
    { properties: ['customer', 'startsAt'], name: 'schedule_entries_customer_starts_idx' },
    // Long entries and recurring masters cannot bound starts_at; they are few, and found here.
    {
      name: 'schedule_entries_unbounded_owner_idx',
      expression: 'create index "schedule_entries_unbounded_owner_idx" on "schedule_entries" ("owner_id", "starts_at") where "long" or "rrule" is not null',
    },
    {
      name: 'schedule_entries_unbounded_customer_idx',
      expression: 'create index "schedule_entries_unbounded_customer_idx" on "schedule_entries" ("customer_id", "starts_at") where "long" or "rrule" is not null',
    },
    // Occurrences edited on their own, per recurring entry: every range with a recurring entry in it
    // looks them up, and edits, deletes and the cascade find them here instead of reading the table.
    {
      name: 'schedule_entries_master_idx',
      expression: 'create index "schedule_entries_master_idx" on "schedule_entries" ("master_id", "original_start") where "master_id" is not null',
    },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    owner: () => p.manyToOne(User).deleteRule('cascade'),
    kind: p.enum(['visit', 'call', 'meeting', 'task', 'other'] as const),
    title: p.string().length(200),
    description: p.json<Record<string, unknown>>().nullable(),
    descriptionText: p.text().default(''),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    allDay: p.boolean().default(false),
    // Longer than 36 hours: such entries (plans) are found through their own partial index, so
    // range queries can bound starts_at for every other entry.
    long: p.boolean().default(false),
    planPeriod: p.enum(['year', 'quarter', 'month', 'week', 'day'] as const).nullable(),
    customer: () => p.manyToOne(Customer).deleteRule('set null').nullable(),
    contactIds: p.json<string[]>(),
    status: p.enum(['planned', 'done', 'cancelled'] as const).default('planned'),
    result: p.json<Record<string, unknown>>().nullable(),
    resultText: p.text().default(''),
    // The department the owner shared the entry with (their own, at the time), or null.
    sharedDepartmentId: p.bigint('string').nullable().index(),
    // Recurrence (RFC 5545): a master carries the rule; dtstart is local wall-clock time in timeZone.
    rrule: p.string().length(500).nullable(),
    timeZone: p.string().length(64),
    exdates: p.json<string[]>(),
    seriesEndsAt: p.datetime().nullable(),
    // An occurrence edited on its own: the master and the original start it replaces.
    master: () => p.manyToOne(ScheduleEntry).deleteRule('cascade').nullable(),
    originalStart: p.datetime().nullable(),
    reminderOffsets: p.json<number[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** A planned or done piece of work of one person: a visit, call, meeting, task or plan. */
export class ScheduleEntry extends ScheduleEntrySchema.class {}
ScheduleEntrySchema.setClass(ScheduleEntry);
export { ScheduleEntrySchema };
