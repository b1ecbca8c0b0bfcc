import {
  boardReactions,
  replyAbilities,
  type BoardReaction,
  type HiddenDTO,
  type QuoteDTO,
  type ReactionDTO,
  type ReplyDTO,
  type SharedReplyDTO,
  type ThreadContentDTO,
  type ThreadSummaryDTO,
} from '../../shared/boards.js';
import type { UserSummaryDTO } from '../../shared/dto.js';
import { isoInstant } from './instants.js';

type Instant = string | Date;
const iso = (value: Instant) => isoInstant(value);
const isoOrNull = (value: Instant | null) => (value === null ? null : isoInstant(value));

/** A user shown beside content, or null when the content is anonymous. */
function person(id: string | null, name: string | null, email: string | null, anonymous: boolean): UserSummaryDTO | null {
  return anonymous || id === null ? null : { id: String(id), displayName: name ?? '', email: email ?? '' };
}

/** Columns of a thread summary: aliases t (board_threads), au (its author), lr (its last replier). */
export const threadSummaryColumns = `t.id::text AS id, t.board_id::text AS board_id, t.title, t.anonymous, t.author_id::text AS author_id, au.display_name AS author_name, au.email AS author_email,
  t.pinned, t.locked, t.hidden_at, t.hidden_reason, t.created_at, t.last_activity_at, t.last_number, t.last_reply_anonymous,
  t.last_replier_id::text AS last_replier_id, lr.display_name AS last_replier_name, lr.email AS last_replier_email`;
/** The joins threadSummaryColumns needs. */
export const threadSummaryJoins = `JOIN users au ON au.id = t.author_id LEFT JOIN users lr ON lr.id = t.last_replier_id`;

export type ThreadSummaryRow = {
  id: string; board_id: string; title: string; anonymous: boolean; author_id: string; author_name: string; author_email: string;
  pinned: boolean; locked: boolean; hidden_at: Instant | null; hidden_reason: string | null; created_at: Instant; last_activity_at: Instant; last_number: number;
  last_reply_anonymous: boolean; last_replier_id: string | null; last_replier_name: string | null; last_replier_email: string | null;
};

/** A thread as every viewer of it sees it. */
export const presentThreadSummary = (r: ThreadSummaryRow): ThreadSummaryDTO => ({
  id: String(r.id),
  boardId: String(r.board_id),
  title: r.title,
  author: person(r.author_id, r.author_name, r.author_email, r.anonymous),
  anonymous: r.anonymous,
  pinned: r.pinned,
  locked: r.locked,
  hidden: r.hidden_at !== null,
  createdAt: iso(r.created_at),
  lastActivityAt: iso(r.last_activity_at),
  replyCount: Number(r.last_number),
  lastReplier: person(r.last_replier_id, r.last_replier_name, r.last_replier_email, r.last_reply_anonymous),
  lastReplyAnonymous: r.last_reply_anonymous,
});

/** Reactions of a thread's opening post (`{ threadId }`) or of a reply (`{ replyId }`), SQL expressions, as one jsonb column (each an index range). */
export const reactionsColumn = (of: { threadId: string } | { replyId: string }) => `(
  SELECT coalesce(jsonb_agg(jsonb_build_object('reaction', x.reaction, 'count', x.n, 'userIds', x.ids)), '[]'::jsonb)
  FROM (SELECT br.reaction, count(*) AS n, array_agg(br.user_id::text ORDER BY br.id) AS ids FROM board_reactions br
        WHERE ${'replyId' in of ? `br.reply_id = ${of.replyId}` : `br.thread_id = ${of.threadId} AND br.reply_id IS NULL`} GROUP BY br.reaction) x)`;

/** Reactions in the order of the fixed set. */
export const presentReactions = (value: unknown): ReactionDTO[] =>
  ((value ?? []) as { reaction: BoardReaction; count: number; userIds: string[] }[])
    .map((x) => ({ reaction: x.reaction, count: Number(x.count), userIds: x.userIds }))
    .sort((a, b) => boardReactions.indexOf(a.reaction) - boardReactions.indexOf(b.reaction));

export type ThreadContentRow = ThreadSummaryRow & { body: Record<string, unknown>; text: string; edited_at: Instant | null; reactions: unknown };

/** A thread with its opening post, as every viewer of it sees it. */
export const presentThreadContent = (r: ThreadContentRow): ThreadContentDTO => ({
  ...presentThreadSummary(r),
  body: r.body,
  text: r.text,
  editedAt: isoOrNull(r.edited_at),
  reactions: presentReactions(r.reactions),
});

/**
 * Columns of a reply: aliases r (board_replies), ra (its author), q (the reply it quotes), qa (that
 * one's author). `quoteVisible` is SQL telling whether the viewer may see the quoted reply itself
 * (the reply predicate on q; FALSE for what every viewer gets).
 */
export const replyColumns = (quoteVisible: string) => `r.id::text AS id, r.thread_id::text AS thread_id, r.number, r.author_id::text AS author_id, ra.display_name AS author_name, ra.email AS author_email,
  r.anonymous, r.body, r.text, r.created_at, r.edited_at, r.deleted_at, r.hidden_at, r.hidden_reason,
  q.id::text AS quote_id, q.number AS quote_number, q.author_id::text AS quote_author_id, qa.display_name AS quote_author_name, qa.email AS quote_author_email,
  q.anonymous AS quote_anonymous, left(q.text, 200) AS quote_text, q.deleted_at IS NOT NULL AS quote_deleted, q.hidden_at IS NOT NULL AS quote_hidden,
  coalesce(${quoteVisible}, FALSE) AS quote_visible, ${reactionsColumn({ replyId: 'r.id' })} AS reactions`;
/** The joins replyColumns needs. */
export const replyJoins = `JOIN users ra ON ra.id = r.author_id LEFT JOIN board_replies q ON q.id = r.quote_id LEFT JOIN users qa ON qa.id = q.author_id`;

export type ReplyRow = {
  id: string; thread_id: string; number: number; author_id: string; author_name: string; author_email: string; anonymous: boolean;
  body: Record<string, unknown> | null; text: string; created_at: Instant; edited_at: Instant | null; deleted_at: Instant | null; hidden_at: Instant | null; hidden_reason: string | null;
  quote_id: string | null; quote_number: number | null; quote_author_id: string | null; quote_author_name: string | null; quote_author_email: string | null; quote_anonymous: boolean | null;
  quote_text: string | null; quote_deleted: boolean | null; quote_hidden: boolean | null; quote_visible: boolean; reactions: unknown;
};

/** The quoted reply: its excerpt only when it is neither deleted nor hidden from the viewer. */
function presentQuote(r: ReplyRow): QuoteDTO | null {
  if (r.quote_id === null) return null;
  const state: QuoteDTO['state'] = r.quote_deleted ? 'deleted' : r.quote_hidden ? 'hidden' : 'shown';
  const excerpt = state === 'deleted' || (state === 'hidden' && !r.quote_visible) ? '' : (r.quote_text ?? '');
  return {
    replyId: String(r.quote_id),
    number: Number(r.quote_number),
    author: person(r.quote_author_id, r.quote_author_name, r.quote_author_email, r.quote_anonymous ?? false),
    anonymous: r.quote_anonymous ?? false,
    excerpt,
    state,
  };
}

/** A reply as every viewer of the thread sees it (the thread stream's payload): no content when deleted or hidden. */
export function presentSharedReply(r: ReplyRow): SharedReplyDTO {
  const withdrawn = r.deleted_at !== null || r.hidden_at !== null;
  return {
    id: String(r.id),
    threadId: String(r.thread_id),
    number: Number(r.number),
    author: person(r.author_id, r.author_name, r.author_email, r.anonymous),
    anonymous: r.anonymous,
    body: withdrawn ? null : r.body,
    text: withdrawn ? '' : r.text,
    quote: presentQuote(r),
    createdAt: iso(r.created_at),
    editedAt: isoOrNull(r.edited_at),
    deleted: r.deleted_at !== null,
    reactions: presentReactions(r.reactions),
  };
}

/** A reply for one viewer: a hidden reply's content and reason reach only its author and the moderators (the query let only them have it). */
export function presentReply(r: ReplyRow, viewer: { id: string; moderator: boolean; admin: boolean }): ReplyDTO {
  const mine = String(r.author_id) === viewer.id;
  const hidden: HiddenDTO | null = r.hidden_at === null ? null : { reason: r.hidden_reason ?? '', at: iso(r.hidden_at) };
  const shared = presentSharedReply({ ...r, hidden_at: null });
  return {
    ...shared,
    body: r.deleted_at !== null ? null : r.body,
    text: r.deleted_at !== null ? '' : r.text,
    mine,
    hidden,
    can: replyAbilities({ deleted: r.deleted_at !== null, anonymous: r.anonymous, hidden: hidden !== null }, { mine, moderator: viewer.moderator, admin: viewer.admin }),
  };
}
