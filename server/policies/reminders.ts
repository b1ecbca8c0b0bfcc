import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../db/sql.js';
import { forbidden } from '../errors.js';
import type { ReminderRecipients } from '../entities/Reminder.js';

/** The departments a user manages, with everything below them (the subtree of their authority). */
const managedCte = `managed(id) AS (
    SELECT department_id FROM department_managers WHERE user_id = ?
    UNION
    SELECT d.id FROM departments d JOIN managed m ON d.parent_id = m.id
  )`;

/**
 * Refuses recipients the owner may not address: anyone but themselves unless a subordinate,
 * and any department outside the subtree they manage.
 */
export async function assertMayAddress(em: EntityManager, ownerId: string, recipients: ReminderRecipients): Promise<void> {
  const others = [...new Set(recipients.userIds.filter((id) => id !== ownerId))];
  const departments = [...new Set(recipients.departmentIds)];
  if (others.length === 0 && departments.length === 0) return;
  const [row] = await em.execute<{ users: string; departments: string }[]>(
    `WITH RECURSIVE ${managedCte}
     SELECT (SELECT count(*) FROM users u WHERE u.id = ANY(?::bigint[]) AND u.department_id IN (SELECT id FROM managed)) AS users,
            (SELECT count(*) FROM managed WHERE id = ANY(?::bigint[])) AS departments`,
    [ownerId, pgArray(others), pgArray(departments)],
  );
  if (Number(row.users) !== others.length) throw forbidden('You may address reminders only to yourself and to your subordinates');
  if (Number(row.departments) !== departments.length) throw forbidden('You may address reminders only to departments you manage');
}

/**
 * The active users an occurrence goes to, resolved when it fires: a subordinate who has since
 * left the owner's authority, or a department no longer managed, no longer receives it.
 */
export async function resolveRecipients(em: EntityManager, ownerId: string, recipients: ReminderRecipients): Promise<string[]> {
  const rows = await em.execute<{ id: string }[]>(
    `WITH RECURSIVE ${managedCte},
     addressed(id) AS (
       SELECT id FROM managed WHERE id = ANY(?::bigint[])
       UNION
       SELECT d.id FROM departments d JOIN addressed a ON d.parent_id = a.id
     )
     SELECT u.id::text AS id FROM users u
     WHERE u.active AND (
       (?::boolean AND u.id = ?)
       OR (u.id = ANY(?::bigint[]) AND (u.id = ? OR u.department_id IN (SELECT id FROM managed)))
       OR u.department_id IN (SELECT id FROM addressed))
     ORDER BY u.id`,
    [ownerId, pgArray(recipients.departmentIds), recipients.self, ownerId, pgArray(recipients.userIds), ownerId],
  );
  return rows.map((r) => String(r.id));
}
