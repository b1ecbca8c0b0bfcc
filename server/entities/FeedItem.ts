import { defineEntity, p } from '@mikro-orm/core';
import { Customer } from './Customer.js';
import { User } from './User.js';
import { BoardThread } from './BoardThread.js';

const FeedItemSchema = defineEntity({
  name: 'FeedItem',
  tableName: 'feed_items',
  indexes: [
    { properties: ['customer', 'id'], name: 'feed_items_customer_idx' },
    // The team feed, most valuable tiers first.
    { properties: ['tierRank', 'id'], name: 'feed_items_tier_idx' },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    customer: () => p.manyToOne(Customer).deleteRule('cascade'),
    kind: p.enum(['entry', 'result', 'contact_record', 'comment', 'annotation', 'tier_change', 'report', 'thread'] as const),
    actor: () => p.manyToOne(User).deleteRule('cascade'),
    entryId: p.bigint('string').nullable(),
    // A board thread linked to the customer: shown only to those who may see the thread too (see customerFeed).
    thread: () => p.manyToOne(BoardThread).nullable().deleteRule('cascade').index('feed_items_thread_idx'),
    // Rich text of comments and contact records, with its plain text.
    body: p.json<Record<string, unknown>>().nullable(),
    text: p.text().default(''),
    // What the item shows: an entry's summary, a contact record's channel, a tier change's values.
    data: p.json<Record<string, unknown>>(),
    // The customer's tier rank, copied (and kept in step) so the team feed sorts by value with an index.
    tierRank: p.smallint(),
    customerType: p.string().length(20),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** One item of a customer feed (客户动态). */
export class FeedItem extends FeedItemSchema.class {}
FeedItemSchema.setClass(FeedItem);
export { FeedItemSchema };
