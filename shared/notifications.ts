/** Kinds of notification a user sets preferences for (e-mail, SMS); every notification has one. */
export const notificationKinds = ['mention', 'direct_message', 'annotation', 'announcement', 'reminder', 'system', 'report'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** E-mail by default for everything; SMS (it costs money) only for reminders, which also choose their own channels. */
export const defaultPreferences: Record<NotificationKind, { email: boolean; sms: boolean }> = {
  mention: { email: true, sms: false },
  direct_message: { email: true, sms: false },
  annotation: { email: true, sms: false },
  announcement: { email: true, sms: false },
  reminder: { email: true, sms: true },
  system: { email: true, sms: false },
  // A report sent to one, a digest of those who have not submitted: in the app only, as a superior gets one per report.
  report: { email: false, sms: false },
};
