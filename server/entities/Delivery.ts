import { defineEntity, p } from '@mikro-orm/core';
import { Notification } from './Notification.js';
import { ReminderOccurrence } from './ReminderOccurrence.js';
import { PushSubscription } from './PushSubscription.js';
import { User } from './User.js';

// cancelled: never sent because it stopped being needed (an announcement acknowledged or expired first).
export const deliveryStatuses = ['queued', 'sent', 'delivered', 'failed', 'logged', 'cancelled'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const DeliverySchema = defineEntity({
  name: 'Delivery',
  tableName: 'deliveries',
  indexes: [
    { properties: ['recipient', 'id'], name: 'deliveries_recipient_id_idx' },
    { properties: ['providerId'], name: 'deliveries_provider_id_idx' },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    notification: () => p.manyToOne(Notification).deleteRule('cascade'),
    // The reminder occurrence behind the notification; with recipient and channel it is the exactly-once key.
    occurrence: () => p.manyToOne(ReminderOccurrence).nullable().deleteRule('set null'),
    recipient: () => p.manyToOne(User).deleteRule('cascade'),
    channel: p.enum(['email', 'sms', 'push'] as const),
    // The device a push goes to (one row per device); null for e-mail and SMS, and once the device is gone.
    pushSubscription: () => p.manyToOne(PushSubscription).nullable().deleteRule('set null'),
    // smtp, twilio, or log when the channel is not configured (recorded, never pretended sent).
    provider: p.string().length(20),
    address: p.string().length(254),
    status: p.enum(deliveryStatuses).default('queued'),
    providerId: p.string().length(100).nullable(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    // Not sent before this instant: quiet hours or a retry's backoff.
    notBefore: p.datetime(),
    // A worker that claimed the row holds it until then; after a crash another one takes over.
    claimedUntil: p.datetime().nullable(),
    queuedAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    failedAt: p.datetime().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** One e-mail, SMS or push (to one device) for one notification: the delivery log and the outbox in one row. */
export class Delivery extends DeliverySchema.class {}
DeliverySchema.setClass(Delivery);
export { DeliverySchema };
