import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReminderSource } from '../../shared/reminders.js';
import { pgArray } from '../db/sql.js';

// Apart from the reminder queries because the reminder policy needs it and those queries need the policy (through the presenter).
/** Which of the reminders a schedule entry, a contact's birthday or a report rule keeps (see ReminderDTO.source). */
export async function reminderSources(em: EntityManager, reminderIds: string[]): Promise<Map<string, ReminderSource>> {
  const sources = new Map<string, ReminderSource>();
  if (reminderIds.length === 0) return sources;
  const rows = await em.execute<{ reminder_id: string; kind: 'entry' | 'birthday' | 'report_rule'; entry_id: string | null; entry_title: string | null; customer_id: string | null; customer_name: string | null; contact_name: string | null }[]>(
    `SELECT er.reminder_id::text AS reminder_id, 'entry' AS kind, e.id::text AS entry_id, e.title AS entry_title, NULL AS customer_id, NULL AS customer_name, NULL AS contact_name
       FROM entry_reminders er JOIN schedule_entries e ON e.id = er.entry_id WHERE er.reminder_id = ANY(?::bigint[])
     UNION ALL
     SELECT cr.reminder_id::text, 'birthday', NULL, NULL, cu.id::text, cu.name, co.name
       FROM care_reminders cr JOIN contacts co ON co.id = cr.contact_id JOIN customers cu ON cu.id = co.customer_id WHERE cr.reminder_id = ANY(?::bigint[])
     UNION ALL
     SELECT r.id::text, 'report_rule', rr.id::text, rr.kind, CASE WHEN rr.reminder_id = r.id THEN 'before' ELSE 'after' END, d.name, NULL
       FROM reminders r JOIN report_rules rr ON rr.reminder_id = r.id OR rr.late_reminder_id = r.id LEFT JOIN departments d ON d.id = rr.department_id
       WHERE r.id = ANY(?::bigint[])`,
    [pgArray(reminderIds), pgArray(reminderIds), pgArray(reminderIds)],
  );
  for (const row of rows) {
    sources.set(
      row.reminder_id,
      row.kind === 'entry'
        ? { kind: 'entry', entryId: row.entry_id!, entryTitle: row.entry_title! }
        : row.kind === 'birthday'
          ? { kind: 'birthday', customerId: row.customer_id!, customerName: row.customer_name!, contactName: row.contact_name! }
          // The union's columns carry the rule: id, kind, stage, department name.
          : { kind: 'report_rule', ruleId: row.entry_id!, reportKind: row.entry_title as 'daily' | 'weekly' | 'monthly', stage: row.customer_id as 'before' | 'after', departmentName: row.customer_name },
    );
  }
  return sources;
}

/** What keeps one reminder, or null when it stands on its own. */
export async function reminderSource(em: EntityManager, reminderId: string): Promise<ReminderSource | null> {
  return (await reminderSources(em, [reminderId])).get(reminderId) ?? null;
}

/** One page of a user's reminders, newest first, each with what keeps it. */
