/** Kinds of notification a user sets preferences for (e-mail, SMS); every notification has one. */
export const notificationKinds = ['mention', 'direct_message', 'annotation', 'announcement', 'reminder', 'system', 'report', 'board_reply', 'board_quote', 'board_moderation'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** The channels besides the app: e-mail, SMS, and Web Push to the user's subscribed devices. */
export const deliveryChannels = ['email', 'sms', 'push'] as const;
export type DeliveryChannel = (typeof deliveryChannels)[number];
export type ChannelPreference = Record<DeliveryChannel, boolean>;

/**
 * E-mail and push by default for everything; SMS (it costs money) only for reminders, which also
 * choose their own e-mail / SMS. Push reaches only devices the user subscribed, so it is on.
 */
export const defaultPreferences: Record<NotificationKind, ChannelPreference> = {
  mention: { email: true, sms: false, push: true },
  direct_message: { email: true, sms: false, push: true },
  annotation: { email: true, sms: false, push: true },
  announcement: { email: true, sms: false, push: true },
  reminder: { email: true, sms: true, push: true },
  system: { email: true, sms: false, push: true },
  // A report sent to one, a digest of those who have not submitted: in the app only, as a superior gets one per report.
  report: { email: false, sms: false, push: false },
  // Watched threads can be busy: in the app only, unless one asks for e-mail or push.
  board_reply: { email: false, sms: false, push: false },
  board_quote: { email: true, sms: false, push: true },
  board_moderation: { email: true, sms: false, push: true },
};
