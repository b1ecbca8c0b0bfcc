import { defineEntity, p } from '@mikro-orm/core';
import { Announcement } from './Announcement.js';
import { User } from './User.js';

const AnnouncementRecipientSchema = defineEntity({
  name: 'AnnouncementRecipient',
  tableName: 'announcement_recipients',
  indexes: [{ properties: ['user', 'announcement'], name: 'announcement_recipients_user_idx' }],
  properties: {
    announcement: () => p.manyToOne(Announcement).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    // publish: resolved at publication; joined: a new hire or someone who moved into the scope later.
    via: p.enum(['publish', 'joined'] as const),
    receivedAt: p.datetime(),
    firstReadAt: p.datetime().nullable(),
    acknowledgedAt: p.datetime().nullable(),
    acknowledgedVersion: p.integer().nullable(),
    reply: p.string().length(200).nullable(),
  },
});

/** One person's copy of an announcement and their line of its ledger: received, first read, acknowledged. */
export class AnnouncementRecipient extends AnnouncementRecipientSchema.class {}
AnnouncementRecipientSchema.setClass(AnnouncementRecipient);
export { AnnouncementRecipientSchema };
