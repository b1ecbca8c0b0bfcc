import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

const NotificationSchema = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  indexes: [{ properties: ['recipient', 'id'], name: 'notifications_recipient_id_idx' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    recipient: () => p.manyToOne(User).deleteRule('cascade'),
    kind: p.string().length(40),
    title: p.string().length(200),
    body: p.text().default(''),
    link: p.string().length(500).nullable(),
    data: p.json<Record<string, unknown>>().nullable(),
    urgent: p.boolean().default(false),
    readAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** Something that concerns one user; stored, pushed live, listed and marked read. */
export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);
export { NotificationSchema };
