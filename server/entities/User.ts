import { defineEntity, p } from '@mikro-orm/core';
import { Department } from './Department.js';

const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    // Stored lower-cased so the unique index makes e-mail addresses case-insensitive.
    email: p.string().length(254).unique(),
    displayName: p.string().length(100),
    passwordHash: p.string().hidden().lazy(),
    locale: p.enum(['zh-CN', 'en'] as const).default('zh-CN'),
    timeZone: p.string().length(64).default('Asia/Shanghai'),
    mobile: p.string().length(16).nullable(),
    department: () => p.manyToOne(Department).deleteRule('restrict').index(),
    // Since when the user is in that department; the ones before are in department_history.
    departmentSince: p.datetime().defaultRaw('now()'),
    role: p.enum(['admin', 'member'] as const).default('member'),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** A staff member who signs in; belongs to exactly one department. */
export class User extends UserSchema.class {}
UserSchema.setClass(User);
export { UserSchema };
