import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedQuery } from '../db/prepared.js';
import type { CustomerDetailDTO, CustomerDTO } from '../../shared/customers.js';
import { presentContact, presentCustomer as present, type ContactRow, type CustomerRow } from '../presenters/customer.js';
import type { User } from '../entities/User.js';
import { pgArray } from '../db/sql.js';
import type { Page } from '../../shared/dto.js';
import { customerManagerFilter, customerVisibilityFilter, type SqlFilter } from '../policies/customers.js';
import { keysetCursor, pageOf, readKeysetCursor } from './pagination.js';

// Owners come as one JSON array per row, so a page of customers is one query.
const customerColumns = `c.id::text AS id, c.name, c.type, c.tier, c.prospect_class, c.address, c.notes, c.last_contact_at, c.created_at,
  (SELECT json_agg(json_build_object('id', u.id::text, 'displayName', u.display_name, 'email', u.email) ORDER BY u.display_name)
     FROM customer_owners o JOIN users u ON u.id = o.user_id WHERE o.customer_id = c.id) AS owners,
  EXISTS (SELECT 1 FROM customer_followers f WHERE f.customer_id = c.id AND f.user_id = ?) AS following`;

/** One customer with owners and contacts, or null when it does not exist or the user may not see it. */
export async function customerDetail(em: EntityManager, user: User, id: string): Promise<CustomerDetailDTO | null> {
  const filter = await customerVisibilityFilter(em, user);
  const manager = customerManagerFilter(user);
  const [row] = await em.execute<(CustomerRow & { can_edit: boolean })[]>(
    `SELECT ${customerColumns}, ${manager.sql} AS can_edit FROM customers c WHERE c.id = ? AND ${filter.sql}`,
    [user.id, ...manager.params, id, ...filter.params],
  );
  if (!row) return null;
  const contacts = await em.execute<ContactRow[]>(`SELECT id::text AS id, customer_id::text AS customer_id, name, title, phone, email, birthday FROM contacts WHERE customer_id = ? ORDER BY name, id`, [id]);
  return { ...present(row), contacts: contacts.map(presentContact), can: { edit: row.can_edit } };
}

/** Customers the user may see, most valuable first, filtered by tier, class, type, name, ownership or following. */
export async function listCustomers(
  em: EntityManager,
  user: User,
  query: { q?: string; tiers?: string[]; prospectClasses?: string[]; types?: string[]; owner?: 'me'; following?: 'true'; cursor?: string; limit: number },
): Promise<Page<CustomerDTO> & { total: number }> {
  const filter = await customerVisibilityFilter(em, user);
  const where = [filter.sql];
  const params: unknown[] = [...filter.params];
  if (query.q) {
    where.push(`c.name ILIKE ?`);
    params.push(`%${query.q.replace(/[\\%_]/g, (ch) => '\\' + ch)}%`);
  }
  const classes: string[] = [];
  if (query.tiers?.length) {
    classes.push(`c.tier = ANY(?::text[])`);
    params.push(pgArray(query.tiers));
  }
  if (query.prospectClasses?.length) {
    classes.push(`c.prospect_class = ANY(?::text[])`);
    params.push(pgArray(query.prospectClasses));
  }
  if (classes.length) where.push(`(${classes.join(' OR ')})`);
  if (query.types?.length) {
    where.push(`c.type = ANY(?::text[])`);
    params.push(pgArray(query.types));
  }
  if (query.owner === 'me') {
    where.push(`EXISTS (SELECT 1 FROM customer_owners mo WHERE mo.customer_id = c.id AND mo.user_id = ?)`);
    params.push(user.id);
  }
  if (query.following) {
    where.push(`EXISTS (SELECT 1 FROM customer_followers mf WHERE mf.customer_id = c.id AND mf.user_id = ?)`);
    params.push(user.id);
  }
  // The total counts the whole filtered list; the page continues after the last one shown in (tier, name, id) order.
  const after = query.cursor ? readKeysetCursor(query.cursor, ['number', 'string', 'id']) : null;
  const rows = await em.execute<(CustomerRow & { total: string; tier_rank: number })[]>(
    `SELECT * FROM (
       SELECT ${customerColumns}, c.tier_rank, count(*) OVER () AS total FROM customers c WHERE ${where.join(' AND ')}
     ) c ${after ? 'WHERE (c.tier_rank, c.name, c.id::bigint) > (?, ?, ?::bigint)' : ''}
     ORDER BY c.tier_rank, c.name, c.id::bigint LIMIT ?`,
    [user.id, ...params, ...(after ?? []), query.limit + 1],
  );
  const [first] = rows;
  // After the last page there are no rows to carry the total: count it on its own then.
  const total = first ? Number(first.total) : after ? Number((await em.execute<{ n: string }[]>(`SELECT count(*) AS n FROM customers c WHERE ${where.join(' AND ')}`, params))[0].n) : 0;
  return { ...(await pageOf(rows, query.limit, (page) => page.map(present), (last) => keysetCursor([Number(last.tier_rank), last.name, String(last.id)]))), total };
}

/** Platinum and gold customers the user may see that nobody has contacted for `days` days (or ever), longest first. */
export async function neglectedCustomers(em: EntityManager, user: User, query: { days: number; cursor?: string; limit: number; ownedBy?: SqlFilter }): Promise<Page<CustomerDTO>> {
  const visible = await customerVisibilityFilter(em, user);
  // The dashboard narrows the list to customers some owner of a team owns (`ownedBy` on the owner's id `no.user_id`).
  const filter = query.ownedBy
    ? { sql: `${visible.sql} AND EXISTS (SELECT 1 FROM customer_owners no WHERE no.customer_id = c.id AND ${query.ownedBy.sql})`, params: [...visible.params, ...query.ownedBy.params] }
    : visible;
  // Never contacted first, then the longest ago; the cursor is (last contact, tier, id) of the last one shown.
  const after = query.cursor ? readKeysetCursor(query.cursor, ['string?', 'number', 'id']) : null;
  const next = !after
    ? ''
    : after[0] === null
      ? `AND (c.last_contact_at IS NOT NULL OR (c.tier_rank, c.id) > (?, ?::bigint))`
      : `AND c.last_contact_at IS NOT NULL AND (c.last_contact_at, c.tier_rank, c.id) > (?::timestamptz, ?, ?::bigint)`;
  const rows = await em.execute<(CustomerRow & { tier_rank: number })[]>(
    `SELECT ${customerColumns}, c.tier_rank FROM customers c
     WHERE c.tier_rank IN (1, 2) AND (c.last_contact_at IS NULL OR c.last_contact_at < now() - make_interval(days => ?)) AND ${filter.sql} ${next}
     ORDER BY c.last_contact_at NULLS FIRST, c.tier_rank, c.id LIMIT ?`,
    [user.id, query.days, ...filter.params, ...(after ? (after[0] === null ? [after[1], after[2]] : after) : []), query.limit + 1],
  );
  return pageOf(
    rows,
    query.limit,
    (page) => page.map(present),
    // The instant as PostgreSQL wrote it (to the microsecond), so the next page starts exactly after it.
    (last) => keysetCursor([last.last_contact_at === null ? null : typeof last.last_contact_at === 'string' ? last.last_contact_at : last.last_contact_at.toISOString(), Number(last.tier_rank), String(last.id)]),
  );
}

/**
 * One's own customers (as an owner) not contacted for `days` days or never, most valuable first
 * (tiers, then prospects by class), the longest without contact first within a tier: the workbench's
 * "to contact". Within customerVisibilityFilter like every read of customers.
 */
export async function customersToContact(em: EntityManager, user: User, query: { days: number; limit: number }): Promise<CustomerDTO[]> {
  const filter = await customerVisibilityFilter(em, user);
  const rows = await preparedQuery<CustomerRow>(
    em,
    `SELECT ${customerColumns} FROM customers c JOIN customer_owners mo ON mo.customer_id = c.id AND mo.user_id = ?
     WHERE (c.last_contact_at IS NULL OR c.last_contact_at < now() - make_interval(days => ?)) AND ${filter.sql}
     ORDER BY c.tier_rank, c.last_contact_at NULLS FIRST, c.id LIMIT ?`,
    [user.id, user.id, query.days, ...filter.params, query.limit],
  );
  return rows.map(present);
}
