import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserSummaryDTO } from '../../shared/dto.js';

/**
 * Superiors and subordinates are computed in PostgreSQL with recursive queries, so a
 * request never loads the department tree. The SQL fragments are exported for features
 * that filter their lists by hierarchy (schedule, reports).
 */

/**
 * Department ids of the subtree a user manages (the departments they manage and all below).
 * `userId` is SQL: `?` for a bound user, or a column (`u.id`) to ask it of every user of a query.
 */
export const managedDepartmentsOf = (userId: string) => `
  WITH RECURSIVE managed(id) AS (
    SELECT department_id FROM department_managers WHERE user_id = ${userId}
    UNION
    SELECT md.id FROM departments md JOIN managed mm ON md.parent_id = mm.id
  )
  SELECT id FROM managed`;

/** Ids of a user's subordinates: everyone in a department of the subtree they manage, except themselves. */
export const subordinateIdsOf = (userId: string) => `
  SELECT sub.id FROM users sub
  WHERE sub.department_id IN (${managedDepartmentsOf(userId)}) AND sub.id <> ${userId}`;

/** Ids of a department (one parameter: its id) and of every department below it, as a subquery. */
export const departmentSubtreeSql = `WITH RECURSIVE sub(id) AS (SELECT ?::bigint UNION SELECT sd.id FROM departments sd JOIN sub ON sd.parent_id = sub.id) SELECT id FROM sub`;

/** managedDepartmentsOf a bound user (one parameter: the user's id). */
export const managedDepartmentsSql = managedDepartmentsOf('?');
/** subordinateIdsOf a bound user (two parameters: the user's id, twice). */
export const subordinateIdsSql = subordinateIdsOf('?');

const superiorsSql = `
  WITH RECURSIVE chain(id, parent_id) AS (
    SELECT d.id, d.parent_id FROM departments d JOIN users u ON u.department_id = d.id WHERE u.id = ?
    UNION
    SELECT d.id, d.parent_id FROM departments d JOIN chain c ON d.id = c.parent_id
  )
  SELECT DISTINCT u.id::text AS id, u.display_name, u.email
  FROM department_managers dm
  JOIN chain c ON c.id = dm.department_id
  JOIN users u ON u.id = dm.user_id
  WHERE u.id <> ? AND u.active
  ORDER BY u.display_name`;

type SummaryRow = { id: string; display_name: string; email: string };
const toSummary = (row: SummaryRow): UserSummaryDTO => ({ id: String(row.id), displayName: row.display_name, email: row.email });

/** The managers of the user's department and of every ancestor department. */
export async function findSuperiors(em: EntityManager, userId: string): Promise<UserSummaryDTO[]> {
  const rows = await em.execute<SummaryRow[]>(superiorsSql, [userId, userId]);
  return rows.map(toSummary);
}

/** Every active user in the subtree the given user manages (deactivated staff, like superiors, are not listed). */
export async function findSubordinates(em: EntityManager, userId: string): Promise<UserSummaryDTO[]> {
  const rows = await em.execute<SummaryRow[]>(
    `SELECT u.id::text AS id, u.display_name, u.email FROM users u WHERE u.id IN (${subordinateIdsSql}) AND u.active ORDER BY u.display_name`,
    [userId, userId],
  );
  return rows.map(toSummary);
}

/** True when `superiorId` is a superior of `userId`. */
export async function isSuperiorOf(em: EntityManager, superiorId: string, userId: string): Promise<boolean> {
  if (superiorId === userId) return false;
  const rows = await em.execute<{ found: number }[]>(
    `SELECT 1 AS found FROM users u WHERE u.id = ? AND u.department_id IN (${managedDepartmentsSql}) LIMIT 1`,
    [userId, superiorId],
  );
  return rows.length > 0;
}

/** Of the given users, those who are subordinates of `superiorId` (one query). */
export async function subordinatesAmong(em: EntityManager, superiorId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await em.execute<{ id: string }[]>(
    `SELECT u.id::text AS id FROM users u WHERE u.id = ANY(?::bigint[]) AND u.id <> ? AND u.department_id IN (${managedDepartmentsSql})`,
    [`{${userIds.join(',')}}`, superiorId, superiorId],
  );
  return new Set(rows.map((r) => r.id));
}

/** True when the user manages at least one department. */
export async function managesAnyone(em: EntityManager, userId: string): Promise<boolean> {
  const rows = await em.execute(`SELECT 1 FROM department_managers WHERE user_id = ? LIMIT 1`, [userId]);
  return rows.length > 0;
}

/** True when `candidateId` is `departmentId` itself or lies below it. */
export async function isInSubtree(em: EntityManager, departmentId: string, candidateId: string): Promise<boolean> {
  const rows = await em.execute(
    `WITH RECURSIVE sub(id) AS (
       SELECT ?::bigint
       UNION
       SELECT d.id FROM departments d JOIN sub s ON d.parent_id = s.id
     ) SELECT 1 FROM sub WHERE id = ? LIMIT 1`,
    [departmentId, candidateId],
  );
  return rows.length > 0;
}

/** Ids of the managers of a department and of every department above it: the superiors of its members. */
export async function departmentSuperiorIds(em: EntityManager, departmentId: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `WITH RECURSIVE chain(id, parent_id) AS (
       SELECT id, parent_id FROM departments WHERE id = ?
       UNION
       SELECT d.id, d.parent_id FROM departments d JOIN chain c ON d.id = c.parent_id
     ) SELECT DISTINCT dm.user_id::text AS id FROM department_managers dm JOIN chain c ON c.id = dm.department_id`,
    [departmentId],
  );
  return rows.map((r) => String(r.id));
}

/** Ids of the users of a department and of every department below it. */
export async function subtreeMemberIds(em: EntityManager, departmentId: string): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `WITH RECURSIVE sub(id) AS (
       SELECT ?::bigint
       UNION
       SELECT d.id FROM departments d JOIN sub s ON d.parent_id = s.id
     ) SELECT u.id::text AS id FROM users u JOIN sub s ON s.id = u.department_id`,
    [departmentId],
  );
  return rows.map((r) => String(r.id));
}
