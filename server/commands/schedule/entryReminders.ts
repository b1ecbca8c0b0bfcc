import { Temporal } from 'temporal-polyfill';
import { badRequest } from '../../errors.js';
import { formatInZone } from '../../recurrence/expand.js';
import { scheduleNextOccurrence } from '../reminderSchedule.js';
import type { CommandContext } from '../context.js';

type EntryRow = { id: string; owner_id: string; kind: string; title: string; status: string; starts_at: Date; time_zone: string; rrule: string | null; exdates: string[]; reminder_offsets: number[]; overridden: Date[] | null };

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
// Parts that pin occurrences to calendar days: shifting DTSTART to another day would not shift them.
const DAY_PARTS = /(^|;)(BYMONTHDAY|BYYEARDAY|BYWEEKNO|BYSETPOS|BYHOUR|BYMINUTE)=/i;

/**
 * The rule of the reminders of a recurring entry: the entry's own rule when the reminder falls
 * on the same day, or with BYDAY weekdays moved back by whole days. Rules whose day parts cannot
 * move (a month day, a position) are refused with a clear message rather than reminding on the wrong day.
 */
export function shiftedRule(rrule: string, daysBack: number): string {
  if (daysBack === 0) return rrule;
  if (DAY_PARTS.test(rrule)) throw badRequest('A reminder on an earlier day works only for rules without month days or positions; choose an offset on the same day', [{ path: 'reminderOffsets', message: 'crosses into another day', code: 'crosses_day' }]);
  return rrule.replace(/(^|;)BYDAY=([^;]+)/i, (_m, lead: string, days: string) => {
    const moved = days.split(',').map((d) => {
      if (!/^(MO|TU|WE|TH|FR|SA|SU)$/i.test(d)) throw badRequest('A reminder on an earlier day works only with plain weekdays in BYDAY', [{ path: 'reminderOffsets', message: 'crosses into another day', code: 'crosses_day' }]);
      return WEEKDAYS[(WEEKDAYS.indexOf(d.toUpperCase()) - (daysBack % 7) + 7) % 7];
    });
    return `${lead}BYDAY=${moved.join(',')}`;
  });
}

const minus = (local: string, minutes: number) => Temporal.PlainDateTime.from(local).subtract({ minutes }).toString({ smallestUnit: 'second' });
const dayDiff = (a: string, b: string) => Temporal.PlainDate.from(a.slice(0, 10)).until(Temporal.PlainDate.from(b.slice(0, 10))).days;

/**
 * Keeps an entry's reminders in step with it: they are replaced on every change (their pending
 * occurrences go with them), and only a planned entry has any. Each is an ordinary reminder of
 * the owner, so it fires through the reminders machinery and the owner's channel preferences.
 */
export async function entryRemindersSync(cx: CommandContext, entryId: string): Promise<void> {
  const tx = cx.em;
  await tx.execute(`DELETE FROM reminders WHERE id IN (SELECT reminder_id FROM entry_reminders WHERE entry_id = ?)`, [entryId]);
  const [entry] = await tx.execute<EntryRow[]>(
    `SELECT e.id::text AS id, e.owner_id::text AS owner_id, e.kind, e.title, e.status, e.starts_at, e.time_zone, e.rrule, e.exdates, e.reminder_offsets,
       (SELECT array_agg(o.original_start) FROM schedule_entries o WHERE o.master_id = e.id) AS overridden
     FROM schedule_entries e WHERE e.id = ?`,
    [entryId],
  );
  if (!entry || entry.status !== 'planned' || entry.reminder_offsets.length === 0) return;
  const now = new Date();
  const start = formatInZone(new Date(entry.starts_at), entry.time_zone).slice(0, 19);
  // Occurrences edited on their own have their own reminders; the series skips them.
  const skipped = [...entry.exdates, ...(entry.overridden ?? []).map((at) => formatInZone(new Date(at), entry.time_zone).slice(0, 19))];
  for (const offset of entry.reminder_offsets) {
    const dtstart = minus(start, offset);
    const rrule = entry.rrule ? shiftedRule(entry.rrule, dayDiff(dtstart, start)) : null;
    if (!rrule && new Date(entry.starts_at).getTime() - offset * 60_000 <= now.getTime()) continue;
    const [reminder] = await tx.execute<{ id: string }[]>(
      `INSERT INTO reminders (owner_id, title, note, note_text, recipients, channels, rrule, dtstart, time_zone, exdates, urgent, status, created_at, updated_at)
       VALUES (?, ?, NULL, '', ?, ?, ?, ?, ?, ?, false, 'active', now(), now()) RETURNING id::text AS id`,
      [
        entry.owner_id, entry.title.slice(0, 200), JSON.stringify({ self: true, userIds: [], departmentIds: [] }), JSON.stringify(['email', 'sms']),
        rrule, dtstart, entry.time_zone, JSON.stringify(skipped.map((s) => minus(s, offset))),
      ],
    );
    await tx.execute(`INSERT INTO entry_reminders (entry_id, reminder_id, offset_minutes) VALUES (?, ?, ?)`, [entryId, reminder.id, offset]);
    await scheduleNextOccurrence(cx, reminder.id, now);
  }
}
