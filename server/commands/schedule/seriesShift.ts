import type { EntityManager } from '@mikro-orm/postgresql';
import { Temporal } from 'temporal-polyfill';
import { pgArray } from '../../db/sql.js';
import { formatInZone, localToInstant, parseLocalDateTime } from '../../recurrence/expand.js';

/** Whether a change of a recurring entry moves its occurrences: a new start or time zone (a malformed start is left to the field checks). */
export function seriesMoves(before: { start: string; timeZone?: string; rrule: string | null }, after: { start: string; timeZone?: string; rrule: string | null }): boolean {
  if (!before.rrule || !after.rrule) return false;
  try {
    return parseLocalDateTime(before.start) !== parseLocalDateTime(after.start) || before.timeZone !== after.timeZone;
  } catch {
    return false;
  }
}

/** Local date-times moved by the wall-clock distance from `from` to `to` (days and hours, whatever the zone's DST does). */
export function shiftedLocals(locals: string[], from: string, to: string): string[] {
  const distance = Temporal.PlainDateTime.from(parseLocalDateTime(from)).until(Temporal.PlainDateTime.from(parseLocalDateTime(to)));
  if (distance.blank) return locals;
  return locals.map((l) => Temporal.PlainDateTime.from(l).add(distance).toString({ smallestUnit: 'second' }));
}

/**
 * When a recurring entry's start moves, its occurrences move with it; the occurrences that were
 * edited on their own name the occurrence they replace by its start, so that start moves too, or
 * the moved series would show the replaced occurrence again beside its replacement.
 */
export async function overridesShifter(tx: EntityManager, masterId: string, from: { start: string; timeZone: string }, to: { start: string; timeZone: string }): Promise<void> {
  const rows = await tx.execute<{ id: string; original_start: Date }[]>(`SELECT id::text AS id, original_start FROM schedule_entries WHERE master_id = ?`, [masterId]);
  if (rows.length === 0) return;
  const moved = shiftedLocals(rows.map((row) => formatInZone(new Date(row.original_start), from.timeZone).slice(0, 19)), from.start, to.start);
  await tx.execute(
    `UPDATE schedule_entries e SET original_start = m.original_start
     FROM unnest(?::bigint[], ?::timestamptz[]) AS m(id, original_start) WHERE e.id = m.id`,
    [pgArray(rows.map((row) => row.id)), pgArray(moved.map((local) => localToInstant(local, to.timeZone).toISOString()))],
  );
}
