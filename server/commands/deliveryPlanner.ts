import type { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelPreference, QuietHours } from '../entities/NotificationSettings.js';
import type { ReminderChannel } from '../entities/Reminder.js';
import { quietHoursEnd } from './quietHours.js';

/** Kinds of notification a user sets preferences for; features notify with one of these. */
export const notificationKinds = ['mention', 'direct_message', 'annotation', 'announcement', 'reminder', 'system'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** E-mail by default for everything; SMS (it costs money) only for reminders, which also choose their own channels. */
export const defaultPreferences: Record<NotificationKind, ChannelPreference> = {
  mention: { email: true, sms: false },
  direct_message: { email: true, sms: false },
  annotation: { email: true, sms: false },
  announcement: { email: true, sms: false },
  reminder: { email: true, sms: true },
  system: { email: true, sms: false },
};

/** What a command asks of the delivery channels for one notification. */
export type DeliveryRequest = {
  /** Channels the command wants (a reminder's own choice); the recipient's preferences still apply. Absent: the preferences alone. */
  channels?: ReminderChannel[];
  /** The reminder occurrence behind the notification: with recipient and channel, the exactly-once key. */
  occurrenceId?: string;
};

type RecipientRow = { email: string; mobile: string | null; time_zone: string; preferences: Record<string, ChannelPreference> | null; quiet_hours: QuietHours | null };

/**
 * Writes the e-mail and SMS deliveries of a new notification into the delivery log (the
 * outbox) in the caller's transaction: per the recipient's preferences for the kind, deferred
 * to the end of their quiet hours unless urgent. The dispatcher sends them after the commit.
 */
export async function deliveryPlanner(
  tx: EntityManager,
  notification: { id: string; recipientId: string; kind: string; urgent: boolean },
  request: DeliveryRequest = {},
  now = new Date(),
): Promise<number> {
  const [recipient] = await tx.execute<RecipientRow[]>(
    `SELECT u.email, u.mobile, u.time_zone, s.preferences, s.quiet_hours
     FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id WHERE u.id = ? AND u.active`,
    [notification.recipientId],
  );
  if (!recipient) return 0;
  const preference = recipient.preferences?.[notification.kind] ?? defaultPreferences[notification.kind as NotificationKind] ?? { email: true, sms: false };
  const wanted = (['email', 'sms'] as const).filter((c) => preference[c] && (!request.channels || request.channels.includes(c)));
  if (wanted.length === 0) return 0;
  const notBefore = notification.urgent ? now : quietHoursEnd(now, recipient.time_zone, recipient.quiet_hours);
  const values: unknown[] = [];
  const rows: string[] = [];
  for (const channel of wanted) {
    const address = channel === 'email' ? recipient.email : recipient.mobile;
    // Without a mobile number the SMS is logged as failed, so the user sees why it never came.
    const status = address ? 'queued' : 'failed';
    rows.push(`(?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`);
    values.push(notification.id, request.occurrenceId ?? null, notification.recipientId, channel, address ?? '', status, address ? null : 'The recipient has no mobile number', notBefore, now, address ? null : now, now);
  }
  await tx.execute(
    `INSERT INTO deliveries (notification_id, occurrence_id, recipient_id, channel, provider, address, status, last_error, not_before, queued_at, failed_at, updated_at)
     VALUES ${rows.join(', ')}`,
    values,
  );
  return rows.length;
}
