import { defineEntity, p } from '@mikro-orm/core';
import type { AnnouncementScope, EscalationLadder } from '../../shared/announcements.js';
import { announcementCategories, announcementPriorities } from '../../shared/announcements.js';
import { User } from './User.js';

const AnnouncementSchema = defineEntity({
  name: 'Announcement',
  tableName: 'announcements',
  indexes: [
    { properties: ['publisher', 'id'], name: 'announcements_publisher_id_idx' },
    { properties: ['status', 'publishedAt'], name: 'announcements_status_published_idx' },
  ],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    publisher: () => p.manyToOne(User).deleteRule('cascade'),
    // The current version's title and body (Lexical JSON) with its plain text; earlier ones are in announcement_versions.
    title: p.string().length(200),
    body: p.json<Record<string, unknown>>(),
    bodyText: p.text().default(''),
    category: p.enum(announcementCategories),
    priority: p.enum(announcementPriorities).default('normal'),
    requiresAck: p.boolean().default(false),
    // As the publisher chose it; the people are resolved into announcement_recipients at publication.
    scope: p.json<AnnouncementScope>(),
    status: p.enum(['scheduled', 'published'] as const),
    // When it was asked to go out (null: at once), when it did, and when it stops counting.
    publishAt: p.datetime().nullable(),
    publishedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    // Set once the expiry has been processed (queued e-mail / SMS cancelled, ladder stopped).
    expiredAt: p.datetime().nullable(),
    pinned: p.boolean().default(false),
    version: p.integer().default(1),
    // The version everyone must acknowledge: a revision that asks again moves it.
    ackVersion: p.integer().nullable(),
    escalation: p.json<EscalationLadder>().nullable(),
    lastRemindedAt: p.datetime().nullable(),
    recipientCount: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** A notice, policy (制度) or directive (指令) published top-down to a resolved set of people. */
export class Announcement extends AnnouncementSchema.class {}
AnnouncementSchema.setClass(Announcement);
export { AnnouncementSchema };
