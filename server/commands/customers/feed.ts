import { customerStream, type FeedItemDTO, type FeedItemKind } from '../../../shared/customers.js';
import { feedItem } from '../../queries/feed.js';
import { appendEvent, type CommandContext } from '../context.js';

export type FeedItemInput = {
  customerId: string;
  kind: FeedItemKind;
  actorId: string;
  entryId?: string | null;
  body?: Record<string, unknown> | null;
  text?: string;
  data?: Record<string, unknown>;
  /** Counts as contacting the customer (a done visit or call, a logged contact record). */
  contact?: boolean;
};

/** Adds an item to a customer's feed and pushes it on `customer:<id>` after the commit. */
export async function feedItemAppender(cx: CommandContext, input: FeedItemInput): Promise<FeedItemDTO> {
  const tx = cx.em;
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO feed_items (customer_id, kind, actor_id, entry_id, body, text, data, tier_rank, customer_type, created_at)
     SELECT c.id, ?, ?, ?, ?, ?, ?, c.tier_rank, c.type, now() FROM customers c WHERE c.id = ? RETURNING id::text AS id`,
    [input.kind, input.actorId, input.entryId ?? null, input.body ? JSON.stringify(input.body) : null, input.text ?? '', JSON.stringify(input.data ?? {}), input.customerId],
  );
  if (input.contact) await tx.execute(`UPDATE customers SET last_contact_at = now() WHERE id = ?`, [input.customerId]);
  const item = await feedItem(tx, row.id);
  await appendEvent(cx, customerStream(input.customerId), 'feed.item', { item });
  return item;
}
