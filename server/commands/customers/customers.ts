import type { EntityManager } from '@mikro-orm/postgresql';
import { customerStream, tierRank, type CustomerTier, type CustomerType, type ProspectClass } from '../../../shared/customers.js';
import { pgArray } from '../../db/sql.js';
import { badRequest } from '../../errors.js';
import { requireCustomerManager, requireVisibleCustomer } from '../../policies/customers.js';
import type { CommandContext } from '../context.js';
import { feedItemAppender } from './feed.js';
import { careRemindersSync } from './careReminders.js';

export type ContactInput = { name: string; title: string; phone: string; email: string; birthday: string | null };
export type CustomerInput = { name: string; type: CustomerType; tier: CustomerTier | null; prospectClass: ProspectClass | null; address: string; notes: string; ownerIds?: string[]; contacts: ContactInput[] };

/** Refuses owner ids that are not active users. */
export async function requireActiveOwners(tx: EntityManager, ownerIds: string[]) {
  const rows = await tx.execute(`SELECT 1 FROM users WHERE id = ANY(?::bigint[]) AND active`, [pgArray(ownerIds)]);
  if (rows.length !== ownerIds.length) throw badRequest('Some owners do not exist or are deactivated', [{ path: 'ownerIds', message: 'unknown or deactivated user', code: 'unknown_user' }]);
}

/** Inserts contacts of one customer in one statement; returns their ids. */
export async function insertContacts(tx: EntityManager, customerId: string, contacts: ContactInput[]): Promise<string[]> {
  if (!contacts.length) return [];
  const rows = await tx.execute<{ id: string }[]>(
    `INSERT INTO contacts (customer_id, name, title, phone, email, birthday, created_at)
     SELECT ?::bigint, u.*, now() FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u RETURNING id::text AS id`,
    [customerId, ...(['name', 'title', 'phone', 'email'] as const).map((k) => pgArray(contacts.map((c) => c[k]))), `{${contacts.map((c) => (c.birthday ? `"${c.birthday}"` : 'NULL')).join(',')}}`],
  );
  return rows.map((r) => String(r.id));
}

/** Creates a customer with its owners (the creator when none are named) and contacts. */
export async function customerCreator(cx: CommandContext, input: CustomerInput): Promise<string> {
  const { em: tx, actor } = cx;
  const ownerIds = [...new Set(input.ownerIds?.length ? input.ownerIds : [actor.id])];
  await requireActiveOwners(tx, ownerIds);
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO customers (name, type, tier, prospect_class, tier_rank, address, notes, created_by_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), now()) RETURNING id::text AS id`,
    [input.name, input.type, input.tier, input.prospectClass, tierRank(input.tier, input.prospectClass), input.address, input.notes, actor.id],
  );
  await tx.execute(`INSERT INTO customer_owners (customer_id, user_id) SELECT ?::bigint, unnest(?::bigint[])`, [row.id, pgArray(ownerIds)]);
  await insertContacts(tx, row.id, input.contacts);
  await careRemindersSync(cx, [row.id]);
  return row.id;
}

/** Changes a customer; a tier or class change goes into its feed, re-ranks its feed items, new owners get the care reminders. */
export async function customerUpdater(cx: CommandContext, customerId: string, input: Partial<Omit<CustomerInput, 'contacts'>>) {
  const { em: tx, actor } = cx;
  await requireCustomerManager(tx, actor, customerId);
  const [before] = await tx.execute<{ tier: CustomerTier | null; prospect_class: ProspectClass | null; type: string }[]>(`SELECT tier, prospect_class, type FROM customers WHERE id = ? FOR UPDATE`, [customerId]);
  // Setting a tier makes a prospect a customer, and the other way round.
  const tier = input.tier !== undefined ? input.tier : input.prospectClass ? null : before.tier;
  const prospectClass = input.prospectClass !== undefined ? input.prospectClass : input.tier ? null : before.prospect_class;
  const rank = tierRank(tier, prospectClass);
  await tx.execute(
    `UPDATE customers SET name = coalesce(?, name), type = coalesce(?, type), address = coalesce(?, address), notes = coalesce(?, notes), tier = ?, prospect_class = ?, tier_rank = ?, updated_at = now() WHERE id = ?`,
    [input.name ?? null, input.type ?? null, input.address ?? null, input.notes ?? null, tier, prospectClass, rank, customerId],
  );
  if (input.ownerIds) {
    const ownerIds = [...new Set(input.ownerIds)];
    await requireActiveOwners(tx, ownerIds);
    const previousOwners = (await tx.execute<{ user_id: string }[]>(`SELECT user_id::text AS user_id FROM customer_owners WHERE customer_id = ? ORDER BY user_id`, [customerId])).map((r) => String(r.user_id));
    const nextOwners = ownerIds.map(String).sort((a, b) => Number(a) - Number(b));
    // Owners decide who sees the customer (their lines of superiors): a change of them is a change of visibility.
    if (JSON.stringify(previousOwners) !== JSON.stringify(nextOwners)) await cx.audit({ action: 'customer.visibility_changed', targetType: 'customer', targetId: String(customerId), data: { ownerIds: [previousOwners, nextOwners] } });
    await tx.execute(`DELETE FROM customer_owners WHERE customer_id = ? AND NOT (user_id = ANY(?::bigint[]))`, [customerId, pgArray(ownerIds)]);
    await tx.execute(`INSERT INTO customer_owners (customer_id, user_id) SELECT ?::bigint, unnest(?::bigint[]) ON CONFLICT DO NOTHING`, [customerId, pgArray(ownerIds)]);
    await careRemindersSync(cx, [customerId]);
    // A former owner, and their superiors, may no longer see the customer (when only owners' lines see customers).
    cx.sockets.recheckAccess({ streams: [customerStream(customerId)] });
  }
  if ((input.type && input.type !== before.type) || tier !== before.tier || prospectClass !== before.prospect_class) {
    await tx.execute(`UPDATE feed_items SET tier_rank = ?, customer_type = (SELECT type FROM customers WHERE id = ?) WHERE customer_id = ?`, [rank, customerId, customerId]);
  }
  if (tier !== before.tier || prospectClass !== before.prospect_class) {
    await feedItemAppender(cx, {
      customerId,
      kind: 'tier_change',
      actorId: actor.id,
      data: { from: { tier: before.tier, prospectClass: before.prospect_class }, to: { tier, prospectClass } },
    });
  }
}

/** Follows (true) or unfollows a customer the user can see. */
export async function customerFollower(cx: CommandContext, customerId: string, follow: boolean) {
  const { em: tx, actor } = cx;
  await requireVisibleCustomer(tx, actor, customerId);
  if (follow) await tx.execute(`INSERT INTO customer_followers (customer_id, user_id, created_at) VALUES (?, ?, now()) ON CONFLICT DO NOTHING`, [customerId, actor.id]);
  else await tx.execute(`DELETE FROM customer_followers WHERE customer_id = ? AND user_id = ?`, [customerId, actor.id]);
}
