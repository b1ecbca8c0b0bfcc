/** Kinds of notification a user sets preferences for (e-mail, SMS); every notification has one. */
export const notificationKinds = ['mention', 'direct_message', 'annotation', 'announcement', 'reminder', 'system', 'board_reply', 'board_quote', 'board_moderation'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** E-mail by default for everything; SMS (it costs money) only for reminders, which also choose their own channels. */
export const defaultPreferences: Record<NotificationKind, { email: boolean; sms: boolean }> = {
  mention: { email: true, sms: false },
  direct_message: { email: true, sms: false },
  annotation: { email: true, sms: false },
  announcement: { email: true, sms: false },
  reminder: { email: true, sms: true },
  system: { email: true, sms: false },
  // Watched threads can be busy: in the app only, unless one asks for e-mail.
  board_reply: { email: false, sms: false },
  board_quote: { email: true, sms: false },
  board_moderation: { email: true, sms: false },
};
