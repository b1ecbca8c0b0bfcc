import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../db/sql.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { ReminderDTO, ReminderSource } from '../../shared/reminders.js';
import { Reminder, type ReminderRecipients } from '../entities/Reminder.js';
import { reminderSource } from '../queries/reminderSources.js';

/** The reminder if the user owns it; 404 otherwise (others' reminders are not revealed). */
export async function requireOwnReminder(em: EntityManager, ownerId: string, id: string): Promise<Reminder> {
  const reminder = await em.findOne(Reminder, { id, owner: ownerId });
  if (!reminder) throw notFound('The reminder');
  return reminder;
}

/** What the owner may do with a reminder in a status, kept by a source or not: the `can` of ReminderDTO. */
export function reminderAbilities(status: Reminder['status'], source: ReminderSource | null): ReminderDTO['can'] {
  return { edit: source === null, delete: source === null, pause: status === 'active', resume: status === 'paused' };
}

/**
 * A reminder that a schedule entry or a contact's birthday keeps changes with them: edited or
 * deleted on its own it would drift from the entry, or come back at the next change of the contact.
 * (Pausing, resuming and snoozing are the owner's to do.)
 */
export async function requireFreeStandingReminder(em: EntityManager, ownerId: string, id: string): Promise<Reminder> {
  const reminder = await requireOwnReminder(em, ownerId, id);
  const source = await reminderSource(em, String(reminder.id));
  if (!reminderAbilities(reminder.status, source).edit && source?.kind === 'entry') throw conflict('This reminder belongs to a schedule entry: change or remove it on the entry');
  if (!reminderAbilities(reminder.status, source).edit && source?.kind === 'birthday') throw conflict('This is the birthday reminder of a customer contact: it follows the contact’s birthday and the customer’s owners');
  if (!reminderAbilities(reminder.status, source).edit && source?.kind === 'report_rule') throw conflict('This reminder belongs to a report rule: change or remove it with the rule');
  return reminder;
}

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
 * The users an occurrence goes to, as a selection (`user_id`) resolved when it fires: a
 * subordinate who has since left the owner's authority, or a department no longer managed, no
 * longer receives it. (The fan-out leaves out deactivated users.)
 */
export function addressedUsers(ownerId: string, recipients: ReminderRecipients): { sql: string; params: unknown[] } {
  return {
    sql: `WITH RECURSIVE ${managedCte},
     addressed(id) AS (
       SELECT id FROM managed WHERE id = ANY(?::bigint[])
       UNION
       SELECT d.id FROM departments d JOIN addressed a ON d.parent_id = a.id
     )
     SELECT u.id AS user_id FROM users u
     WHERE (?::boolean AND u.id = ?)
       OR (u.id = ANY(?::bigint[]) AND (u.id = ? OR u.department_id IN (SELECT id FROM managed)))
       OR u.department_id IN (SELECT id FROM addressed)`,
    params: [ownerId, pgArray(recipients.departmentIds), recipients.self, ownerId, pgArray(recipients.userIds), ownerId],
  };
}
