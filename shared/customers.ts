/** Customers, contacts and the customer feed as the API presents them. */
import type { UserSummaryDTO } from './dto.js';

export const customerTypes = ['end_customer', 'channel', 'supplier', 'competitor', 'media', 'partner'] as const;
export type CustomerType = (typeof customerTypes)[number];
export const customerTiers = ['platinum', 'gold', 'silver', 'regular', 'poor'] as const;
export type CustomerTier = (typeof customerTiers)[number];
export const prospectClasses = ['A', 'B', 'C'] as const;
export type ProspectClass = (typeof prospectClasses)[number];
export const customerVisibilities = ['everyone', 'owners'] as const;
export type CustomerVisibility = (typeof customerVisibilities)[number];

/** 1 platinum .. 5 poor, then prospects 6 (A) .. 8 (C): ascending is "most valuable first" (the 80/20 idea). */
export function tierRank(tier: CustomerTier | null, prospectClass: ProspectClass | null): number {
  if (tier) return customerTiers.indexOf(tier) + 1;
  return 6 + prospectClasses.indexOf(prospectClass ?? 'B');
}

/** The realtime stream of one customer's feed. */
export const customerStream = (customerId: string): `customer:${string}` => `customer:${customerId}`;

export type ContactDTO = { id: string; customerId: string; name: string; title: string; phone: string; email: string; birthday: string | null };

export type CustomerDTO = {
  id: string;
  name: string;
  type: CustomerType;
  tier: CustomerTier | null;
  prospectClass: ProspectClass | null;
  address: string;
  notes: string;
  owners: UserSummaryDTO[];
  lastContactAt: string | null;
  following: boolean;
  createdAt: string;
};

/** One customer with its contacts, and what the user may do: change it and its contacts (owners, their superiors, administrators). */
export type CustomerDetailDTO = CustomerDTO & { contacts: ContactDTO[]; can: { edit: boolean } };

export type FeedItemKind = 'entry' | 'result' | 'contact_record' | 'comment' | 'annotation' | 'tier_change' | 'report' | 'thread' | 'files';

export type FeedItemDTO = {
  id: string;
  customerId: string;
  customerName: string;
  customerType: CustomerType;
  tier: CustomerTier | null;
  prospectClass: ProspectClass | null;
  kind: FeedItemKind;
  actor: UserSummaryDTO;
  entryId: string | null;
  body: Record<string, unknown> | null;
  text: string;
  data: Record<string, unknown>;
  createdAt: string;
};

export type CustomerStreamEvents = {
  'feed.item': { item: FeedItemDTO };
  /** Something of the feed that not every follower may see changed (a linked board thread): ask for the feed again. */
  'feed.changed': { customerId: string };
};
