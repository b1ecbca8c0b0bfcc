import type { EntityManager } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { ContactDTO } from '../../../shared/customers.js';
import { User } from '../../entities/User.js';
import { notFound } from '../../errors.js';
import { parseRichText, richTextToPlainText, extractMentionedUserIds } from '../../editor/index.js';
import { presentContact } from '../../queries/customers.js';
import { canSeeCustomer, requireVisibleCustomer } from '../../policies/customers.js';
import { pgArray } from '../../db/sql.js';
import { notificationCreator } from '../notifications.js';
import type { PendingEvents } from '../transaction.js';
import { insertContacts, requireCustomerManager, type ContactInput } from './customers.js';
import { feedItemAppender } from './feed.js';
import { careRemindersSync } from './careReminders.js';

const contactColumns = `id::text AS id, customer_id::text AS customer_id, name, title, phone, email, birthday`;

/** Adds a contact to a customer the actor may change. */
export async function contactCreator(tx: EntityManager, boss: PgBoss, actor: User, customerId: string, input: ContactInput): Promise<ContactDTO> {
  await requireCustomerManager(tx, actor, customerId);
  const [id] = await insertContacts(tx, customerId, [input]);
  await careRemindersSync(tx, boss, [customerId]);
  const [row] = await tx.execute(`SELECT ${contactColumns} FROM contacts WHERE id = ?`, [id]);
  return presentContact(row as never);
}

/** Changes a contact of a customer the actor may change. */
export async function contactUpdater(tx: EntityManager, boss: PgBoss, actor: User, customerId: string, contactId: string, input: Partial<ContactInput>): Promise<ContactDTO> {
  await requireCustomerManager(tx, actor, customerId);
  const [row] = await tx.execute(
    `UPDATE contacts SET name = coalesce(?, name), title = coalesce(?, title), phone = coalesce(?, phone), email = coalesce(?, email),
       birthday = CASE WHEN ? THEN ? ELSE birthday END
     WHERE id = ? AND customer_id = ? RETURNING ${contactColumns}`,
    [input.name ?? null, input.title ?? null, input.phone ?? null, input.email ?? null, input.birthday !== undefined, input.birthday ?? null, contactId, customerId],
  );
  if (!row) throw notFound('The contact');
  await careRemindersSync(tx, boss, [customerId]);
  return presentContact(row as never);
}

/** Removes a contact of a customer the actor may change. */
export async function contactDeleter(tx: EntityManager, boss: PgBoss, actor: User, customerId: string, contactId: string) {
  await requireCustomerManager(tx, actor, customerId);
  const rows = await tx.execute(`DELETE FROM contacts WHERE id = ? AND customer_id = ? RETURNING id`, [contactId, customerId]);
  if (!rows.length) throw notFound('The contact');
  await careRemindersSync(tx, boss, [customerId]);
}

/**
 * A comment in a customer's feed by anyone who sees the customer; mentioned users who can
 * see it too are notified.
 */
export async function commentCreator(tx: EntityManager, events: PendingEvents, actor: User, customerId: string, rawBody: unknown) {
  await requireVisibleCustomer(tx, actor, customerId);
  const body = parseRichText(rawBody);
  const text = richTextToPlainText(body);
  const item = await feedItemAppender(tx, events, { customerId, kind: 'comment', actorId: actor.id, body: body as never, text });
  const mentioned = extractMentionedUserIds(body).filter((id) => id !== actor.id);
  if (mentioned.length) {
    const users = await tx.find(User, { id: { $in: mentioned }, active: true });
    for (const { id } of users) {
      // A mention never shows the comment to someone the visibility setting keeps away from the customer.
      if (!(await canSeeCustomer(tx, users.find((u) => u.id === id)!, customerId))) continue;
      await notificationCreator(tx, events, { recipientId: String(id), kind: 'mention', title: `${actor.displayName} mentioned you on ${item.customerName}`, body: text.slice(0, 500), link: `/customers/${customerId}`, data: { customerId, feedItemId: item.id } });
    }
  }
  return item;
}

/** A logged call, visit or e-mail with a customer: a feed item that counts as contact. */
export async function contactRecordCreator(tx: EntityManager, events: PendingEvents, actor: User, customerId: string, input: { channel: string; body: unknown; contactIds: string[] }) {
  await requireVisibleCustomer(tx, actor, customerId);
  const body = parseRichText(input.body);
  if (input.contactIds.length) {
    const found = await tx.execute(`SELECT 1 FROM contacts WHERE customer_id = ? AND id = ANY(?::bigint[])`, [customerId, pgArray(input.contactIds)]);
    if (found.length !== new Set(input.contactIds).size) throw notFound('A contact');
  }
  return feedItemAppender(tx, events, { customerId, kind: 'contact_record', actorId: actor.id, body: body as never, text: richTextToPlainText(body), data: { channel: input.channel, contactIds: input.contactIds }, contact: true });
}
