import { userStream, type NewStreamEvent } from '../../../shared/realtime.js';
import type { SubscriptionLevel } from '../../../shared/boards.js';
import type { User } from '../../entities/User.js';
import { pgArray } from '../../db/sql.js';
import { threadAudienceSql } from '../../policies/boards.js';
import { levelSql, unreadThreadsOfSql } from '../../queries/boardUnread.js';
import { appendEvents, type CommandContext } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients, type Recipients } from '../notifications/recipients.js';

type Cx = CommandContext<User | null>;

/** The name shown for the author of something anonymous. */
export const ANONYMOUS_NAME = '匿名';

/** Where a notification about a thread (and a reply in it) opens. */
export const threadLink = (threadId: string, number?: number) => `/boards/threads/${threadId}${number ? `?reply=${number}` : ''}`;

/**
 * Users of the thread's subscribers at the given levels — a thread-level subscription, or a board-level
 * one where the user has none for the thread — who may see the thread (the audience predicate),
 * except those named in `except`: a SELECT of `user_id` for notify or for the unread events.
 */
function subscribersSql(threadId: string, levels: SubscriptionLevel[], except: string[]): Recipients {
  return recipients.sql(
    `SELECT rcp.id AS user_id FROM (
       SELECT s.user_id FROM board_thread_subscriptions s WHERE s.thread_id = ? AND s.level = ANY(?::text[])
       UNION
       SELECT bs.user_id FROM board_subscriptions bs JOIN board_threads bt ON bt.board_id = bs.board_id
       WHERE bt.id = ? AND bs.level = ANY(?::text[])
         AND NOT EXISTS (SELECT 1 FROM board_thread_subscriptions x WHERE x.thread_id = bt.id AND x.user_id = bs.user_id)
     ) sub
     JOIN users rcp ON rcp.id = sub.user_id
     JOIN board_threads t ON t.id = ?
     WHERE NOT (rcp.id = ANY(?::bigint[])) AND ${threadAudienceSql('rcp', 't')}`,
    [threadId, pgArray(levels), threadId, pgArray(levels), threadId, pgArray(except)],
  );
}

/**
 * Of the users named (mentioned, or the author of a quoted reply), those who may see the thread and
 * have not muted it: a mention never shows a thread to someone who may not see it.
 */
function namedAudienceSql(threadId: string, userIds: string[]): Recipients {
  return recipients.sql(
    `SELECT rcp.id AS user_id FROM users rcp JOIN board_threads t ON t.id = ?
     LEFT JOIN board_thread_subscriptions ts ON ts.thread_id = t.id AND ts.user_id = rcp.id
     LEFT JOIN board_subscriptions bs ON bs.board_id = t.board_id AND bs.user_id = rcp.id
     WHERE rcp.id = ANY(?::bigint[]) AND ${levelSql('ts', 'bs')} <> 'muted' AND ${threadAudienceSql('rcp', 't')}`,
    [threadId, pgArray(userIds)],
  );
}

export type PostNotice = {
  threadId: string;
  threadTitle: string;
  /** The author as others may see them (匿名 for anonymous posts). */
  authorName: string;
  authorId: string;
  text: string;
  mentioned: string[];
  /** The author of the reply quoted, if any. */
  quotedAuthorId?: string | null;
  /** The reply's number (absent for a new thread). */
  number?: number;
  /** A new thread: its board's watchers are told. */
  newThread?: boolean;
  /** An edit: only those it newly mentions are told. */
  mentionsOnly?: boolean;
};

/**
 * The notifications of a new thread or reply: mentioned users (kind `mention`), the author of the
 * quoted reply (`board_quote`) and every watcher (`board_reply`), each once, each only if they may
 * see the thread and have not muted it, never the author. Three fan-outs of a few statements each,
 * whatever the number of recipients.
 */
export async function notifyPost(cx: Cx, notice: PostNotice) {
  const link = threadLink(notice.threadId, notice.number);
  const body = notice.text.slice(0, 500);
  const data = { threadId: notice.threadId, ...(notice.number ? { number: notice.number } : {}) };
  const mentioned = notice.mentioned.filter((id) => id !== notice.authorId);
  if (mentioned.length) {
    await notify(cx, namedAudienceSql(notice.threadId, mentioned), { kind: 'mention', title: `${notice.authorName} mentioned you in “${notice.threadTitle}”`, body, link, data });
  }
  if (notice.mentionsOnly) return;
  const quoted = notice.quotedAuthorId && notice.quotedAuthorId !== notice.authorId && !mentioned.includes(notice.quotedAuthorId) ? notice.quotedAuthorId : null;
  if (quoted) {
    await notify(cx, namedAudienceSql(notice.threadId, [quoted]), { kind: 'board_quote', title: `${notice.authorName} quoted you in “${notice.threadTitle}”`, body, link, data });
  }
  const except = [notice.authorId, ...mentioned, ...(quoted ? [quoted] : [])];
  await notify(cx, subscribersSql(notice.threadId, ['watching'], except), {
    kind: 'board_reply',
    title: notice.newThread ? `${notice.authorName} started “${notice.threadTitle}”` : `${notice.authorName} replied in “${notice.threadTitle}”`,
    body,
    link,
    data,
  });
}

/**
 * Tells everyone who tracks or watches the thread (and may see it), except the replier, its new
 * length, their read position and their new unread count for its board, on their own stream:
 * one query for all of them and one statement for all their events.
 */
export async function announceUnread(cx: Cx, threadId: string, boardId: string, replierId: string) {
  const selection = subscribersSql(threadId, ['watching', 'tracking'], [replierId]);
  const rows = await cx.em.execute<{ user_id: string; last_number: number; read_number: number | null; unread_threads: string }[]>(
    `SELECT s.user_id::text AS user_id, t.last_number, tr.read_number, ${unreadThreadsOfSql('u', '?')} AS unread_threads
     FROM (${selection.sql}) s JOIN users u ON u.id = s.user_id AND u.active JOIN board_threads t ON t.id = ?
     LEFT JOIN board_thread_reads tr ON tr.thread_id = t.id AND tr.user_id = u.id
     ORDER BY s.user_id`,
    [boardId, boardId, ...selection.params, threadId],
  );
  const events = rows.map(
    (r): NewStreamEvent => ({
      stream: userStream(String(r.user_id)),
      type: 'board.unread',
      data: { boardId, threadId, lastNumber: Number(r.last_number), readNumber: r.read_number === null ? null : Number(r.read_number), unreadThreads: Number(r.unread_threads) },
    }),
  );
  await appendEvents(cx, events);
}

/** Tells the author of a thread or reply that a moderator hid it, and why (or moved their thread). */
export async function notifyModeration(cx: Cx, input: { authorId: string; threadId: string; title: string; body: string; number?: number }) {
  await notify(cx, namedAudienceSql(input.threadId, [input.authorId]), {
    kind: 'board_moderation',
    title: input.title,
    body: input.body,
    link: threadLink(input.threadId, input.number),
    data: { threadId: input.threadId, ...(input.number ? { number: input.number } : {}) },
  });
}
