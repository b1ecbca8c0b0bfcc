import type { EntityManager } from '@mikro-orm/postgresql';
import { calendarTokenHash } from '../commands/calendar.js';

/** Whether the user has a calendar link, and since when. */
export async function calendarLinkStatus(em: EntityManager, userId: string): Promise<{ active: boolean; createdAt: string | null }> {
  const [row] = await em.execute<{ created_at: Date }[]>(`SELECT created_at FROM calendar_tokens WHERE user_id = ?`, [userId]);
  return { active: !!row, createdAt: row ? new Date(row.created_at).toISOString() : null };
}

/** The active user a calendar link's secret belongs to, or null. */
export async function calendarOwner(em: EntityManager, token: string): Promise<string | null> {
  const [row] = await em.execute<{ user_id: string }[]>(`SELECT t.user_id::text AS user_id FROM calendar_tokens t JOIN users u ON u.id = t.user_id AND u.active WHERE t.token_hash = ?`, [calendarTokenHash(token)]);
  return row ? String(row.user_id) : null;
}

/** Entries older than this (that ended before) are left out of the feed, which calendar programs re-read often. */
const HISTORY_DAYS = 400;
const MAX_EVENTS = 10_000;

export type CalendarEntryRow = {
  id: string; title: string; description_text: string; result_text: string; kind: string; status: string; starts_at: Date; ends_at: Date; all_day: boolean; time_zone: string;
  rrule: string | null; exdates: string[]; master_id: string | null; original_start: Date | null; master_zone: string | null; customer_name: string | null; updated_at: Date;
};

/** The entries of a user's calendar feed: recent and coming ones, recurring ones with their edited occurrences. */
export async function calendarEntries(em: EntityManager, userId: string): Promise<CalendarEntryRow[]> {
  return em.execute<CalendarEntryRow[]>(
    `SELECT e.id::text AS id, e.title, e.description_text, e.result_text, e.kind, e.status, e.starts_at, e.ends_at, e.all_day, e.time_zone, e.rrule, e.exdates,
            e.master_id::text AS master_id, e.original_start, m.time_zone AS master_zone, c.name AS customer_name, e.updated_at
     FROM schedule_entries e LEFT JOIN schedule_entries m ON m.id = e.master_id LEFT JOIN customers c ON c.id = e.customer_id
     WHERE e.owner_id = ? AND (CASE WHEN e.rrule IS NULL THEN e.ends_at ELSE coalesce(e.series_ends_at, 'infinity') END) > now() - make_interval(days => ?)
     ORDER BY e.starts_at DESC LIMIT ?`,
    [userId, HISTORY_DAYS, MAX_EVENTS],
  );
}
