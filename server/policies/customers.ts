import type { EntityManager } from '@mikro-orm/postgresql';
import type { User } from '../entities/User.js';
import { notFound } from '../errors.js';
import { registerStreamPolicy } from '../realtime/streamPolicies.js';
import { subordinateIdsSql } from './hierarchy.js';

/** A SQL condition on the customer alias `c` and its parameters. */
export type SqlFilter = { sql: string; params: unknown[] };

/**
 * Who sees a customer, per the organisation setting: everyone, or only its owners and their
 * superiors (and administrators, who run imports and settings). Filtered in SQL, never in JS.
 */
export async function customerVisibilityFilter(_em: EntityManager, user: User, alias = 'c'): Promise<SqlFilter> {
  if (user.role === 'admin') return { sql: 'TRUE', params: [] };
  // The setting is read inside the query (an InitPlan, evaluated once), saving a round trip per request.
  return {
    sql: `(coalesce((SELECT s.value #>> '{}' FROM org_settings s WHERE s.key = 'customerVisibility'), 'everyone') = 'everyone'
      OR EXISTS (SELECT 1 FROM customer_owners vo WHERE vo.customer_id = ${alias}.id AND (vo.user_id = ? OR vo.user_id IN (${subordinateIdsSql}))))`,
    params: [user.id, user.id, user.id],
  };
}

/** True when the user may see the customer (and follow its feed). */
export async function canSeeCustomer(em: EntityManager, user: User, customerId: string): Promise<boolean> {
  const filter = await customerVisibilityFilter(em, user);
  const rows = await em.execute(`SELECT 1 FROM customers c WHERE c.id = ? AND ${filter.sql}`, [customerId, ...filter.params]);
  return rows.length > 0;
}

/** The customer is visible, or a 404 that does not reveal whether it exists. */
export async function requireVisibleCustomer(em: EntityManager, user: User, customerId: string): Promise<void> {
  if (!(await canSeeCustomer(em, user, customerId))) throw notFound('The customer');
}

registerStreamPolicy('customer', (em, user, id) => canSeeCustomer(em, user, id));
