import type { ContactDTO, CustomerDTO, FeedItemDTO } from '../../shared/customers.js';

export type CustomerRow = {
  id: string; name: string; type: CustomerDTO['type']; tier: CustomerDTO['tier']; prospect_class: CustomerDTO['prospectClass'];
  address: string; notes: string; last_contact_at: Date | string | null; created_at: Date; owners: { id: string; displayName: string; email: string }[] | null; following: boolean;
};

/** A customer row as the API shows it. */
export const presentCustomer = (r: CustomerRow): CustomerDTO => ({
  id: String(r.id), name: r.name, type: r.type, tier: r.tier, prospectClass: r.prospect_class, address: r.address, notes: r.notes,
  owners: r.owners ?? [], lastContactAt: r.last_contact_at ? new Date(r.last_contact_at).toISOString() : null, following: r.following, createdAt: new Date(r.created_at).toISOString(),
});

export type ContactRow = { id: string; customer_id: string; name: string; title: string; phone: string; email: string; birthday: string | null };
/** A contact row as the API shows it. */
export const presentContact = (r: ContactRow): ContactDTO => ({ id: String(r.id), customerId: String(r.customer_id), name: r.name, title: r.title, phone: r.phone, email: r.email, birthday: r.birthday });

export type FeedRow = {
  id: string; customer_id: string; customer_name: string; customer_type: FeedItemDTO['customerType']; tier: FeedItemDTO['tier']; prospect_class: FeedItemDTO['prospectClass']; kind: FeedItemDTO['kind'];
  actor_id: string; actor_name: string; actor_email: string; entry_id: string | null; body: FeedItemDTO['body']; text: string; data: FeedItemDTO['data']; created_at: Date; tier_rank: number;
};

/** A feed row as the API shows it. */
export const presentFeedItem = (r: FeedRow): FeedItemDTO => ({
  id: String(r.id), customerId: String(r.customer_id), customerName: r.customer_name, customerType: r.customer_type, tier: r.tier, prospectClass: r.prospect_class, kind: r.kind,
  actor: { id: String(r.actor_id), displayName: r.actor_name, email: r.actor_email }, entryId: r.entry_id ? String(r.entry_id) : null,
  body: r.body, text: r.text, data: r.data, createdAt: new Date(r.created_at).toISOString(),
});
