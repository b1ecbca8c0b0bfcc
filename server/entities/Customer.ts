import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const CustomerSchema = defineEntity({
  name: 'Customer',
  tableName: 'customers',
  indexes: [
    // Neglected customers: the valuable tiers, least recently contacted first.
    { properties: ['tierRank', 'lastContactAt'], name: 'customers_tier_contact_idx' },
    { properties: ['name'], name: 'customers_name_idx' },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    name: p.string().length(200),
    type: p.enum(['end_customer', 'channel', 'supplier', 'competitor', 'media', 'partner'] as const),
    tier: p.enum(['platinum', 'gold', 'silver', 'regular', 'poor'] as const).nullable(),
    prospectClass: p.enum(['A', 'B', 'C'] as const).nullable(),
    // 1 platinum .. 5 poor, 6 prospect A .. 8 prospect C: "most valuable first" is one ascending sort.
    tierRank: p.smallint(),
    address: p.string().length(500).default(''),
    notes: p.text().default(''),
    lastContactAt: p.datetime().nullable(),
    createdBy: () => p.manyToOne(User).deleteRule('restrict'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** A company the staff work with: an end customer, channel, supplier, competitor, media or partner. */
export class Customer extends CustomerSchema.class {}
CustomerSchema.setClass(Customer);
export { CustomerSchema };
