import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../entities/User.js';
import { forbidden, notFound } from '../errors.js';
import { pgArray } from '../db/sql.js';
import { subordinateIdsOf } from './hierarchy.js';

/** A SQL condition (on aliases the caller names) and its parameters. */
export type SqlFilter = { sql: string; params: unknown[] };

/** A user as SQL: their id (`?` or a column) and whether they are an administrator. */
type Viewer = { id: string; admin: string };

/**
 * Who sees a customer — THE predicate every read of customers uses (lists, feeds, the
 * `customer:<id>` stream, mentions): per the organisation setting, everyone, or only its owners,
 * their superiors and administrators (who run imports and settings). The setting is read inside
 * the query (an InitPlan, evaluated once), saving a round trip per request.
 */
function customerVisibleSql(viewer: Viewer, c: string): string {
  return `(${viewer.admin} OR coalesce((SELECT s.value #>> '{}' FROM org_settings s WHERE s.key = 'customerVisibility'), 'everyone') = 'everyone'
      OR EXISTS (SELECT 1 FROM customer_owners vo WHERE vo.customer_id = ${c}.id AND (vo.user_id = ${viewer.id} OR vo.user_id IN (${subordinateIdsOf(viewer.id)}))))`;
}

/** Who may change a customer and its contacts: its owners, their superiors and administrators. */
function customerManagerSql(viewer: Viewer, c: string): string {
  return `(${viewer.admin} OR EXISTS (SELECT 1 FROM customer_owners mo WHERE mo.customer_id = ${c}.id AND (mo.user_id = ${viewer.id} OR mo.user_id IN (${subordinateIdsOf(viewer.id)}))))`;
}

/** A bound non-administrator (administrators short-cut to TRUE): the three `?` take their id. */
const BOUND: Viewer = { id: '?', admin: 'FALSE' };

/** The customers (alias `alias`) one user may see, filtered in SQL, never in JS. */
export async function customerVisibilityFilter(_em: EntityManager, user: User, alias = 'c'): Promise<SqlFilter> {
  if (user.role === 'admin') return { sql: 'TRUE', params: [] };
  return { sql: customerVisibleSql(BOUND, alias), params: [user.id, user.id, user.id] };
}

/** The same predicate asked of every user `u` of a query about customer `c` (who may be told about it). */
export function customerAudienceSql(u: string, c: string): string {
  return customerVisibleSql({ id: `${u}.id`, admin: `${u}.role = 'admin'` }, c);
}

/** Whether the user may change customer `alias`, as a selectable SQL expression (the `can.edit` of a customer). */
export function customerManagerFilter(user: User, alias = 'c'): SqlFilter {
  if (user.role === 'admin') return { sql: 'TRUE', params: [] };
  return { sql: customerManagerSql(BOUND, alias), params: [user.id, user.id, user.id] };
}

/** True when the user may see the customer (and follow its feed). */
export async function canSeeCustomer(em: EntityManager, user: User, customerId: string): Promise<boolean> {
  return (await visibleCustomers(em, user, [customerId])).has(customerId);
}

/** Of the customers asked about, those the user may see (the `customer:<id>` stream policy). */
export async function visibleCustomers(em: EntityManager, user: User, customerIds: string[]): Promise<Set<string>> {
  const filter = await customerVisibilityFilter(em, user);
  const rows = await em.execute<{ id: string }[]>(`SELECT c.id::text AS id FROM customers c WHERE c.id = ANY(?::bigint[]) AND ${filter.sql}`, [pgArray(customerIds), ...filter.params]);
  return new Set(rows.map((r) => r.id));
}

/** The customer is visible, or a 404 that does not reveal whether it exists. */
export async function requireVisibleCustomer(em: EntityManager, user: User, customerId: string): Promise<void> {
  if (!(await canSeeCustomer(em, user, customerId))) throw notFound('The customer');
}

/** Owners, their superiors and administrators may change a customer; others who see it get a 403, others a 404. */
export async function requireCustomerManager(em: EntityManager, user: User, customerId: string): Promise<void> {
  await requireVisibleCustomer(em, user, customerId);
  const manager = customerManagerFilter(user);
  const rows = await em.execute(`SELECT 1 FROM customers c WHERE c.id = ? AND ${manager.sql}`, [customerId, ...manager.params]);
  if (!rows.length) throw forbidden('Only the customer’s owners, their superiors and administrators may change it');
}
