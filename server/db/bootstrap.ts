import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Department } from '../entities/Department.js';
import { User } from '../entities/User.js';
import { hashPassword } from '../auth/passwords.js';
import { passwordStrength, weakPasswordIssue } from '../../shared/schemas/password.js';

/**
 * On an empty database, creates the head-office department and the first administrator,
 * from ADMIN_EMAIL / ADMIN_PASSWORD or with a random password that the caller prints once.
 */
export async function ensureFirstAdmin(em: EntityManager, options: { email?: string; password?: string }): Promise<{ email: string; password?: string; generated: boolean } | null> {
  if ((await em.count(User, {})) > 0) return null;
  const email = (options.email ?? 'admin@example.com').toLowerCase();
  const generated = !options.password;
  const password = options.password ?? randomBytes(12).toString('base64url');
  // Judged only when it is used: a deployment whose administrator exists keeps starting with the setting it has.
  const strength = passwordStrength(password, [email]);
  if (!strength.strong) throw new Error(`ADMIN_PASSWORD ${weakPasswordIssue(strength).message}`);
  const root = (await em.findOne(Department, { parent: null }, { orderBy: { id: 'asc' } })) ?? em.create(Department, { name: '总部', parent: null });
  em.create(User, { email, displayName: '管理员', passwordHash: await hashPassword(password), department: root, role: 'admin' });
  await em.flush();
  return { email, password: generated ? password : undefined, generated };
}
