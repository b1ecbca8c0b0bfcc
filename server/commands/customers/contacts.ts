import type { ContactDTO } from '../../../shared/customers.js';
import { notFound } from '../../errors.js';
import { parseRichText, richTextToPlainText, extractMentionedUserIds } from '../../editor/index.js';
import { presentContact } from '../../presenters/customer.js';
import { customerAudienceSql, requireCustomerManager, requireVisibleCustomer } from '../../policies/customers.js';
import { pgArray } from '../../db/sql.js';
import type { CommandContext } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients } from '../notifications/recipients.js';
import { insertContacts, type ContactInput } from './customers.js';
import { feedItemAppender } from './feed.js';
import { careRemindersSync } from './careReminders.js';

const contactColumns = `id::text AS id, customer_id::text AS customer_id, name, title, phone, email, birthday`;

/** Adds a contact to a customer the actor may change. */
export async function contactCreator(cx: CommandContext, customerId: string, input: ContactInput): Promise<ContactDTO> {
  const { em: tx, actor } = cx;
  await requireCustomerManager(tx, actor, customerId);
  const [id] = await insertContacts(tx, customerId, [input]);
  await careRemindersSync(cx, [customerId]);
  const [row] = await tx.execute(`SELECT ${contactColumns} FROM contacts WHERE id = ?`, [id]);
  return presentContact(row as never);
}

/** Changes a contact of a customer the actor may change. */
export async function contactUpdater(cx: CommandContext, customerId: string, contactId: string, input: Partial<ContactInput>): Promise<ContactDTO> {
  const { em: tx, actor } = cx;
  await requireCustomerManager(tx, actor, customerId);
  const [row] = await tx.execute(
    `UPDATE contacts SET name = coalesce(?, name), title = coalesce(?, title), phone = coalesce(?, phone), email = coalesce(?, email),
       birthday = CASE WHEN ? THEN ? ELSE birthday END
     WHERE id = ? AND customer_id = ? RETURNING ${contactColumns}`,
    [input.name ?? null, input.title ?? null, input.phone ?? null, input.email ?? null, input.birthday !== undefined, input.birthday ?? null, contactId, customerId],
  );
  if (!row) throw notFound('The contact');
  await careRemindersSync(cx, [customerId]);
  return presentContact(row as never);
}

/** Removes a contact of a customer the actor may change. */
export async function contactDeleter(cx: CommandContext, customerId: string, contactId: string) {
  const { em: tx, actor } = cx;
  await requireCustomerManager(tx, actor, customerId);
  const rows = await tx.execute(`DELETE FROM contacts WHERE id = ? AND customer_id = ? RETURNING id`, [contactId, customerId]);
  if (!rows.length) throw notFound('The contact');
  await careRemindersSync(cx, [customerId]);
}

/**
 * A comment in a customer's feed by anyone who sees the customer; mentioned users who can
 * see it too are notified.
 */
export async function commentCreator(cx: CommandContext, customerId: string, rawBody: unknown) {
  const { em: tx, actor } = cx;
  await requireVisibleCustomer(tx, actor, customerId);
  const body = parseRichText(rawBody);
  const text = richTextToPlainText(body);
  const item = await feedItemAppender(cx, { customerId, kind: 'comment', actorId: actor.id, body: body as never, text });
  const mentioned = extractMentionedUserIds(body).filter((id) => id !== actor.id);
  if (mentioned.length) {
    // A mention never shows the comment to someone the visibility setting keeps away from the customer.
    await notify(
      cx,
      recipients.sql(`SELECT u.id AS user_id FROM users u JOIN customers c ON c.id = ? WHERE u.id = ANY(?::bigint[]) AND ${customerAudienceSql('u', 'c')}`, [customerId, pgArray(mentioned)]),
      { kind: 'mention', title: `${actor.displayName} mentioned you on ${item.customerName}`, body: text.slice(0, 500), link: `/customers/${customerId}`, data: { customerId, feedItemId: item.id } },
    );
  }
  return item;
}

/** A logged call, visit or e-mail with a customer: a feed item that counts as contact. */
export async function contactRecordCreator(cx: CommandContext, customerId: string, input: { channel: string; body: unknown; contactIds: string[] }) {
  const { em: tx, actor } = cx;
  await requireVisibleCustomer(tx, actor, customerId);
  const body = parseRichText(input.body);
  if (input.contactIds.length) {
    const found = await tx.execute(`SELECT 1 FROM contacts WHERE customer_id = ? AND id = ANY(?::bigint[])`, [customerId, pgArray(input.contactIds)]);
    if (found.length !== new Set(input.contactIds).size) throw notFound('A contact');
  }
  return feedItemAppender(cx, { customerId, kind: 'contact_record', actorId: actor.id, body: body as never, text: richTextToPlainText(body), data: { channel: input.channel, contactIds: input.contactIds }, contact: true });
}
