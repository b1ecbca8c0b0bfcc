/** Discussion boards (论坛): boards, threads and replies as the API presents them, and their stream events. */
import type { UserSummaryDTO } from './dto.js';

/** 全开放 / 半开放 / 全封闭. */
export const boardOpenness = ['open', 'semi_open', 'closed'] as const;
export type BoardOpenness = (typeof boardOpenness)[number];

/**
 * What a subscription to a thread or a board promises:
 * - watching: a notification for every reply (and, for a board, every new thread), unread counts;
 * - tracking: unread counts, notified when mentioned or quoted;
 * - normal (the default): notified when mentioned or quoted;
 * - muted: nothing at all.
 */
export const subscriptionLevels = ['watching', 'tracking', 'normal', 'muted'] as const;
export type SubscriptionLevel = (typeof subscriptionLevels)[number];

/** The fixed set of reactions: 👍 ❤️ 😄 🎉 😕 👀. */
export const boardReactions = ['thumbs_up', 'heart', 'laugh', 'hooray', 'confused', 'eyes'] as const;
export type BoardReaction = (typeof boardReactions)[number];
export const reactionEmoji: Record<BoardReaction, string> = { thumbs_up: '👍', heart: '❤️', laugh: '😄', hooray: '🎉', confused: '😕', eyes: '👀' };

/** Roles granted on a board, to users or departments. */
export const boardRoles = ['moderator', 'viewer', 'member', 'poster'] as const;
export type BoardRole = (typeof boardRoles)[number];

/** Threads started within this many days, not opened and not older than the board's "mark read", are new. */
export const NEW_THREAD_DAYS = 14;

/** Unread things on one board: threads one tracks or watches with replies one has not read, and new threads. */
export type BoardUnreadDTO = { boardId: string; unreadThreads: number; newThreads: number };

/** Users and departments holding one role on a board. */
export type GranteesDTO = { users: UserSummaryDTO[]; departments: { id: string; name: string }[] };

export type BoardDTO = {
  id: string;
  name: string;
  description: string;
  category: string | null;
  position: number;
  openness: BoardOpenness;
  readOnly: boolean;
  allowAnonymous: boolean;
  everyonePosts: boolean;
  /** The user's level for the board. */
  level: SubscriptionLevel;
  unread: BoardUnreadDTO;
  /**
   * The head of the board's stream `board:<id>` when the user sees every thread of it (follow from
   * here); null for a poster of a semi-open board, who follows their own threads' streams instead.
   */
  seq: number | null;
  can: {
    /** Start a thread. */
    post: boolean;
    /** Pin, lock, move and hide threads and replies. */
    moderate: boolean;
    /** Change the board's settings (administrators). */
    administer: boolean;
    /** Every thread of the board is visible (not only one's own). */
    seeAll: boolean;
    postAnonymously: boolean;
  };
};

/** A board with who holds which role (`access` only for administrators). */
export type BoardDetailDTO = BoardDTO & {
  access: { moderators: GranteesDTO; viewers: GranteesDTO; members: GranteesDTO; posters: GranteesDTO } | null;
};

/** A thread as every viewer of it sees it (what the board stream carries). */
export type ThreadSummaryDTO = {
  id: string;
  boardId: string;
  title: string;
  /** Null when the thread is anonymous (匿名). */
  author: UserSummaryDTO | null;
  anonymous: boolean;
  pinned: boolean;
  locked: boolean;
  /** Hidden by a moderator (only its author and the moderators see it). */
  hidden: boolean;
  createdAt: string;
  lastActivityAt: string;
  replyCount: number;
  lastReplier: UserSummaryDTO | null;
  lastReplyAnonymous: boolean;
};

/** The user's unread marker of a thread: new (never opened), or N replies after their read position. */
export type ThreadUnreadDTO = { isNew: boolean; newReplies: number; readNumber: number | null };

/** One row of a board's thread list, for one user. */
export type ThreadListItemDTO = ThreadSummaryDTO & { mine: boolean; level: SubscriptionLevel; unread: ThreadUnreadDTO };

export type ReactionDTO = { reaction: BoardReaction; count: number; userIds: string[] };

/** Why and when a moderator hid something (shown to its author and the moderators). */
export type HiddenDTO = { reason: string; at: string };

/** The thread as its page shows it, with the opening post. */
export type ThreadContentDTO = ThreadSummaryDTO & {
  body: Record<string, unknown>;
  text: string;
  editedAt: string | null;
  reactions: ReactionDTO[];
};

export type ThreadDTO = ThreadContentDTO & {
  board: { id: string; name: string; openness: BoardOpenness };
  /** The customer the thread is linked to, when the user may see it. */
  customer: { id: string; name: string } | null;
  hiddenInfo: HiddenDTO | null;
  mine: boolean;
  level: SubscriptionLevel;
  /** The user's read position (null: never opened) and the first reply after it (null: nothing unread). */
  readNumber: number | null;
  firstUnreadNumber: number | null;
  /** The head of the thread's stream `thread:<id>` (follow from here). */
  seq: number;
  can: ThreadAbilities;
};

export type ThreadAbilities = {
  reply: boolean;
  edit: boolean;
  moderate: boolean;
  react: boolean;
  /** Administrators may see who wrote an anonymous thread (the lookup is logged). */
  lookUpAuthor: boolean;
};

/** The reply a reply quotes, as far as the viewer may see it. */
export type QuoteDTO = {
  replyId: string;
  number: number;
  author: UserSummaryDTO | null;
  anonymous: boolean;
  excerpt: string;
  /** deleted: by its author; hidden: by a moderator (no excerpt then, unless the viewer may see it). */
  state: 'shown' | 'deleted' | 'hidden';
};

/** A reply as every viewer of the thread sees it (what the thread stream carries). */
export type SharedReplyDTO = {
  id: string;
  threadId: string;
  number: number;
  author: UserSummaryDTO | null;
  anonymous: boolean;
  /** Null once deleted (the marker stays) or, for others, hidden. */
  body: Record<string, unknown> | null;
  text: string;
  quote: QuoteDTO | null;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  reactions: ReactionDTO[];
};

/** A reply for one viewer: whether it is theirs, the moderator's reason when hidden, what they may do. */
export type ReplyDTO = SharedReplyDTO & { mine: boolean; hidden: HiddenDTO | null; can: ReplyAbilities };

export type ReplyAbilities = { edit: boolean; delete: boolean; moderate: boolean; react: boolean; lookUpAuthor: boolean };

/**
 * What a viewer may do with a reply: the one rule behind ReplyDTO.can, shared so that a client
 * receiving a reply on the thread stream (without `can`) derives the same as the server.
 */
export function replyAbilities(reply: Pick<SharedReplyDTO, 'deleted' | 'anonymous'> & { hidden: boolean }, viewer: { mine: boolean; moderator: boolean; admin: boolean }): ReplyAbilities {
  const live = !reply.deleted && !reply.hidden;
  return {
    edit: viewer.mine && live,
    delete: viewer.mine && !reply.deleted,
    moderate: viewer.moderator && !reply.deleted,
    react: live,
    lookUpAuthor: viewer.admin && reply.anonymous,
  };
}

export type BoardAuditEntryDTO = { id: string; actor: UserSummaryDTO; action: string; targetType: string; targetId: string; data: Record<string, unknown>; createdAt: string };

/** The author of an anonymous thread or reply, for an administrator. */
export type AuthorLookupDTO = { author: UserSummaryDTO; auditId: string };

export const boardStream = (boardId: string): `board:${string}` => `board:${boardId}`;
export const threadStream = (threadId: string): `thread:${string}` => `thread:${threadId}`;

/**
 * Events of `board:<id>`, followed by those who see every thread of the board. A thread hidden or
 * moved away leaves `thread.removed`; what earlier events said about it is redacted to
 * `thread.redacted` in the stored stream, so a later catch-up does not show it.
 */
export type BoardStreamEvents = {
  'thread.created': { threadId: string; thread: ThreadSummaryDTO };
  'thread.changed': { threadId: string; thread: ThreadSummaryDTO };
  'thread.removed': { threadId: string; reason: 'moved' | 'hidden' };
  'thread.redacted': { threadId: string };
};

/**
 * Events of `thread:<id>`, followed by those who may see the thread. A reply hidden or deleted is
 * redacted in the stored stream (`reply.redacted`) as well.
 */
export type ThreadStreamEvents = {
  'reply.created': { replyId: string; reply: SharedReplyDTO };
  'reply.changed': { replyId: string; reply: SharedReplyDTO };
  'reply.hidden': { replyId: string; number: number };
  'reply.redacted': { replyId: string; number: number };
  'thread.changed': { threadId: string; thread: ThreadContentDTO };
  'thread.hidden': { threadId: string };
};

/** Board events of the personal stream `user:<id>`: unread counts and read positions on every device. */
export type UserBoardEvents = {
  /** A thread one tracks or watches got a reply: one's read position in it and one's unread count for its board. */
  'board.unread': { boardId: string; threadId: string; lastNumber: number; readNumber: number | null; unreadThreads: number };
  /** One's read position moved (threadId) or the board was marked read (threadId null), on any device. */
  'board.read': { boardId: string; threadId: string | null; readNumber: number | null; unread: BoardUnreadDTO };
  'board.subscription': { boardId: string; threadId: string | null; level: SubscriptionLevel };
};
