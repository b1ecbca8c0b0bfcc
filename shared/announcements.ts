/** DTOs and stream events of announcements, policies and directives (what leaves the server). */
import type { UserSummaryDTO } from './dto.js';

export const announcementCategories = ['notice', 'policy', 'directive'] as const;
export type AnnouncementCategory = (typeof announcementCategories)[number];
export const announcementPriorities = ['normal', 'important', 'urgent'] as const;
export type AnnouncementPriority = (typeof announcementPriorities)[number];

/** Channels a step of an escalation ladder uses: the app alone, e-mail, SMS, or the recipient's direct head. */
export const escalationChannels = ['app', 'email', 'sms', 'head'] as const;
export type EscalationChannel = (typeof escalationChannels)[number];

/** Who an announcement goes to, as the publisher chose: resolved to people when it is published. */
export type AnnouncementScope = { everyone: boolean; departmentIds: string[]; userIds: string[] };

/**
 * The ladder of a must-acknowledge announcement: each step at `afterMinutes` after publication goes to
 * those who have not acknowledged yet; then `repeat` every `everyHours`, `times` times.
 */
export type EscalationLadder = {
  steps: { channel: EscalationChannel; afterMinutes: number }[];
  repeat: { channel: Exclude<EscalationChannel, 'head'>; everyHours: number; times: number } | null;
};

/** The administrator's bounds for every ladder (organisation setting `escalationLimits`). */
export type EscalationLimits = { maxSteps: number; minDelayMinutes: number; maxDelayDays: number; maxRepeats: number; allowSms: boolean };
export const defaultEscalationLimits: EscalationLimits = { maxSteps: 6, minDelayMinutes: 10, maxDelayDays: 30, maxRepeats: 14, allowSms: true };

/** The publisher reminds the unacknowledged by hand at most this often. */
export const MANUAL_REMIND_INTERVAL_MS = 5 * 60_000;

export type AnnouncementStatus = 'scheduled' | 'published' | 'expired';

/** The viewer's own copy: whether they received it, read it and acknowledged the version that counts. */
export type AnnouncementReceipt = {
  receivedAt: string;
  firstReadAt: string | null;
  acknowledgedAt: string | null;
  /** The version they last acknowledged (an earlier one when a revision asks again). */
  acknowledgedVersion: number | null;
  reply: string | null;
  /** True when the announcement asks them to acknowledge (the current acknowledgement version) and they have not. */
  mustAcknowledge: boolean;
};

export type AnnouncementSummaryDTO = {
  id: string;
  title: string;
  excerpt: string;
  category: AnnouncementCategory;
  priority: AnnouncementPriority;
  requiresAck: boolean;
  pinned: boolean;
  status: AnnouncementStatus;
  publisher: UserSummaryDTO;
  publishAt: string | null;
  publishedAt: string | null;
  expiresAt: string | null;
  version: number;
  recipientCount: number;
  receipt: AnnouncementReceipt | null;
};

export type AnnouncementDTO = AnnouncementSummaryDTO & {
  body: Record<string, unknown>;
  bodyText: string;
  scope: AnnouncementScope;
  escalation: EscalationLadder | null;
  /** The version that must be acknowledged (null when no acknowledgement is asked). */
  ackVersion: number | null;
  lastRemindedAt: string | null;
  /** What the viewer may do, as the policies decide. */
  can: { acknowledge: boolean; viewLedger: boolean; revise: boolean; remind: boolean; edit: boolean };
};

export type AnnouncementVersionDTO = {
  version: number;
  title: string;
  body: Record<string, unknown>;
  bodyText: string;
  requiresReacknowledge: boolean;
  author: UserSummaryDTO;
  createdAt: string;
  /** What changed from the version before (absent for the first): the plain text in pieces, each kept, added or removed. */
  changes: { value: string; change: 'same' | 'added' | 'removed' }[] | null;
  titleChanged: boolean;
};

/** A recipient's state in the ledger. */
export const ledgerStates = ['unread', 'read', 'acknowledged'] as const;
export type LedgerState = (typeof ledgerStates)[number];

export type ChannelOutcome = { status: 'queued' | 'sent' | 'delivered' | 'failed' | 'logged' | 'cancelled'; at: string; error: string | null };

export type LedgerRowDTO = {
  user: UserSummaryDTO;
  department: { id: string; name: string };
  state: LedgerState;
  receivedAt: string;
  firstReadAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedVersion: number | null;
  reply: string | null;
  /** The latest e-mail and SMS of this announcement to them, with the delivery log's outcome. */
  email: ChannelOutcome | null;
  sms: ChannelOutcome | null;
};

export type LedgerCounts = { total: number; unread: number; read: number; acknowledged: number };

export type LedgerSummaryDTO = LedgerCounts & {
  /** Percentages of the total (0–100, one decimal). */
  percent: { read: number; acknowledged: number };
  /** Per channel, how many of the latest e-mails / SMS stand at each outcome. */
  channels: { email: Record<string, number>; sms: Record<string, number> };
  /** Per department of the recipients (their department now), busiest first. */
  departments: (LedgerCounts & { id: string; name: string; percentAcknowledged: number })[];
  /** The rows the viewer sees: every recipient, or those in the departments they head. */
  scope: 'all' | 'subtree';
  requiresAck: boolean;
  ackVersion: number | null;
  /** When the publisher may remind by hand again (null: now). */
  remindAvailableAt: string | null;
};

/** Events of an announcement's stream `announcement:<id>`, followed by those who may see its ledger. No names: the rows are read again by each viewer's own rights. */
export type AnnouncementStreamEvents = {
  'ledger.changed': { change: 'read' | 'acknowledged' | 'delivered' | 'joined' | 'reminded' | 'revised' | 'expired' };
};

/** Announcement events of one's own stream `user:<id>`, so that every device of the user follows along. */
export type UserAnnouncementEvents = {
  'announcement.acknowledged': { announcementId: string; version: number; at: string };
  'announcement.read': { announcementId: string; at: string };
};

export const announcementStream = (announcementId: string): `announcement:${string}` => `announcement:${announcementId}`;
