import { pgArray } from '../../db/sql.js';
import { scheduleNextOccurrence } from '../reminderSchedule.js';
import type { CommandContext } from '../context.js';

type Pair = { contact_id: string; contact_name: string; birthday: string; customer_name: string; user_id: string; time_zone: string; locale: string };

/**
 * Keeps the birthday (care) reminders of some customers in step with their contacts and owners:
 * one yearly reminder per contact with a birthday and per owner, on the day at 09:00 in the
 * owner's zone, through the reminders machinery. They are rebuilt whenever a birthday or the
 * owners change; the next occurrence is always after now, so a rebuild never repeats one.
 */
export async function careRemindersSync(cx: CommandContext, customerIds: string[]): Promise<void> {
  const tx = cx.em;
  if (!customerIds.length) return;
  await tx.execute(
    `DELETE FROM reminders WHERE id IN (SELECT cr.reminder_id FROM care_reminders cr JOIN contacts ct ON ct.id = cr.contact_id WHERE ct.customer_id = ANY(?::bigint[]))`,
    [pgArray(customerIds)],
  );
  const pairs = await tx.execute<Pair[]>(
    `SELECT ct.id::text AS contact_id, ct.name AS contact_name, ct.birthday, c.name AS customer_name, u.id::text AS user_id, u.time_zone, u.locale
     FROM contacts ct JOIN customers c ON c.id = ct.customer_id JOIN customer_owners o ON o.customer_id = c.id JOIN users u ON u.id = o.user_id AND u.active
     WHERE ct.customer_id = ANY(?::bigint[]) AND ct.birthday IS NOT NULL`,
    [pgArray(customerIds)],
  );
  const now = new Date();
  for (const p of pairs) {
    const [, month, day] = p.birthday.split('-').map(Number);
    const title = p.locale === 'en' ? `Birthday: ${p.contact_name} (${p.customer_name})` : `生日：${p.contact_name}（${p.customer_name}）`;
    // DTSTART in 2000, a leap year, so that 29 February is valid; the rule then keeps it to leap years.
    const [reminder] = await tx.execute<{ id: string }[]>(
      `INSERT INTO reminders (owner_id, title, note, note_text, recipients, channels, rrule, dtstart, time_zone, exdates, urgent, status, created_at, updated_at)
       VALUES (?, ?, NULL, '', ?, '["email"]', ?, ?, ?, '[]', false, 'active', now(), now()) RETURNING id::text AS id`,
      [p.user_id, title.slice(0, 200), JSON.stringify({ self: true, userIds: [], departmentIds: [] }), `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=${day}`, `2000-${p.birthday.slice(5)}T09:00:00`, p.time_zone],
    );
    await tx.execute(`INSERT INTO care_reminders (contact_id, user_id, reminder_id) VALUES (?, ?, ?)`, [p.contact_id, p.user_id, reminder.id]);
    await scheduleNextOccurrence(cx, reminder.id, now);
  }
}
