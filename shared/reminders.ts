/** DTOs of reminders, deliveries and notification settings (what leaves the server). */
export type ReminderDTO = {
  id: string;
  ownerId: string;
  title: string;
  note: Record<string, unknown> | null;
  noteText: string;
  recipients: { self: boolean; userIds: string[]; departmentIds: string[] };
  channels: ('email' | 'sms')[];
  rrule: string | null;
  dtstart: string;
  timeZone: string;
  exdates: string[];
  urgent: boolean;
  status: 'active' | 'paused' | 'ended';
  /** ISO 8601 with the reminder zone's offset. */
  nextDueAt: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * What keeps this reminder, when the user did not set it here: a schedule entry's reminder, or a
   * customer contact's birthday. Those change with the entry or the contact, not on their own.
   */
  source: ReminderSource | null;
  /** What its owner may do now: edit and delete (not one an entry or a birthday keeps), pause (active), resume (paused). */
  can: { edit: boolean; delete: boolean; pause: boolean; resume: boolean };
};

export type ReminderSource =
  | { kind: 'entry'; entryId: string; entryTitle: string }
  | { kind: 'birthday'; customerId: string; customerName: string; contactName: string }
  /** A report rule's reminder to submit (before the deadline) or about missing reports (after it). */
  | { kind: 'report_rule'; ruleId: string; reportKind: 'daily' | 'weekly' | 'monthly'; departmentName: string | null; stage: 'before' | 'after' };

export type DeliveryDTO = {
  id: string;
  notificationId: string;
  occurrenceId: string | null;
  recipientId: string;
  channel: 'email' | 'sms' | 'push';
  provider: string;
  address: string;
  status: 'queued' | 'sent' | 'delivered' | 'failed' | 'logged' | 'cancelled';
  providerId: string | null;
  attempts: number;
  lastError: string | null;
  notBefore: string;
  queuedAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
};

export type NotificationSettingsDTO = {
  preferences: Record<string, { email: boolean; sms: boolean; push: boolean }>;
  quietHours: { start: string; end: string; weekends: boolean } | null;
};

/** Reminder events of the owner's stream `user:<id>`, so every device of the owner sees a change at once. */
export type UserReminderEvents = {
  'reminder.changed': { reminder: ReminderDTO };
  'reminder.deleted': { reminderId: string };
};
