import { pgArray } from '../../db/sql.js';

/**
 * Who a fan-out notifies: a SELECT with a `user_id` column and, when recipients differ in more than
 * who they are, an `occurrence_id` (the reminder occurrence behind the notification, part of the
 * exactly-once key of its e-mail and SMS) and a jsonb `data` merged into the notification's data.
 * Deactivated users and duplicates are dropped by the fan-out, so a selection need not care.
 */
export type Recipients = { sql: string; params: unknown[] };

/** One recipient with what is theirs alone. */
export type RecipientRow = { userId: string; occurrenceId?: string | null; data?: Record<string, unknown> | null };

export const recipients = {
  /** Users by id. */
  users(userIds: readonly string[]): Recipients {
    return { sql: `SELECT unnest(?::bigint[]) AS user_id`, params: [pgArray(userIds)] };
  },
  /** Users with data of their own (an occurrence id, a link target …). */
  rows(rows: readonly RecipientRow[]): Recipients {
    return {
      sql: `SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(user_id bigint, occurrence_id bigint, data jsonb)`,
      params: [JSON.stringify(rows.map((r) => ({ user_id: r.userId, occurrence_id: r.occurrenceId ?? null, data: r.data ?? null })))],
    };
  },
  /** Everyone in the departments and every department below them. */
  departmentSubtrees(departmentIds: readonly string[]): Recipients {
    return {
      sql: `WITH RECURSIVE sub(id) AS (
              SELECT id FROM departments WHERE id = ANY(?::bigint[])
              UNION
              SELECT d.id FROM departments d JOIN sub s ON d.parent_id = s.id
            )
            SELECT u.id AS user_id FROM users u WHERE u.department_id IN (SELECT id FROM sub)`,
      params: [pgArray(departmentIds)],
    };
  },
  /** Any SELECT returning `user_id` (and optionally `occurrence_id`, `data`), with its `?` parameters. */
  sql(sql: string, params: unknown[] = []): Recipients {
    return { sql, params };
  },
  /** Everyone any of the parts selects (each user once). */
  union(...parts: Recipients[]): Recipients {
    return { sql: parts.map((p) => `(${normalised(p.sql)})`).join(' UNION ALL '), params: parts.flatMap((p) => p.params) };
  },
};

/** The selection with exactly the columns user_id, occurrence_id and data, whichever of them it has. */
export const normalised = (sql: string) =>
  `SELECT (j->>'user_id')::bigint AS user_id, (j->>'occurrence_id')::bigint AS occurrence_id, nullif(j->'data', 'null'::jsonb) AS data FROM (SELECT to_jsonb(r) AS j FROM (${sql}) r) x`;
