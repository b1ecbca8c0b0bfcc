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
