import type { EntityManager } from '@mikro-orm/postgresql';
import type { ScheduleEntryDTO } from '../../shared/schedule.js';
import type { User } from '../entities/User.js';
import { forbidden, notFound } from '../errors.js';
import { isSuperiorOf, managedDepartmentsSql, subordinateIdsOf, subordinateIdsSql } from './hierarchy.js';
import type { SqlFilter } from './customers.js';

/** The id of the user's department. */
export const departmentIdOf = (user: User) => String(typeof user.department === 'object' ? (user.department as { id: string }).id : user.department);

/**
 * Who sees a schedule entry (alias `e`): its owner, the owner's superiors, and, when the owner
 * shared it, the members of the department it was shared with. Applied in SQL to every list.
 * The subordinates are an array computed once (`= ANY(ARRAY(...))`): as a hashed `IN` subplan the
 * planner gave up the per-owner index scans of a department month and read every entry of the
 * company in the range (a member's view of their department took 30-60 ms instead of 1).
 */
export function entryVisibilityFilter(user: User, alias = 'e'): SqlFilter {
  return {
    sql: `(${alias}.owner_id = ? OR ${alias}.owner_id = ANY(ARRAY(${subordinateIdsSql})) OR ${alias}.shared_department_id = ?)`,
    params: [user.id, user.id, user.id, departmentIdOf(user)],
  };
}

/**
 * The same rule as entryVisibilityFilter, asked of every user `u` of a query about entry `e`: who
 * may be told about the entry (the people an annotation mentions). The owner is a subordinate of
 * `u` when the owner's department is in the subtree `u` manages.
 */
export function entryAudienceSql(u: string, e: string): string {
  return `(${e}.owner_id = ${u}.id OR ${e}.owner_id IN (${subordinateIdsOf(`${u}.id`)}) OR ${e}.shared_department_id = ${u}.department_id)`;
}

type EntryAccess = { ownerId: string; customerId: string | null; rrule: string | null };

/** The entry if the user may see it, or a 404 that does not reveal whether it exists. */
export async function requireVisibleEntry(em: EntityManager, user: User, entryId: string): Promise<EntryAccess> {
  const filter = entryVisibilityFilter(user);
  const [row] = await em.execute<{ owner_id: string; customer_id: string | null; rrule: string | null }[]>(
    `SELECT e.owner_id::text AS owner_id, e.customer_id::text AS customer_id, e.rrule FROM schedule_entries e WHERE e.id = ? AND ${filter.sql}`,
    [entryId, ...filter.params],
  );
  if (!row) throw notFound('The schedule entry');
  return { ownerId: String(row.owner_id), customerId: row.customer_id ? String(row.customer_id) : null, rrule: row.rrule };
}

/**
 * What a viewer may do with an entry of `ownerId`, given whether they are a superior of the owner
 * (which list queries know from how they found the entries): the `can` of ScheduleEntryDTO, and
 * the same rules the require… checks below enforce.
 */
export function entryAbilities(viewerId: string, ownerId: string, superiorOfOwner: boolean): ScheduleEntryDTO['can'] {
  const owner = viewerId === ownerId;
  return { edit: owner, annotate: superiorOfOwner && !owner, reply: owner || superiorOfOwner };
}

/** The abilities of a viewer on entries of owners who are, or are not, their subordinates. */
export const abilitiesFor = (viewerId: string, isSubordinate: (ownerId: string) => boolean) => (ownerId: string) => entryAbilities(viewerId, ownerId, isSubordinate(ownerId));

/**
 * Whose schedule one may look at: one's own, a subordinate's, or a colleague's of the same
 * department (then only what they shared, which the visibility filter sees to); anyone else's is a 404.
 */
export async function requirePersonScheduleViewer(em: EntityManager, viewer: User, userId: string): Promise<{ superior: boolean }> {
  if (userId === viewer.id) return { superior: false };
  if (await isSuperiorOf(em, viewer.id, userId)) return { superior: true };
  const same = await em.execute(`SELECT 1 FROM users WHERE id = ? AND department_id = ?`, [userId, departmentIdOf(viewer)]);
  if (!same.length) throw notFound('The person’s schedule');
  return { superior: false };
}

/**
 * A department's schedule is for the managers of it (or above it), who see every entry of its
 * members, and for its own members, who see what was shared; anyone else gets a 404.
 */
export async function requireDepartmentScheduleViewer(em: EntityManager, viewer: User, departmentId: string): Promise<{ manages: boolean }> {
  const managed = await em.execute(`SELECT 1 FROM (${managedDepartmentsSql}) m WHERE m.id = ?`, [viewer.id, departmentId]);
  if (!managed.length && departmentIdOf(viewer) !== departmentId) throw notFound('The department’s schedule');
  return { manages: managed.length > 0 };
}

/** Only the owner changes an entry and records its result; others who see it get a 403. */
export async function requireEntryOwner(em: EntityManager, user: User, entryId: string): Promise<EntryAccess> {
  const entry = await requireVisibleEntry(em, user, entryId);
  if (entry.ownerId !== user.id) throw forbidden('Only the owner of the schedule entry may change it');
  return entry;
}

/**
 * The owner of an entry and their superiors reply under one of its annotations (not under a reply);
 * an annotation of an entry the user cannot see is a 404 like one that does not exist.
 */
export async function requireAnnotationReplier(em: EntityManager, user: User, annotationId: string): Promise<{ entryId: string; ownerId: string }> {
  const [parent] = await em.execute<{ entry_id: string; parent_id: string | null }[]>(`SELECT entry_id::text AS entry_id, parent_id FROM annotations WHERE id = ?`, [annotationId]);
  if (!parent || parent.parent_id) throw notFound('The annotation');
  const entry = await requireVisibleEntry(em, user, String(parent.entry_id)).catch(() => {
    throw notFound('The annotation');
  });
  if (entry.ownerId !== user.id && !(await isSuperiorOf(em, user.id, entry.ownerId))) throw forbidden('Only the owner of the entry and their superiors may reply to an annotation');
  return { entryId: String(parent.entry_id), ownerId: entry.ownerId };
}

/** Superiors of the owner annotate an entry; the owner and colleagues it was shared with may not. */
export async function requireAnnotator(em: EntityManager, user: User, entryId: string): Promise<EntryAccess> {
  const entry = await requireVisibleEntry(em, user, entryId);
  if (!(await isSuperiorOf(em, user.id, entry.ownerId))) throw forbidden('Only superiors of the owner may annotate a schedule entry');
  return entry;
}
