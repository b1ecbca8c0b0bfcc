import { defineEntity, p } from '@mikro-orm/core';
import { Department } from './Department.js';
import { MAX_PINYIN_KEY_LENGTH, pinyinKeys } from '../../shared/pinyin.js';

// Derived from the name on every write, so no path that names or renames someone can leave them stale.
const keysOf = (user: { displayName: string }) => pinyinKeys(user.displayName);

const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    // Stored lower-cased so the unique index makes e-mail addresses case-insensitive.
    email: p.string().length(254).unique(),
    displayName: p.string().length(100),
    /** Pinyin of the name for finding people ("wangfang"); see shared/pinyin.ts. */
    namePinyin: p.string().length(MAX_PINYIN_KEY_LENGTH).default('').onCreate((u) => keysOf(u).full).onUpdate((u) => keysOf(u).full),
    /** Pinyin initials of the name ("wf"). */
    nameInitials: p.string().length(MAX_PINYIN_KEY_LENGTH).default('').onCreate((u) => keysOf(u).initials).onUpdate((u) => keysOf(u).initials),
    passwordHash: p.string().hidden().lazy(),
    locale: p.enum(['zh-CN', 'en'] as const).default('zh-CN'),
    timeZone: p.string().length(64).default('Asia/Shanghai'),
    mobile: p.string().length(16).nullable(),
    department: () => p.manyToOne(Department).deleteRule('restrict').index(),
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
