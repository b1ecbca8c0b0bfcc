import type { EntityManager } from '@mikro-orm/postgresql';
import { Department } from '../entities/Department.js';
import { User } from '../entities/User.js';
import { hashPassword } from '../auth/passwords.js';
import { revokeUserSessions } from '../auth/sessions.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { RealtimeEmitter } from '../realtime/emitter.js';

async function requireDepartment(em: EntityManager, id: string) {
  const department = await em.findOne(Department, id);
  if (!department) throw badRequest('The department does not exist', [{ path: 'departmentId', message: 'unknown department' }]);
  return department;
}

async function ensureEmailFree(em: EntityManager, email: string, exceptId?: string) {
  const existing = await em.findOne(User, { email });
  if (existing && existing.id !== exceptId) throw conflict(`Another user already has the e-mail address ${email}`);
}

type UserInput = { email: string; displayName: string; password: string; departmentId: string; role: 'admin' | 'member'; locale: 'zh-CN' | 'en'; timeZone: string; mobile?: string | null };

/** Creates a user account. */
export async function userCreator(em: EntityManager, input: UserInput) {
  await ensureEmailFree(em, input.email);
  const department = await requireDepartment(em, input.departmentId);
  const user = em.create(User, {
    email: input.email,
    displayName: input.displayName,
    passwordHash: await hashPassword(input.password),
    department,
    role: input.role,
    locale: input.locale,
    timeZone: input.timeZone,
    mobile: input.mobile ?? null,
  });
  await em.flush();
  return user;
}

async function ensureAnotherAdminRemains(em: EntityManager, user: User) {
  const others = await em.count(User, { role: 'admin', active: true, id: { $ne: user.id } });
  if (others === 0) throw conflict('The organisation needs at least one active administrator');
}

/** Edits a user; deactivating one ends all their sessions and closes their sockets at once. */
export async function userUpdater(
  em: EntityManager,
  emitter: RealtimeEmitter,
  id: string,
  input: Partial<Omit<UserInput, 'password' | 'departmentId'>> & { departmentId?: string; active?: boolean },
) {
  const user = await em.findOne(User, id);
  if (!user) throw notFound('The user');
  if (input.email !== undefined) await ensureEmailFree(em, input.email, user.id);
  if ((input.active === false && user.active) || (input.role === 'member' && user.role === 'admin')) {
    if (user.role === 'admin') await ensureAnotherAdminRemains(em, user);
  }
  const { departmentId, ...rest } = input;
  if (departmentId !== undefined) user.department = await requireDepartment(em, departmentId);
  em.assign(user, rest);
  await em.flush();
  if (input.active === false) {
    await revokeUserSessions(em, user.id);
    emitter.endUserSockets(user.id, 'deactivated');
  }
  return user;
}

/** Sets a new password chosen by an administrator and signs the user out everywhere. */
export async function passwordResetter(em: EntityManager, emitter: RealtimeEmitter, id: string, password: string) {
  const user = await em.findOne(User, id);
  if (!user) throw notFound('The user');
  user.passwordHash = await hashPassword(password);
  await em.flush();
  await revokeUserSessions(em, user.id);
  emitter.endUserSockets(user.id, 'password_changed');
}
