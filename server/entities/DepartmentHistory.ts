import { defineEntity, p } from '@mikro-orm/core';
import { Department } from './Department.js';
import { User } from './User.js';

const DepartmentHistorySchema = defineEntity({
  name: 'DepartmentHistory',
  tableName: 'department_history',
  indexes: [{ properties: ['user', 'validTo'], name: 'department_history_user_idx' }, { properties: ['department', 'validTo'], name: 'department_history_department_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    department: () => p.manyToOne(Department).deleteRule('cascade'),
    validFrom: p.datetime(),
    validTo: p.datetime(),
  },
});

/** A department someone belonged to before (their current one is users.department_id since users.department_since). */
export class DepartmentHistory extends DepartmentHistorySchema.class {}
DepartmentHistorySchema.setClass(DepartmentHistory);
export { DepartmentHistorySchema };
