import { defineEntity, p } from '@mikro-orm/core';
import { Announcement } from './Announcement.js';
import { User } from './User.js';

const AnnouncementVersionSchema = defineEntity({
  name: 'AnnouncementVersion',
  tableName: 'announcement_versions',
  properties: {
    announcement: () => p.manyToOne(Announcement).primary().deleteRule('cascade'),
    version: p.integer().primary(),
    title: p.string().length(200),
    body: p.json<Record<string, unknown>>(),
    bodyText: p.text().default(''),
    requiresReacknowledge: p.boolean().default(false),
    author: () => p.manyToOne(User).deleteRule('cascade'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** One version of an announcement's text, kept readable after a revision. */
export class AnnouncementVersion extends AnnouncementVersionSchema.class {}
AnnouncementVersionSchema.setClass(AnnouncementVersion);
export { AnnouncementVersionSchema };
