import type { EntityManager } from '@mikro-orm/postgresql';
import type { FeedItemDTO } from '../../shared/customers.js';
import { presentFeedItem, type FeedRow } from '../presenters/customer.js';
import type { User } from '../entities/User.js';
import { pgArray } from '../db/sql.js';
import { customerVisibilityFilter } from '../policies/customers.js';
import { threadVisibilityFilter } from '../policies/boards.js';
import { pageOf } from './pagination.js';

/** Columns of a feed item joined with its customer and actor (aliases f, c, u). */
export const feedColumns = `f.id::text AS id, f.customer_id::text AS customer_id, c.name AS customer_name, f.customer_type, c.tier, c.prospect_class, f.kind,
  f.actor_id::text AS actor_id, u.display_name AS actor_name, u.email AS actor_email, f.entry_id::text AS entry_id, f.body, f.text, f.data, f.created_at, f.tier_rank`;

/** One feed item by id (the caller checked the customer's visibility). */
export async function feedItem(em: EntityManager, id: string): Promise<FeedItemDTO> {
  const [row] = await em.execute<FeedRow[]>(`SELECT ${feedColumns} FROM feed_items f JOIN customers c ON c.id = f.customer_id JOIN users u ON u.id = f.actor_id WHERE f.id = ?`, [id]);
  return presentFeedItem(row);
}

/**
 * Items the user may see of a feed: every item of a customer they see, except a linked board thread
 * they may not see (the thread visibility predicate on the item's thread).
 */
async function linkedThreadFilter(em: EntityManager, user: User) {
  const threads = await threadVisibilityFilter(em, user, 'ft');
  return { sql: `(f.thread_id IS NULL OR EXISTS (SELECT 1 FROM board_threads ft WHERE ft.id = f.thread_id AND ${threads.sql}))`, params: threads.params };
}

/** One customer's feed for one user, newest first, a page before the cursor (the caller checked the customer's visibility). */
export async function customerFeed(em: EntityManager, user: User, customerId: string, query: { before?: string; limit: number }) {
  const threads = await linkedThreadFilter(em, user);
  const rows = await em.execute<FeedRow[]>(
    `SELECT ${feedColumns} FROM feed_items f JOIN customers c ON c.id = f.customer_id JOIN users u ON u.id = f.actor_id
     WHERE f.customer_id = ? ${query.before ? 'AND f.id < ?' : ''} AND ${threads.sql} ORDER BY f.id DESC LIMIT ?`,
    [customerId, ...(query.before ? [query.before] : []), ...threads.params, query.limit + 1],
  );
  return pageOf(rows, query.limit, (page) => page.map(presentFeedItem), (r) => String(r.id));
}

/**
 * The team feed: items of every customer the user may see, newest first or, with valuableFirst,
 * by tier (platinum first) and newest within a tier. Both orders walk an index (id, or tier_rank + id).
 */
export async function teamFeed(
  em: EntityManager,
  user: User,
  query: { before?: string; cursor?: string; limit: number; tiers?: string[]; types?: string[]; valuableFirst: 'true' | 'false' },
) {
  const filter = await customerVisibilityFilter(em, user);
  const threads = await linkedThreadFilter(em, user);
  const where = [filter.sql, threads.sql];
  const params: unknown[] = [...filter.params, ...threads.params];
  if (query.tiers?.length) {
    // Filter on the item's copy of the tier rank so the index narrows the walk.
    where.push(`f.tier_rank = ANY(?::smallint[])`);
    params.push(pgArray(query.tiers.map((t) => ['platinum', 'gold', 'silver', 'regular', 'poor'].indexOf(t) + 1)));
  }
  if (query.types?.length) {
    where.push(`f.customer_type = ANY(?::text[])`);
    params.push(pgArray(query.types));
  }
  const valuable = query.valuableFirst === 'true';
  if (valuable && query.cursor) {
    const [rank, id] = query.cursor.split(':');
    where.push(`(f.tier_rank > ? OR (f.tier_rank = ? AND f.id < ?))`);
    params.push(Number(rank), Number(rank), id);
  } else if (!valuable && query.before) {
    where.push(`f.id < ?`);
    params.push(query.before);
  }
  const rows = await em.execute<FeedRow[]>(
    `SELECT ${feedColumns} FROM feed_items f JOIN customers c ON c.id = f.customer_id JOIN users u ON u.id = f.actor_id
     WHERE ${where.join(' AND ')} ORDER BY ${valuable ? 'f.tier_rank, f.id DESC' : 'f.id DESC'} LIMIT ?`,
    [...params, query.limit + 1],
  );
  return pageOf(rows, query.limit, (page) => page.map(presentFeedItem), (last) => (valuable ? `${last.tier_rank}:${last.id}` : String(last.id)));
}
