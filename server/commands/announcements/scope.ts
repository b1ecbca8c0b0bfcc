import type { AnnouncementScope } from '../../../shared/announcements.js';
import { pgArray } from '../../db/sql.js';

/**
 * The active people a scope reaches now (`user_id`), as one SELECT: everyone, the
 * members of the named departments and every department below them, and the named people. The
 * publisher is left out: they follow their announcement as its publisher, not as a recipient.
 */
export function scopeUsersSql(scope: AnnouncementScope, publisherId: string): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT u.id AS user_id FROM users u
          WHERE u.active AND u.id <> ?::bigint AND (?::boolean OR u.id = ANY(?::bigint[]) OR u.department_id IN (
            WITH RECURSIVE sub(id) AS (
              SELECT id FROM departments WHERE id = ANY(?::bigint[])
              UNION
              SELECT d.id FROM departments d JOIN sub s ON d.parent_id = s.id
            ) SELECT id FROM sub))`,
    params: [publisherId, scope.everyone, pgArray(scope.userIds), pgArray(scope.departmentIds)],
  };
}

/**
 * Whether user `u` now lies in the scope of announcement `a` by department (the whole company, or
 * one of its departments or a department above theirs): who joins it later. People named one by
 * one received it when it was published.
 */
export function inDepartmentScopeSql(u: string, a: string): string {
  return `(coalesce((${a}.scope->>'everyone')::boolean, false) OR EXISTS (
    WITH RECURSIVE up(id, parent_id) AS (
      SELECT d.id, d.parent_id FROM departments d WHERE d.id = ${u}.department_id
      UNION
      SELECT d.id, d.parent_id FROM departments d JOIN up ON d.id = up.parent_id
    ) SELECT 1 FROM up WHERE up.id::text IN (SELECT jsonb_array_elements_text(${a}.scope->'departmentIds'))))`;
}
