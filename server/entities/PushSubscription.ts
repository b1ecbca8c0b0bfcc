import { defineEntity, p } from '@mikro-orm/core';
import { Session } from './Session.js';
import { User } from './User.js';

const PushSubscriptionSchema = defineEntity({
  name: 'PushSubscription',
  tableName: 'push_subscriptions',
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // The sign-in that subscribed: signing out (or a new password) ends the device's pushes with it,
    // so the next person to use a shared browser never sees the last one's notifications.
    session: () => p.manyToOne(Session).deleteRule('cascade').index(),
    // The push service's URL for this browser; a browser that subscribes again after another user
    // signed in on it keeps its endpoint, so the endpoint names the device, whoever owns it now.
    endpoint: p.text().unique(),
    // The browser's P-256 public key and auth secret (RFC 8291) that every payload is encrypted to.
    p256dh: p.string().length(100),
    auth: p.string().length(50),
    // What the user sees in their device list ("Chrome on Android").
    label: p.string().length(100),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSuccessAt: p.datetime().nullable(),
  },
});

/** One browser on one device that receives Web Push for its user. */
export class PushSubscription extends PushSubscriptionSchema.class {}
PushSubscriptionSchema.setClass(PushSubscription);
export { PushSubscriptionSchema };
