import type { EntityManager } from '@mikro-orm/postgresql';
import type { DepartmentDTO } from '../../shared/dto.js';
import { pgArray } from '../db/sql.js';
import { presentDepartment, type DepartmentRow } from '../presenters/department.js';

/** Departments with their managers and head counts, in one query (no per-row loading). */
export async function listDepartments(em: EntityManager, ids?: string[]): Promise<DepartmentDTO[]> {
  const rows = await em.execute<DepartmentRow[]>(
    `SELECT d.id::text AS id, d.name, d.parent_id::text AS parent_id,
       (SELECT count(*) FROM users u WHERE u.department_id = d.id AND u.active) AS member_count,
       COALESCE((SELECT json_agg(json_build_object('id', m.id::text, 'displayName', m.display_name, 'email', m.email) ORDER BY m.display_name)
                 FROM department_managers dm JOIN users m ON m.id = dm.user_id WHERE dm.department_id = d.id), '[]') AS managers
     FROM departments d
     ${ids ? 'WHERE d.id = ANY(?::bigint[])' : ''}
     ORDER BY d.parent_id NULLS FIRST, d.name`,
    ids ? [pgArray(ids)] : [],
  );
  return rows.map(presentDepartment);
}
