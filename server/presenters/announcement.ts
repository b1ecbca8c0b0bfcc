import type {
  AnnouncementDTO,
  AnnouncementReceipt,
  AnnouncementScope,
  AnnouncementSummaryDTO,
  ChannelOutcome,
  EscalationLadder,
  LedgerRowDTO,
  LedgerState,
} from '../../shared/announcements.js';

const iso = (value: Date | string | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

/** The columns summaryColumns (queries/announcements.ts) selects. */
export type SummaryRow = {
  id: string; title: string; excerpt: string; category: AnnouncementSummaryDTO['category']; priority: AnnouncementSummaryDTO['priority'];
  requires_ack: boolean; pinned: boolean; status: 'scheduled' | 'published'; publish_at: Date | null; published_at: Date | null; expires_at: Date | null;
  version: number; ack_version: number | null; recipient_count: number;
  publisher_id: string; publisher_name: string; publisher_email: string;
  received_at: Date | null; first_read_at: Date | null; acknowledged_at: Date | null; acknowledged_version: number | null; reply: string | null;
};

export type DetailRow = SummaryRow & { body: Record<string, unknown>; body_text: string; scope: AnnouncementScope; escalation: EscalationLadder | null; last_reminded_at: Date | null };

/** Whether a recipient has acknowledged the version that counts now. */
export const hasAcknowledged = (acknowledgedVersion: number | null, ackVersion: number | null) => ackVersion !== null && acknowledgedVersion !== null && acknowledgedVersion >= ackVersion;

function receiptOf(row: SummaryRow): AnnouncementReceipt | null {
  if (!row.received_at) return null;
  return {
    receivedAt: iso(row.received_at)!,
    firstReadAt: iso(row.first_read_at),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedVersion: row.acknowledged_version,
    reply: row.reply,
    mustAcknowledge: row.requires_ack && !hasAcknowledged(row.acknowledged_version, row.ack_version),
  };
}

/** An announcement in a list, with the viewer's own copy when they received it. */
export function presentAnnouncementSummary(row: SummaryRow, now: Date): AnnouncementSummaryDTO {
  const expired = row.status === 'published' && row.expires_at !== null && new Date(row.expires_at).getTime() <= now.getTime();
  return {
    id: String(row.id),
    title: row.title,
    excerpt: row.excerpt,
    category: row.category,
    priority: row.priority,
    requiresAck: row.requires_ack,
    pinned: row.pinned,
    status: expired ? 'expired' : row.status,
    publisher: { id: String(row.publisher_id), displayName: row.publisher_name, email: row.publisher_email },
    publishAt: iso(row.publish_at),
    publishedAt: iso(row.published_at),
    expiresAt: iso(row.expires_at),
    version: row.version,
    recipientCount: row.recipient_count,
    receipt: receiptOf(row),
  };
}

/** The whole announcement, with what the viewer may do. */
export function presentAnnouncement(row: DetailRow, can: AnnouncementDTO['can'], now: Date): AnnouncementDTO {
  return {
    ...presentAnnouncementSummary(row, now),
    body: row.body,
    bodyText: row.body_text,
    scope: row.scope,
    escalation: row.escalation,
    ackVersion: row.ack_version,
    lastRemindedAt: iso(row.last_reminded_at),
    can,
  };
}

/** The columns of one ledger row (queries/announcementLedger.ts). */
export type LedgerRow = {
  user_id: string; display_name: string; email: string; department_id: string; department_name: string;
  received_at: Date; first_read_at: Date | null; acknowledged_at: Date | null; acknowledged_version: number | null; reply: string | null;
  email_outcome: ChannelOutcome | null; sms_outcome: ChannelOutcome | null;
};

/** A recipient's state: acknowledged (the version that counts), read, or unread. */
export function ledgerState(row: Pick<LedgerRow, 'first_read_at' | 'acknowledged_version'>, ackVersion: number | null): LedgerState {
  if (hasAcknowledged(row.acknowledged_version, ackVersion)) return 'acknowledged';
  return row.first_read_at ? 'read' : 'unread';
}

/** One line of the ledger. */
export function presentLedgerRow(row: LedgerRow, ackVersion: number | null): LedgerRowDTO {
  return {
    user: { id: String(row.user_id), displayName: row.display_name, email: row.email },
    department: { id: String(row.department_id), name: row.department_name },
    state: ledgerState(row, ackVersion),
    receivedAt: iso(row.received_at)!,
    firstReadAt: iso(row.first_read_at),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedVersion: row.acknowledged_version,
    reply: row.reply,
    email: row.email_outcome ? { ...row.email_outcome, at: iso(row.email_outcome.at)! } : null,
    sms: row.sms_outcome ? { ...row.sms_outcome, at: iso(row.sms_outcome.at)! } : null,
  };
}
