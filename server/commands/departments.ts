import type { EntityManager } from '@mikro-orm/postgresql';
import { Department } from '../entities/Department.js';
import { User } from '../entities/User.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { departmentSuperiorIds, isInSubtree, subtreeMemberIds } from '../policies/hierarchy.js';
import { lockFor } from '../db/sql.js';
import { changes } from './audit/record.js';
import type { CommandContext } from './context.js';

async function loadManagers(em: EntityManager, ids: string[]) {
  const unique = [...new Set(ids)];
  const users = await em.find(User, { id: { $in: unique } });
  if (users.length !== unique.length) throw badRequest('Some managers do not exist', [{ path: 'managerIds', message: 'unknown user', code: 'unknown_user' }]);
  return users;
}

/** Creates a department under a parent (or as a new root). */
export async function departmentCreator(cx: CommandContext, input: { name: string; parentId?: string | null; managerIds?: string[] }) {
  const em = cx.em;
  const parent = input.parentId ? await em.findOne(Department, input.parentId) : null;
  if (input.parentId && !parent) throw badRequest('The parent department does not exist', [{ path: 'parentId', message: 'unknown department', code: 'unknown_department' }]);
  const department = em.create(Department, { name: input.name, parent });
  if (input.managerIds) department.managers.set(await loadManagers(em, input.managerIds));
  await em.flush();
  await cx.audit({ action: 'department.created', targetType: 'department', targetId: String(department.id), data: { name: input.name, parentId: parent ? String(parent.id) : null, managerIds: input.managerIds ?? [] } });
  return department;
}

/** Renames, moves (never under itself or its own descendants) or sets the managers of a department. */
export async function departmentUpdater(cx: CommandContext, id: string, input: { name?: string; parentId?: string | null; managerIds?: string[] }) {
  const tx = cx.em;
  const department = await tx.findOne(Department, id, { populate: ['managers'] });
  if (!department) throw notFound('The department');
  const before = { name: department.name, parentId: department.parent ? String(department.parent.id) : null, managerIds: department.managers.getItems().map((m) => String(m.id)).sort() };
  if (input.name !== undefined) department.name = input.name;
  // Who may see what follows the tree (a manager sees their subordinates' customers, reports, …):
  // those who may lose sight of something are re-checked once the change commits.
  const accessChanged = new Set<string>();
  if (input.managerIds !== undefined) {
    const kept = new Set(input.managerIds);
    for (const manager of department.managers) if (!kept.has(manager.id)) accessChanged.add(manager.id);
  }
  if (input.parentId !== undefined && input.parentId !== (department.parent?.id ?? null)) {
    // Its former superiors lose its people; its people have a new place in the tree.
    for (const userId of [...(await departmentSuperiorIds(tx, department.id)), ...(await subtreeMemberIds(tx, department.id))]) accessChanged.add(userId);
  }
  if (input.parentId !== undefined) {
    if (input.parentId === null) {
      department.parent = null;
    } else {
      // Moves are serialised: two crossing moves (A under B, B under A) would each pass the check alone and make a cycle.
      await lockFor(tx, 'huitong.departments.tree');
      const parent = await tx.findOne(Department, input.parentId);
      if (!parent) throw badRequest('The parent department does not exist', [{ path: 'parentId', message: 'unknown department', code: 'unknown_department' }]);
      if (await isInSubtree(tx, department.id, parent.id)) throw conflict('A department cannot move under itself or one of its own sub-departments');
      department.parent = parent;
    }
  }
  if (input.managerIds !== undefined) department.managers.set(await loadManagers(tx, input.managerIds));
  await tx.flush();
  const changed = changes(before, { name: input.name, parentId: input.parentId, managerIds: input.managerIds ? [...new Set(input.managerIds)].map(String).sort() : undefined });
  if (Object.keys(changed).length) await cx.audit({ action: 'department.changed', targetType: 'department', targetId: String(department.id), data: changed });
  if (accessChanged.size) cx.sockets.recheckAccess({ users: [...accessChanged] });
  return department;
}

/** Deletes a department that has neither members nor sub-departments. */
export async function departmentDeleter(cx: CommandContext, id: string) {
  const em = cx.em;
  const department = await em.findOne(Department, id);
  if (!department) throw notFound('The department');
  if ((await em.count(User, { department: id })) > 0) throw conflict('The department still has members; move them first');
  if ((await em.count(Department, { parent: id })) > 0) throw conflict('The department still has sub-departments; move or delete them first');
  await em.remove(department).flush();
  await cx.audit({ action: 'department.deleted', targetType: 'department', targetId: String(id), data: { name: department.name } });
}
