/** Kinds of notification a user sets preferences for (e-mail, SMS); every notification has one. */
export const notificationKinds = ['mention', 'direct_message', 'annotation', 'announcement', 'reminder', 'system'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** E-mail by default for everything; SMS (it costs money) only for reminders, which also choose their own channels. */
export const defaultPreferences: Record<NotificationKind, { email: boolean; sms: boolean }> = {
  mention: { email: true, sms: false },
  direct_message: { email: true, sms: false },
  annotation: { email: true, sms: false },
  announcement: { email: true, sms: false },
  reminder: { email: true, sms: true },
  system: { email: true, sms: false },
};
