import { defineEntity, p } from '@mikro-orm/core';
import { User } from './User.js';

import type { ChannelPreference } from '../../shared/notifications.js';

export type { ChannelPreference };
export type QuietHours = { start: string; end: string; weekends: boolean };

const NotificationSettingsSchema = defineEntity({
  name: 'NotificationSettings',
  tableName: 'notification_settings',
  properties: {
    user: () => p.oneToOne(User).primary().deleteRule('cascade'),
    // Per kind of notification: which of e-mail, SMS and push to use (a channel missing from a saved kind takes its default) besides the app; absent kinds use the defaults.
    preferences: p.json<Record<string, Partial<ChannelPreference>>>(),
    // In the user's time zone; null when the user has none.
    quietHours: p.json<QuietHours>().nullable(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** A user's delivery preferences per kind of notification and their quiet hours. */
export class NotificationSettings extends NotificationSettingsSchema.class {}
NotificationSettingsSchema.setClass(NotificationSettings);
export { NotificationSettingsSchema };
