/** Pure state changes of the board pages: thread list order, live summaries and unread markers. */
import type { BoardDTO, BoardUnreadDTO, ReplyDTO, SharedReplyDTO, ThreadListItemDTO, ThreadSummaryDTO } from '../../../../shared/boards';
import { replyAbilities } from '../../../../shared/boards';

const idOrder = (a: string, b: string) => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);

/** The server's list order: pinned first, then latest activity, then newest id. */
export function sortThreads<T extends Pick<ThreadSummaryDTO, 'pinned' | 'lastActivityAt' | 'id'>>(threads: T[]): T[] {
  return [...threads].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.lastActivityAt.localeCompare(a.lastActivityAt) || idOrder(b.id, a.id));
}

/** A row's unread marker once the thread has `replyCount` replies and the user's read position is `readNumber`. */
export function markerFor(row: Pick<ThreadListItemDTO, 'level' | 'unread'>, replyCount: number, readNumber = row.unread.readNumber): ThreadListItemDTO['unread'] {
  if (row.level === 'muted') return { isNew: false, newReplies: 0, readNumber };
  if (readNumber === null) return { ...row.unread, readNumber };
  return { isNew: false, newReplies: Math.max(replyCount - readNumber, 0), readNumber };
}

/** A thread summary from the board stream merged into the list (the user's own fields kept, or made up for a new thread). */
export function mergeSummary(list: ThreadListItemDTO[], summary: ThreadSummaryDTO, me: string, created: boolean): ThreadListItemDTO[] {
  const existing = list.find((t) => t.id === summary.id);
  const mine = existing?.mine ?? summary.author?.id === me;
  const row: ThreadListItemDTO = existing
    ? { ...existing, ...summary, unread: markerFor(existing, summary.replyCount) }
    : { ...summary, mine, level: mine ? 'watching' : 'normal', unread: { isNew: created && !mine, newReplies: 0, readNumber: mine ? 0 : null } };
  return sortThreads([...list.filter((t) => t.id !== summary.id), row]);
}

/** A read position (from any of the user's devices) applied to the list. */
export function applyRead(list: ThreadListItemDTO[], threadId: string | null, readNumber: number | null): ThreadListItemDTO[] {
  return list.map((t) => {
    if (threadId === null) return { ...t, unread: { isNew: false, newReplies: 0, readNumber: t.unread.readNumber === null ? null : t.replyCount } };
    return t.id === threadId ? { ...t, unread: markerFor(t, t.replyCount, readNumber) } : t;
  });
}

/** A board's counts replaced by fresher ones. */
export function applyUnread(boards: BoardDTO[], unread: Partial<BoardUnreadDTO> & { boardId: string }): BoardDTO[] {
  return boards.map((b) => (b.id === unread.boardId ? { ...b, unread: { ...b.unread, ...unread } } : b));
}

/** A reply from the thread stream as the viewer's reply: their own copy's viewer fields kept, or derived by the shared rule. */
export function viewerReply(shared: SharedReplyDTO, existing: ReplyDTO | undefined, viewer: { id: string; moderator: boolean; admin: boolean }): ReplyDTO {
  const mine = existing?.mine ?? shared.author?.id === viewer.id;
  const hidden = existing?.hidden ?? null;
  return { ...shared, mine, hidden, can: replyAbilities({ deleted: shared.deleted, anonymous: shared.anonymous, hidden: hidden !== null }, { mine, moderator: viewer.moderator, admin: viewer.admin }) };
}

/** Replies by number, each once (a live copy replaces an older one). */
export function mergeReplies(list: ReplyDTO[], incoming: ReplyDTO[]): ReplyDTO[] {
  const byNumber = new Map(list.map((r) => [r.number, r]));
  for (const reply of incoming) byNumber.set(reply.number, reply);
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}
