import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedQuery } from '../db/prepared.js';
import { diffWords } from 'diff';
import type { AnnouncementDTO, AnnouncementSummaryDTO, AnnouncementVersionDTO } from '../../shared/announcements.js';
import type { Page } from '../../shared/dto.js';
import type { User } from '../entities/User.js';
import { notFound } from '../errors.js';
import { announcementAbilities, announcementVisibilityFilter, requireVisibleAnnouncement } from '../policies/announcements.js';
import { presentAnnouncement, presentAnnouncementSummary, hasAcknowledged, type DetailRow, type SummaryRow } from '../presenters/announcement.js';
import { keysetCursor, pageOf, readKeysetCursor } from './pagination.js';

/** The columns of presentAnnouncementSummary: announcement `a`, publisher `pub`, the viewer's copy `r` (left joined). */
export const summaryColumns = `a.id::text AS id, a.title, left(a.body_text, 200) AS excerpt, a.category, a.priority, a.requires_ack, a.pinned, a.status,
  a.publish_at, a.published_at, a.expires_at, a.version, a.ack_version, a.recipient_count,
  pub.id::text AS publisher_id, pub.display_name AS publisher_name, pub.email AS publisher_email,
  r.received_at, r.first_read_at, r.acknowledged_at, r.acknowledged_version, r.reply`;

/** Where lists sort an announcement: when it went out, or is to go out. */
export const sortAt = `coalesce(a.published_at, a.publish_at, a.created_at)`;

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

export type FeedQuery = { box: 'inbox' | 'sent' | 'all'; category?: string; q?: string; unread?: 'true' | 'false'; cursor?: string; limit: number };
export type Feed = Page<AnnouncementSummaryDTO> & { pinned: AnnouncementSummaryDTO[]; unreadCount: number };

/**
 * The announcement feed, newest first: what the user received (inbox), what they published (sent),
 * or everything they may see (all) — every box within announcementVisibilityFilter — filterable by
 * category, words (the archive of policies is searched this way) and unread. The first page of the
 * inbox also carries the pinned announcements still in force, which the client shows first.
 */
export async function announcementFeed(em: EntityManager, user: User, query: FeedQuery, now: Date): Promise<Feed> {
  const visible = announcementVisibilityFilter(user);
  const where: string[] = [visible.sql];
  const params: unknown[] = [user.id, ...visible.params];
  if (query.box === 'inbox') where.push('r.user_id IS NOT NULL');
  if (query.box === 'sent') (where.push('a.publisher_id = ?'), params.push(user.id));
  if (query.category) (where.push('a.category = ?'), params.push(query.category));
  if (query.q) (where.push(`(a.title ILIKE ? OR a.body_text ILIKE ?)`), params.push(likePattern(query.q), likePattern(query.q)));
  if (query.unread === 'true') where.push('r.user_id IS NOT NULL AND r.first_read_at IS NULL');
  if (query.cursor) {
    const [at, id] = readKeysetCursor(query.cursor, ['string', 'id']);
    where.push(`(${sortAt}, a.id) < (?::timestamptz, ?::bigint)`);
    params.push(at, id);
  }
  const rows = await em.execute<(SummaryRow & { sort_at: Date })[]>(
    `SELECT ${summaryColumns}, ${sortAt} AS sort_at
     FROM announcements a JOIN users pub ON pub.id = a.publisher_id
     LEFT JOIN announcement_recipients r ON r.announcement_id = a.id AND r.user_id = ?
     WHERE ${where.join(' AND ')}
     ORDER BY ${sortAt} DESC, a.id DESC LIMIT ?`,
    [...params, query.limit + 1],
  );
  const page = await pageOf(rows, query.limit, (shown) => shown.map((row) => presentAnnouncementSummary(row, now)), (last) => keysetCursor([new Date(last.sort_at).toISOString(), String(last.id)]));
  const firstInboxPage = query.box === 'inbox' && !query.cursor;
  const pinned = firstInboxPage
    ? await em.execute<SummaryRow[]>(
        `SELECT ${summaryColumns} FROM announcement_recipients r JOIN announcements a ON a.id = r.announcement_id JOIN users pub ON pub.id = a.publisher_id
         WHERE r.user_id = ? AND a.pinned AND (a.expires_at IS NULL OR a.expires_at > ?) ORDER BY ${sortAt} DESC, a.id DESC LIMIT 20`,
        [user.id, now],
      )
    : [];
  return { ...page, pinned: pinned.map((row) => presentAnnouncementSummary(row, now)), unreadCount: await unreadAnnouncements(em, user.id) };
}

/** How many announcements the user received and has not opened. */
export async function unreadAnnouncements(em: EntityManager, userId: string): Promise<number> {
  const [row] = await em.execute<{ n: string }[]>(unreadCountSql, [userId]);
  return Number(row.n);
}
/** The unread count (one parameter: the user). */
const unreadCountSql = `SELECT count(*) AS n FROM announcement_recipients WHERE user_id = ? AND first_read_at IS NULL`;

/** What the app's banner shows: urgent announcements still in force that the user must acknowledge and has not, and the unread count. */
export async function announcementAttention(em: EntityManager, user: User, now: Date): Promise<{ urgent: AnnouncementSummaryDTO[]; unreadCount: number }> {
  const rows = await em.execute<SummaryRow[]>(
    `SELECT ${summaryColumns} FROM announcement_recipients r JOIN announcements a ON a.id = r.announcement_id JOIN users pub ON pub.id = a.publisher_id
     WHERE r.user_id = ? AND a.priority = 'urgent' AND a.requires_ack AND (r.acknowledged_version IS NULL OR r.acknowledged_version < a.ack_version)
       AND (a.expires_at IS NULL OR a.expires_at > ?)
     ORDER BY a.published_at DESC, a.id DESC LIMIT 10`,
    [user.id, now],
  );
  return { urgent: rows.map((row) => presentAnnouncementSummary(row, now)), unreadCount: await unreadAnnouncements(em, user.id) };
}

/** One announcement as the user sees it, or a 404 when they may not. */
export async function announcementDetail(em: EntityManager, user: User, id: string, now: Date): Promise<AnnouncementDTO> {
  const access = await requireVisibleAnnouncement(em, user, id);
  const [row] = await em.execute<DetailRow[]>(
    `SELECT ${summaryColumns}, a.body, a.body_text, a.scope, a.escalation, a.last_reminded_at
     FROM announcements a JOIN users pub ON pub.id = a.publisher_id
     LEFT JOIN announcement_recipients r ON r.announcement_id = a.id AND r.user_id = ?
     WHERE a.id = ?`,
    [user.id, id],
  );
  const mustAcknowledge = row.received_at !== null && row.requires_ack && !hasAcknowledged(row.acknowledged_version, row.ack_version);
  return presentAnnouncement(row, announcementAbilities(user, access, row.received_at ? { mustAcknowledge } : null, now), now);
}

/**
 * The announcement a notification of the user's links to: only their own notification, and only an
 * announcement they may see (404 otherwise, whoever's notification the id names).
 */
export async function announcementOfNotification(em: EntityManager, user: User, notificationId: string, now: Date): Promise<AnnouncementDTO> {
  const visible = announcementVisibilityFilter(user);
  const [row] = await em.execute<{ id: string }[]>(
    `SELECT a.id::text AS id FROM notifications n JOIN announcements a ON a.id = CASE WHEN n.data->>'announcementId' ~ '^[1-9][0-9]{0,17}$' THEN (n.data->>'announcementId')::bigint END
     WHERE n.id = ? AND n.recipient_id = ? AND n.kind = 'announcement' AND ${visible.sql}`,
    [notificationId, user.id, ...visible.params],
  );
  if (!row) throw notFound('The announcement');
  return announcementDetail(em, user, row.id, now);
}

/** Chinese has no spaces between words: the diff splits text into words with the runtime's segmenter. */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Every version of an announcement, newest first, each with what changed from the one before: its
 * plain text diffed word by word with `diff` (jsdiff), as pieces kept, added or removed.
 */
export async function announcementVersions(em: EntityManager, user: User, id: string): Promise<AnnouncementVersionDTO[]> {
  await requireVisibleAnnouncement(em, user, id);
  const rows = await em.execute<{ version: number; title: string; body: Record<string, unknown>; body_text: string; requires_reacknowledge: boolean; created_at: Date; author_id: string; author_name: string; author_email: string }[]>(
    `SELECT v.version, v.title, v.body, v.body_text, v.requires_reacknowledge, v.created_at, u.id::text AS author_id, u.display_name AS author_name, u.email AS author_email
     FROM announcement_versions v JOIN users u ON u.id = v.author_id WHERE v.announcement_id = ? ORDER BY v.version`,
    [id],
  );
  const versions = rows.map((row, i): AnnouncementVersionDTO => {
    const before = i > 0 ? rows[i - 1] : null;
    return {
      version: row.version,
      title: row.title,
      body: row.body,
      bodyText: row.body_text,
      requiresReacknowledge: row.requires_reacknowledge,
      author: { id: String(row.author_id), displayName: row.author_name, email: row.author_email },
      createdAt: new Date(row.created_at).toISOString(),
      titleChanged: before !== null && before.title !== row.title,
      changes: before
        ? diffWords(before.body_text, row.body_text, { intlSegmenter: segmenter }).map((part) => ({ value: part.value, change: part.added ? 'added' : part.removed ? 'removed' : 'same' }))
        : null,
    };
  });
  return versions.reverse();
}

/**
 * The statement of what the workbench lists: announcements in force that the user received and has
 * not opened, or must acknowledge and has not (the banner's rule, any priority), urgent first, then
 * important, newest first; within announcementVisibilityFilter like every read of announcements.
 */
function awaitingSql(user: User, now: Date, limit: number) {
  const visible = announcementVisibilityFilter(user);
  return {
    sql: `SELECT ${summaryColumns} FROM announcement_recipients r JOIN announcements a ON a.id = r.announcement_id JOIN users pub ON pub.id = a.publisher_id
     WHERE r.user_id = ? AND ${visible.sql} AND (a.expires_at IS NULL OR a.expires_at > ?)
       AND (r.first_read_at IS NULL OR (a.requires_ack AND (r.acknowledged_version IS NULL OR r.acknowledged_version < a.ack_version)))
     ORDER BY CASE a.priority WHEN 'urgent' THEN 0 WHEN 'important' THEN 1 ELSE 2 END, ${sortAt} DESC, a.id DESC LIMIT ?`,
    params: [user.id, ...visible.params, now, limit],
  };
}

/** The awaiting announcements (awaitingSql) and the unread count (unreadAnnouncements) in one statement: the workbench's block shows both. */
export async function awaitingAndUnread(em: EntityManager, user: User, now: Date, limit: number): Promise<{ items: AnnouncementSummaryDTO[]; unreadCount: number }> {
  const awaiting = awaitingSql(user, now, limit);
  // The count is the one row; the awaiting announcements ride on it (none: one row of nulls), in their
  // order: a lateral subquery is joined by a nested loop over that row.
  const rows = await preparedQuery<SummaryRow & { unread_count: string }>(
    em,
    `SELECT u.n AS unread_count, w.* FROM (${unreadCountSql}) u LEFT JOIN LATERAL (${awaiting.sql}) w ON true`,
    [user.id, ...awaiting.params],
  );
  return { items: rows.filter((row) => row.id !== null).map((row) => presentAnnouncementSummary(row, now)), unreadCount: Number(rows[0].unread_count) };
}
