import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntryListDTO, ScheduleEntryDTO } from '../../shared/schedule.js';
import { pgArray } from '../db/sql.js';
import type { SqlFilter } from '../policies/customers.js';
import { compileSchedule } from '../recurrence/expand.js';
import { localIn } from '../presenters/instants.js';
import { presentEntry, type EntryAbilities, type EntryRow } from '../presenters/schedule.js';
export type { EntryAbilities } from '../presenters/schedule.js';

/** Entries a range query returns at most; calendar views never need more. */
export const RANGE_LIMIT = 5000;
// Entries up to this long bound starts_at from below; longer ones (and recurring masters) use the partial index.
export const SHORT_ENTRY_MS = 36 * 3600_000;

/**
 * Columns of an entry as presented, over a row source `e` that has the entry's columns plus its
 * owner's `owner_name` and `owner_email` (see entryWithOwner); the customer's name and the
 * annotation count are looked up per row, so a long list never hashes the whole customers table.
 */
export const entryColumns = `e.id::text AS id, e.owner_id::text AS owner_id, e.owner_name, e.owner_email, e.kind, e.title, e.description, e.description_text,
  e.starts_at, e.ends_at, e.all_day, e.time_zone, e.plan_period, e.customer_id::text AS customer_id, (SELECT c.name FROM customers c WHERE c.id = e.customer_id) AS customer_name,
  e.contact_ids, e.status, e.result, e.result_text, e.shared_department_id, e.rrule, e.exdates, e.master_id::text AS master_id, e.original_start, e.reminder_offsets,
  (SELECT count(*)::int FROM annotations a WHERE a.entry_id = e.id AND a.parent_id IS NULL) AS annotation_count, e.created_at, e.updated_at`;
/** An entry `e` joined with its owner `u`: the FROM and the select list of a row source for entryColumns. */
const entryWithOwner = { select: `e.*, u.display_name AS owner_name, u.email AS owner_email`, from: `schedule_entries e JOIN users u ON u.id = e.owner_id` };

/** One entry by id (the caller checked visibility, and says what the viewer may do with it). */
export async function entryById(em: EntityManager, id: string, can: EntryAbilities): Promise<ScheduleEntryDTO | null> {
  const [row] = await em.execute<EntryRow[]>(`SELECT ${entryColumns} FROM (SELECT ${entryWithOwner.select} FROM ${entryWithOwner.from} WHERE e.id = ?) e`, [id]);
  return row ? presentEntry(row, can) : null;
}

export type RangeScope = {
  /** The SQL column the scope is on (`e.owner_id` or `e.customer_id`) and the subquery or `?` of its values. */
  column: 'owner_id' | 'customer_id';
  values: string;
  params: unknown[];
  /** Further conditions on `e` (visibility, kinds, customer-only). */
  where: string[];
  whereParams: unknown[];
  /** A condition that does not depend on the entry (may the viewer see this customer at all), tested once for the whole answer. */
  gate?: SqlFilter;
};

/**
 * Entries of a scope that overlap [from, to), recurring ones expanded into their occurrences,
 * ordered by start. Two index-bounded parts: ordinary entries by (scope, starts_at) within a
 * window bounded below, and the few long or recurring ones through their partial index. The
 * parts find the rows; the presented columns, the lookups and the gate are written (and planned) once.
 */
export async function entriesInRange(em: EntityManager, scope: RangeScope, from: Date, to: Date, can: EntryAbilities): Promise<EntryListDTO> {
  const col = `e.${scope.column}`;
  const extra = scope.where.length ? `AND ${scope.where.join(' AND ')}` : '';
  // Owners join each part when the scope is a list of owners, which the planner folds into that
  // list; a customer's few entries meet their owners once, around the parts (half the planning).
  const perPart = scope.column === 'owner_id';
  const part = perPart ? `SELECT ${entryWithOwner.select} FROM ${entryWithOwner.from}` : `SELECT e.* FROM schedule_entries e`;
  const parts = `(${part}
         WHERE ${col} IN (${scope.values}) AND NOT (e.long OR e.rrule IS NOT NULL) AND e.starts_at >= ? AND e.starts_at < ? AND e.ends_at > ? ${extra}
         ORDER BY e.starts_at LIMIT ?)
       UNION ALL
       (${part}
         WHERE ${col} IN (${scope.values}) AND (e.long OR e.rrule IS NOT NULL) AND e.starts_at < ?
           AND (CASE WHEN e.rrule IS NULL THEN e.ends_at > ? ELSE e.series_ends_at IS NULL OR e.series_ends_at > ? END) ${extra}
         LIMIT ?)`;
  const rows = await em.execute<EntryRow[]>(
    `SELECT ${entryColumns} FROM (${perPart ? parts : `SELECT ${entryWithOwner.select} FROM (${parts}) e JOIN users u ON u.id = e.owner_id`}) e
     ${scope.gate ? `WHERE ${scope.gate.sql}` : ''}`,
    [
      ...scope.params, new Date(from.getTime() - SHORT_ENTRY_MS), to, from, ...scope.whereParams, RANGE_LIMIT + 1,
      ...scope.params, to, from, from, ...scope.whereParams, RANGE_LIMIT + 1,
      ...(scope.gate?.params ?? []),
    ],
  );
  const out: ScheduleEntryDTO[] = [];
  const masters = rows.filter((r) => r.rrule);
  const overridden = await overriddenStarts(em, masters.map((m) => String(m.id)));
  for (const row of rows) {
    if (!row.rrule) out.push(presentEntry(row, can));
    else for (const at of occurrencesIn(row, from, to, overridden.get(String(row.id)))) out.push(presentEntry(row, can, at));
  }
  out.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
  return { data: out.slice(0, RANGE_LIMIT), truncated: out.length > RANGE_LIMIT };
}

/** Original starts (ms) of occurrences edited on their own, per recurring entry. */
export async function overriddenStarts(em: EntityManager, masterIds: string[]): Promise<Map<string, Set<number>>> {
  const map = new Map<string, Set<number>>();
  if (!masterIds.length) return map;
  const rows = await em.execute<{ master_id: string; original_start: Date }[]>(
    `SELECT master_id::text AS master_id, original_start FROM schedule_entries WHERE master_id = ANY(?::bigint[])`,
    [pgArray(masterIds)],
  );
  for (const r of rows) {
    const set = map.get(String(r.master_id)) ?? new Set<number>();
    set.add(new Date(r.original_start).getTime());
    map.set(String(r.master_id), set);
  }
  return map;
}

/** The occurrences of a recurring entry that overlap [from, to), minus exceptions and separately edited ones. */
export function occurrencesIn(row: Pick<EntryRow, 'rrule' | 'starts_at' | 'ends_at' | 'time_zone' | 'exdates'>, from: Date, to: Date, overridden?: Set<number>) {
  const duration = new Date(row.ends_at).getTime() - new Date(row.starts_at).getTime();
  const schedule = compileSchedule({ rrule: row.rrule, dtstart: localIn(new Date(row.starts_at), row.time_zone), timeZone: row.time_zone, exdates: row.exdates });
  const out: { startsAt: Date; endsAt: Date }[] = [];
  // Start just before the earliest occurrence that can still overlap `from`.
  let cursor: Date | undefined = new Date(from.getTime() - duration - 1);
  if (cursor < new Date(row.starts_at)) cursor = undefined;
  while (out.length <= RANGE_LIMIT) {
    const batch = schedule.next(100, cursor, to);
    for (const at of batch) {
      const end = new Date(at.getTime() + duration);
      if (end > from && !overridden?.has(at.getTime())) out.push({ startsAt: at, endsAt: end });
    }
    // A short batch: the series ended or reached the range's end.
    if (batch.length < 100) break;
    cursor = batch[batch.length - 1];
  }
  return out;
}
