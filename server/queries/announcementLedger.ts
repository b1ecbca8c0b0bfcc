import type { EntityManager } from '@mikro-orm/postgresql';
import { MANUAL_REMIND_INTERVAL_MS, type LedgerRowDTO, type LedgerSummaryDTO } from '../../shared/announcements.js';
import type { Page } from '../../shared/dto.js';
import type { User } from '../entities/User.js';
import { ledgerRowFilter, requireLedgerViewer, type AnnouncementAccess, type LedgerReach } from '../policies/announcements.js';
import { presentLedgerRow, type LedgerRow } from '../presenters/announcement.js';
import { keysetCursor, pageOf, readKeysetCursor } from './pagination.js';


/** The latest e-mail or SMS of the announcement to recipient `r`, from the delivery log (not a head's notice about their people). */
const outcomeSql = (channel: 'email' | 'sms') => `(
  SELECT json_build_object('status', d.status, 'at', coalesce(d.delivered_at, d.failed_at, d.sent_at, d.updated_at), 'error', d.last_error)
  FROM notifications n JOIN deliveries d ON d.notification_id = n.id AND d.channel = '${channel}'
  WHERE n.kind = 'announcement' AND n.data->>'announcementId' = r.announcement_id::text AND n.recipient_id = r.user_id AND n.data->>'event' IS DISTINCT FROM 'head'
  ORDER BY d.id DESC LIMIT 1)`;

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/**
 * The ledger's counts for the rows the viewer may see (all, or the departments they head): how many
 * are unread, read, acknowledged, with percentages; per department (the one each person is in now);
 * and per channel, the outcome of the latest e-mail and SMS to each of them. One query.
 */
export async function ledgerSummary(em: EntityManager, user: User, id: string, now: Date): Promise<LedgerSummaryDTO> {
  const { access, reach } = await requireLedgerViewer(em, user, id);
  const rows = ledgerRowFilter(user, reach);
  const [row] = await em.execute<{ departments: { id: string; name: string; total: number; unread: number; read: number; acknowledged: number }[] | null; channels: { channel: 'email' | 'sms'; status: string; n: number }[] | null }[]>(
    `WITH mine AS (
       SELECT r.user_id, u.department_id, coalesce(r.acknowledged_version >= ?::int, false) AS acknowledged, r.first_read_at IS NOT NULL AS opened
       FROM announcement_recipients r JOIN users u ON u.id = r.user_id
       WHERE r.announcement_id = ? AND ${rows.sql}
     ), counted AS (
       SELECT department_id, count(*)::int AS total, count(*) FILTER (WHERE NOT acknowledged AND NOT opened)::int AS unread,
              count(*) FILTER (WHERE NOT acknowledged AND opened)::int AS read, count(*) FILTER (WHERE acknowledged)::int AS acknowledged
       FROM mine GROUP BY department_id
     ), per_department AS (
       SELECT c.department_id::text AS id, d.name, c.total, c.unread, c.read, c.acknowledged FROM counted c JOIN departments d ON d.id = c.department_id
     ), latest AS (
       SELECT DISTINCT ON (n.recipient_id, d.channel) d.channel, d.status
       FROM notifications n JOIN deliveries d ON d.notification_id = n.id
       WHERE n.kind = 'announcement' AND n.data->>'announcementId' = ?::text AND n.data->>'event' IS DISTINCT FROM 'head'
         ${reach === 'all' ? '' : 'AND n.recipient_id IN (SELECT user_id FROM mine)'}
       ORDER BY n.recipient_id, d.channel, d.id DESC
     )
     SELECT (SELECT json_agg(p ORDER BY p.total DESC, p.name) FROM per_department p) AS departments,
            (SELECT json_agg(c) FROM (SELECT channel, status, count(*)::int AS n FROM latest GROUP BY channel, status) c) AS channels`,
    [access.ackVersion ?? 2147483647, id, ...rows.params, id],
  );
  const departments = (row.departments ?? []).map((d) => ({ ...d, id: String(d.id), percentAcknowledged: percent(d.acknowledged, d.total) }));
  const total = departments.reduce((sum, d) => sum + d.total, 0);
  const count = (key: 'unread' | 'read' | 'acknowledged') => departments.reduce((sum, d) => sum + d[key], 0);
  const channels: LedgerSummaryDTO['channels'] = { email: {}, sms: {} };
  for (const c of row.channels ?? []) channels[c.channel][c.status] = c.n;
  const acknowledged = count('acknowledged');
  const read = count('read');
  return {
    total,
    unread: count('unread'),
    read,
    acknowledged,
    percent: { read: percent(read + acknowledged, total), acknowledged: percent(acknowledged, total) },
    channels,
    departments,
    scope: reach === 'all' ? 'all' : 'subtree',
    requiresAck: access.requiresAck,
    ackVersion: access.ackVersion,
    remindAvailableAt: remindAvailableAt(access, now),
  };
}

function remindAvailableAt(access: AnnouncementAccess, now: Date): string | null {
  if (!access.lastRemindedAt) return null;
  const at = access.lastRemindedAt.getTime() + MANUAL_REMIND_INTERVAL_MS;
  return at > now.getTime() ? new Date(at).toISOString() : null;
}

export type LedgerQuery = { state?: 'unread' | 'read' | 'acknowledged' | 'unacknowledged'; departmentId?: string; cursor?: string; limit: number };

/** One page of ledger rows the viewer may see, by name, filterable by state and department; `after` is the keyset of the row before. */
async function ledgerRows(em: EntityManager, user: User, access: AnnouncementAccess, reach: LedgerReach, query: LedgerQuery): Promise<(LedgerRow & { sort_name: string })[]> {
  const rows = ledgerRowFilter(user, reach);
  const ack = access.ackVersion ?? 2147483647;
  const where = [`r.announcement_id = ?`, rows.sql];
  const params: unknown[] = [access.id, ...rows.params];
  if (query.state === 'acknowledged') (where.push('r.acknowledged_version >= ?::int'), params.push(ack));
  if (query.state === 'unacknowledged') (where.push('(r.acknowledged_version IS NULL OR r.acknowledged_version < ?::int)'), params.push(ack));
  if (query.state === 'read') (where.push('r.first_read_at IS NOT NULL AND (r.acknowledged_version IS NULL OR r.acknowledged_version < ?::int)'), params.push(ack));
  if (query.state === 'unread') (where.push('r.first_read_at IS NULL AND (r.acknowledged_version IS NULL OR r.acknowledged_version < ?::int)'), params.push(ack));
  if (query.departmentId) (where.push('u.department_id = ?'), params.push(query.departmentId));
  if (query.cursor) {
    const [name, userId] = readKeysetCursor(query.cursor, ['string', 'id']);
    where.push('(u.display_name, u.id) > (?, ?::bigint)');
    params.push(name, userId);
  }
  return em.execute<(LedgerRow & { sort_name: string })[]>(
    `SELECT r.user_id::text AS user_id, u.display_name, u.display_name AS sort_name, u.email, u.department_id::text AS department_id, d.name AS department_name,
            r.received_at, r.first_read_at, r.acknowledged_at, r.acknowledged_version, r.reply,
            ${outcomeSql('email')} AS email_outcome, ${outcomeSql('sms')} AS sms_outcome
     FROM announcement_recipients r JOIN users u ON u.id = r.user_id JOIN departments d ON d.id = u.department_id
     WHERE ${where.join(' AND ')}
     ORDER BY u.display_name, u.id LIMIT ?`,
    [...params, query.limit + 1],
  );
}

/** One page of the ledger (404 / 403 as requireLedgerViewer decides). */
export async function ledgerPage(em: EntityManager, user: User, id: string, query: LedgerQuery): Promise<Page<LedgerRowDTO>> {
  const { access, reach } = await requireLedgerViewer(em, user, id);
  const rows = await ledgerRows(em, user, access, reach, query);
  return pageOf(rows, query.limit, (shown) => shown.map((r) => presentLedgerRow(r, access.ackVersion)), (last) => keysetCursor([last.sort_name, String(last.user_id)]));
}

/** Every ledger row the viewer may see, a page at a time (the CSV export): the access is checked before the first row. */
export async function ledgerForExport(em: EntityManager, user: User, id: string, query: Omit<LedgerQuery, 'cursor' | 'limit'>): Promise<{ title: string; rows: AsyncGenerator<LedgerRowDTO> }> {
  const { access, reach } = await requireLedgerViewer(em, user, id);
  const [{ title }] = await em.execute<{ title: string }[]>(`SELECT title FROM announcements WHERE id = ?`, [id]);
  async function* all(): AsyncGenerator<LedgerRowDTO> {
    let cursor: string | undefined;
    for (;;) {
      const rows = await ledgerRows(em, user, access, reach, { ...query, cursor, limit: 500 });
      for (const row of rows.slice(0, 500)) yield presentLedgerRow(row, access.ackVersion);
      if (rows.length <= 500) return;
      const last = rows[499];
      cursor = keysetCursor([last.sort_name, String(last.user_id)]);
    }
  }
  return { title, rows: all() };
}
