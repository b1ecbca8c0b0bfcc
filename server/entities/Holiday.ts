import { defineEntity, p } from '@mikro-orm/core';

const HolidaySchema = defineEntity({
  name: 'Holiday',
  tableName: 'org_holidays',
  properties: {
    day: p.string().columnType('date').primary(),
    // A holiday on a working day, or a weekend day made a working day (调休).
    kind: p.enum(['holiday', 'workday'] as const),
    name: p.string().length(100).default(''),
  },
});

/** A day of the organisation's calendar that differs from Monday-to-Friday. */
export class Holiday extends HolidaySchema.class {}
HolidaySchema.setClass(Holiday);
export { HolidaySchema };
