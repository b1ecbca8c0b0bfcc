/** Pure helpers over a conversation's loaded messages, kept sorted by id (the server's order). */
import type { MessageDTO } from '../../../../shared/chat';

/** Compares two decimal id strings numerically without BigInt (ids have no leading zeros). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when message id `a` comes after `b` (anything comes after null). */
export function isAfter(a: string, b: string | null | undefined): boolean {
  return !b || compareIds(a, b) > 0;
}

/**
 * Which of two copies of one message is newer: a deletion is final, otherwise the later edit
 * wins; on a tie the copy already held stays (it came from the stream, the page may be older).
 */
export function fresher(held: MessageDTO, incoming: MessageDTO): MessageDTO {
  if (held.deletedAt) return held;
  if (incoming.deletedAt) return incoming;
  if ((incoming.editedAt ?? '') > (held.editedAt ?? '')) return incoming;
  return held;
}

/** Inserts or refreshes one message, keeping id order; returns the same array when nothing changed. */
export function upsertMessage(messages: MessageDTO[], message: MessageDTO): MessageDTO[] {
  const last = messages[messages.length - 1];
  if (!last || compareIds(message.id, last.id) > 0) return [...messages, message];
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compareIds(messages[mid].id, message.id) < 0) low = mid + 1;
    else high = mid;
  }
  const found = messages[low];
  if (found && found.id === message.id) {
    const kept = fresher(found, message);
    if (kept === found) return messages;
    const next = messages.slice();
    next[low] = kept;
    return next;
  }
  return [...messages.slice(0, low), message, ...messages.slice(low)];
}

/** Merges a page of history into what is held (events may have brought some of it already). */
export function mergeMessages(messages: MessageDTO[], page: MessageDTO[]): MessageDTO[] {
  let merged = messages;
  for (const message of page) merged = upsertMessage(merged, message);
  return merged;
}

/** Updates the quotes of replies to a message that was edited or deleted. */
export function refreshQuotes(messages: MessageDTO[], changed: MessageDTO): MessageDTO[] {
  if (!messages.some((m) => m.replyTo?.id === changed.id)) return messages;
  return messages.map((m) =>
    m.replyTo?.id === changed.id ? { ...m, replyTo: { ...m.replyTo, text: changed.deletedAt ? '' : changed.text.slice(0, 200), deleted: !!changed.deletedAt } } : m,
  );
}

/** True for what `me` wrote or caused (a system message about their own action): never unread for them. */
export function isOwnMessage(message: MessageDTO, me: string): boolean {
  return message.author?.id === me || (message.kind === 'system' && message.system?.actorId === me);
}

/** Messages that count as unread for `me` after `lastReadId` (not their own, not deleted), as the server counts. */
export function countUnread(messages: MessageDTO[], lastReadId: string | null, me: string): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && isAfter(messages[i].id, lastReadId); i--) {
    const m = messages[i];
    if (!isOwnMessage(m, me) && !m.deletedAt) count++;
  }
  return count;
}
