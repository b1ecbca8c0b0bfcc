import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Department } from '../entities/Department.js';
import { User } from '../entities/User.js';
import { hashPassword } from '../auth/passwords.js';
import { revokeUserSessions } from '../auth/sessions.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { requireAnotherAdminRemains } from '../policies/users.js';
import { departmentSuperiorIds } from '../policies/hierarchy.js';
import type { CommandContext } from './context.js';
import { announcementJoiner } from './announcements/joiners.js';
import { changes } from './audit/record.js';

async function requireDepartment(em: EntityManager, id: string) {
  const department = await em.findOne(Department, id);
  if (!department) throw badRequest('The department does not exist', [{ path: 'departmentId', message: 'unknown department', code: 'unknown_department' }]);
  return department;
}

const emailTaken = (email: string) => conflict(`Another user already has the e-mail address ${email}`);

async function ensureEmailFree(em: EntityManager, email: string, exceptId?: string) {
  const existing = await em.findOne(User, { email });
  if (existing && existing.id !== exceptId) throw emailTaken(email);
}

/** Flushes; a concurrent request that took the same e-mail address first makes it a 409, not a 500. */
async function flushUser(em: EntityManager, email: string | undefined) {
  try {
    await em.flush();
  } catch (error) {
    if (email !== undefined && error instanceof UniqueConstraintViolationException && /users_email/.test(error.message)) throw emailTaken(email);
    throw error;
  }
}

type UserInput = { email: string; displayName: string; password: string; departmentId: string; role: 'admin' | 'member'; locale: 'zh-CN' | 'en'; timeZone: string; mobile?: string | null };

/** Creates a user account. */
export async function userCreator(cx: CommandContext, input: UserInput) {
  const em = cx.em;
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
  await flushUser(em, input.email);
  await cx.audit({ action: 'user.created', targetType: 'user', targetId: String(user.id), data: { email: user.email, role: user.role, departmentId: String(department.id) } });
  // A new hire receives the policies and pinned announcements that stand in their department.
  await announcementJoiner(cx, [user.id]);
  return user;
}

/** Edits a user; deactivating one ends all their sessions and closes their sockets at once. */
export async function userUpdater(cx: CommandContext, id: string, input: Partial<Omit<UserInput, 'password' | 'departmentId'>> & { departmentId?: string; active?: boolean }) {
  const tx = cx.em;
  const user = await tx.findOne(User, id);
  if (!user) throw notFound('The user');
  if (input.email !== undefined) await ensureEmailFree(tx, input.email, user.id);
  if ((input.active === false && user.active) || (input.role === 'member' && user.role === 'admin')) {
    if (user.role === 'admin') await requireAnotherAdminRemains(tx, user);
  }
  const { departmentId, ...rest } = input;
  // Who may see what follows the user's role and place in the tree: the user, and their superiors
  // until now (who lose sight of what only a superior of theirs may see), are re-checked.
  const accessChanged = new Set<string>();
  const previousDepartment = String(user.department.id);
  if (departmentId !== undefined && departmentId !== previousDepartment) {
    for (const id of [user.id, ...(await departmentSuperiorIds(tx, user.department.id))]) accessChanged.add(id);
  }
  if (input.role !== undefined && input.role !== user.role) accessChanged.add(user.id);
  const wasActive = user.active;
  const audited = { email: user.email, displayName: user.displayName, role: user.role, departmentId: previousDepartment, active: user.active, mobile: user.mobile };
  if (departmentId !== undefined) user.department = await requireDepartment(tx, departmentId);
  tx.assign(user, rest);
  await flushUser(tx, input.email);
  if (departmentId !== undefined && departmentId !== previousDepartment) {
    // The department they leave goes into their history (the status views count people where they were then).
    await tx.execute(
      `WITH old AS (SELECT id, department_since FROM users WHERE id = ?)
       INSERT INTO department_history (user_id, department_id, valid_from, valid_to) SELECT id, ?, department_since, now() FROM old`,
      [user.id, previousDepartment],
    );
    await tx.execute(`UPDATE users SET department_since = now() WHERE id = ?`, [user.id]);
  }
  const changed = changes(audited, { email: input.email, displayName: input.displayName, role: input.role, departmentId, active: input.active, mobile: input.mobile });
  if (Object.keys(changed).length) await cx.audit({ action: 'user.changed', targetType: 'user', targetId: String(user.id), data: changed });
  if (accessChanged.size) cx.sockets.recheckAccess({ users: [...accessChanged] });
  // Someone who moved into another department (or came back) receives what stands there.
  if (user.active && (String(user.department.id) !== previousDepartment || !wasActive)) await announcementJoiner(cx, [user.id]);
  if (input.active === false) {
    // Closing their sockets everywhere is the end of all their access.
    await revokeUserSessions(tx, user.id);
    cx.sockets.endUser(user.id, 'deactivated');
  }
  return user;
}

/** Sets a new password chosen by an administrator and signs the user out everywhere. */
export async function passwordResetter(cx: CommandContext, id: string, password: string) {
  const em = cx.em;
  const user = await em.findOne(User, id);
  if (!user) throw notFound('The user');
  user.passwordHash = await hashPassword(password);
  await em.flush();
  const revoked = await revokeUserSessions(em, user.id);
  await cx.audit({ action: 'user.password_reset', targetType: 'user', targetId: String(user.id), data: { revokedSessions: revoked.length } });
  cx.sockets.endUser(user.id, 'password_changed');
}

/** Changes the signed-in user's own name, language, time zone or mobile number. */
export async function profileUpdater(cx: CommandContext, input: { displayName?: string; locale?: 'zh-CN' | 'en'; timeZone?: string; mobile?: string | null }) {
  const user = await cx.em.findOneOrFail(User, cx.actor.id);
  cx.em.assign(user, input);
  await cx.em.flush();
  return user;
}
