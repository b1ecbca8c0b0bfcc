import { defineEntity, p } from '@mikro-orm/core';
import { Announcement } from './Announcement.js';

const AnnouncementEscalationSchema = defineEntity({
  name: 'AnnouncementEscalation',
  tableName: 'announcement_escalations',
  uniques: [{ properties: ['announcement', 'version', 'step'], name: 'announcement_escalations_step_unique' }],
  properties: {
    id: p.bigint('string').primary().autoincrement(),
    announcement: () => p.manyToOne(Announcement).deleteRule('cascade'),
    // The acknowledgement version it chases: a revision that asks again starts a new ladder.
    version: p.integer(),
    // 1, 2, … in the order of the ladder, repeats included.
    step: p.integer(),
    channel: p.enum(['app', 'email', 'sms', 'head'] as const),
    dueAt: p.datetime(),
    // Set in the transaction that notified the step's people: each step goes out exactly once.
    firedAt: p.datetime().nullable(),
    notified: p.integer().nullable(),
  },
});

/** One step of an announcement's escalation ladder, due at a time and fired once. */
export class AnnouncementEscalation extends AnnouncementEscalationSchema.class {}
AnnouncementEscalationSchema.setClass(AnnouncementEscalation);
export { AnnouncementEscalationSchema };
