import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const DepartmentSchema = defineEntity({
  name: 'Department',
  tableName: 'departments',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    name: p.string().length(120),
    parent: () => p.manyToOne(Department).nullable().deleteRule('restrict').index(),
    managers: () => p.manyToMany(User).pivotTable('department_managers').joinColumn('department_id').inverseJoinColumn('user_id').owner(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A node of the organisation tree; its managers are the superiors of everyone in its subtree. */
export class Department extends DepartmentSchema.class {}
DepartmentSchema.setClass(Department);
export { DepartmentSchema };
