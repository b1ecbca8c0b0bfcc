/**
 * The chat client's state and how stream events change it, as pure functions. Each reducer
 * tolerates an event its snapshot already holds (a replay), so snapshots and streams can meet
 * in any order without counting anything twice.
 */
import type { ConversationDTO, ConversationMemberDTO, MessageDTO } from '../../../../shared/chat';
import type { StreamEvent } from '../../../../shared/realtime';
import { compareIds, countUnread, isAfter, isOwnMessage, refreshQuotes, upsertMessage } from './messageList';
import type { PendingMessage } from './outbox';

/** A conversation's loaded window of history: contiguous up to the newest message. */
export type Thread = { messages: MessageDTO[]; hasMore: boolean; status: 'loading' | 'ready' | 'error'; loadingOlder: boolean; error: unknown };

/** Members of a conversation; events arriving while the list loads are kept and replayed on it. */
export type Members = { list: ConversationMemberDTO[]; status: 'loading' | 'ready' | 'error'; held: StreamEvent<'conversation'>[] };

export type ChatState = {
  status: 'loading' | 'ready' | 'error';
  error: unknown;
  conversations: Record<string, ConversationDTO>;
  threads: Record<string, Thread>;
  members: Record<string, Members>;
  outbox: PendingMessage[];
  /** conversationId → userId → when their typing indicator expires (ms). */
  typing: Record<string, Record<string, number>>;
  /** Conversations this user left or was removed from while the page was open. */
  gone: Record<string, true>;
  /** Display names seen so far (members, authors, peers), for system messages and typing. */
  names: Record<string, string>;
};

export const initialChatState: ChatState = { status: 'loading', error: null, conversations: {}, threads: {}, members: {}, outbox: [], typing: {}, gone: {}, names: {} };

/** Conversations newest activity first, as the server lists them. */
export function sortedConversations(state: ChatState): ConversationDTO[] {
  return Object.values(state.conversations).sort((a, b) => (a.lastMessageAt === b.lastMessageAt ? compareIds(b.id, a.id) : a.lastMessageAt < b.lastMessageAt ? 1 : -1));
}

/** Remembers display names (returns the same state when nothing is new). */
export function withNames(state: ChatState, users: ({ id: string; displayName: string } | null | undefined)[]): ChatState {
  const fresh = users.filter((u): u is { id: string; displayName: string } => !!u && state.names[u.id] !== u.displayName);
  if (!fresh.length) return state;
  const names = { ...state.names };
  for (const user of fresh) names[user.id] = user.displayName;
  return { ...state, names };
}

/** Adds a conversation snapshot unless a fresher copy (further along its stream) is held. */
export function withConversation(state: ChatState, conversation: ConversationDTO): ChatState {
  const held = state.conversations[conversation.id];
  if (held && held.seq >= conversation.seq) return state;
  const { [conversation.id]: _, ...gone } = state.gone;
  const next = { ...state, gone, conversations: { ...state.conversations, [conversation.id]: conversation } };
  return withNames(next, [conversation.peer, conversation.lastMessage?.author]);
}

/** Recounts unread from the loaded thread when it reaches back to the read position (exact, unlike +1/-1). */
function recount(conversation: ConversationDTO, thread: Thread | undefined, me: string): ConversationDTO {
  if (!thread || thread.status !== 'ready') return conversation;
  const first = thread.messages[0];
  const covers = !thread.hasMore || (first && conversation.lastReadMessageId && compareIds(first.id, conversation.lastReadMessageId) <= 0);
  if (!covers) return conversation;
  const unreadCount = countUnread(thread.messages, conversation.lastReadMessageId, me);
  return unreadCount === conversation.unreadCount ? conversation : { ...conversation, unreadCount };
}

/** Recounts the unread messages of one conversation from its loaded thread, when that is possible. */
export function withRecount(state: ChatState, conversationId: string, me: string): ChatState {
  const conversation = state.conversations[conversationId];
  if (!conversation) return state;
  const updated = recount(conversation, state.threads[conversationId], me);
  return updated === conversation ? state : { ...state, conversations: { ...state.conversations, [conversationId]: updated } };
}

/**
 * Applies a read position of `me`: from another device (only when it moves forward, so a
 * replayed event cannot undo later messages' count) or our own acknowledged read (`current`:
 * the server's answer is authoritative for the position it names).
 */
export function withOwnRead(state: ChatState, read: { conversationId: string; lastReadMessageId: string; unreadCount: number }, me: string, current = false): ChatState {
  const conversation = state.conversations[read.conversationId];
  if (!conversation) return state;
  const forward = isAfter(read.lastReadMessageId, conversation.lastReadMessageId);
  if (!forward && !(current && read.lastReadMessageId === conversation.lastReadMessageId)) return state;
  const updated = recount({ ...conversation, lastReadMessageId: read.lastReadMessageId, unreadCount: read.unreadCount }, state.threads[read.conversationId], me);
  return { ...state, conversations: { ...state.conversations, [conversation.id]: updated } };
}

function summaryAfterMessage(conversation: ConversationDTO, type: string, message: MessageDTO, me: string): ConversationDTO {
  const mine = isOwnMessage(message, me);
  if (type === 'message.created') {
    // Only messages newer than the summary's last one: anything older is already counted.
    if (conversation.lastMessage && !isAfter(message.id, conversation.lastMessage.id)) return conversation;
    // The server moves the author's read position to what they sent.
    if (message.author?.id === me) return { ...conversation, lastMessage: message, lastMessageAt: message.createdAt, lastReadMessageId: message.id, unreadCount: 0 };
    // A system message about one's own action is never unread, but does not move the read position.
    if (mine) return { ...conversation, lastMessage: message, lastMessageAt: message.createdAt };
    const unread = isAfter(message.id, conversation.lastReadMessageId) ? conversation.unreadCount + 1 : conversation.unreadCount;
    return { ...conversation, lastMessage: message, lastMessageAt: message.createdAt, unreadCount: unread };
  }
  const lastMessage = conversation.lastMessage?.id === message.id ? message : conversation.lastMessage;
  const uncounted = type === 'message.deleted' && !mine && isAfter(message.id, conversation.lastReadMessageId);
  return { ...conversation, lastMessage, unreadCount: uncounted ? Math.max(0, conversation.unreadCount - 1) : conversation.unreadCount };
}

/** Applies one member event to a member list (idempotent: adds dedupe, reads only move forward). */
export function applyMemberEvent(list: ConversationMemberDTO[], envelope: StreamEvent<'conversation'>): ConversationMemberDTO[] {
  switch (envelope.type) {
    case 'member.added': {
      const { members } = envelope.data;
      const known = new Set(list.map((m) => m.id));
      return [...list, ...members.filter((m) => !known.has(m.id))];
    }
    case 'member.removed': {
      const gone = new Set(envelope.data.userIds);
      return list.filter((m) => !gone.has(m.id));
    }
    case 'member.roleChanged': {
      const { userId, role } = envelope.data;
      return list.map((m) => (m.id === userId ? { ...m, role } : m));
    }
    case 'read.updated': {
      const { userId, lastReadMessageId } = envelope.data;
      return list.map((m) => (m.id === userId && isAfter(lastReadMessageId, m.lastReadMessageId) ? { ...m, lastReadMessageId } : m));
    }
    case 'message.created': {
      // Sending moves the author's read position on the server without a read.updated event.
      const { message } = envelope.data;
      const author = message.author?.id;
      return author ? list.map((m) => (m.id === author && isAfter(message.id, m.lastReadMessageId) ? { ...m, lastReadMessageId: message.id } : m)) : list;
    }
    default:
      return list;
  }
}

function withMemberEvent(state: ChatState, conversationId: string, envelope: StreamEvent<'conversation'>): ChatState {
  const members = state.members[conversationId];
  if (!members) return state;
  const next: Members = members.status === 'ready' ? { ...members, list: applyMemberEvent(members.list, envelope) } : { ...members, held: [...members.held, envelope] };
  return { ...state, members: { ...state.members, [conversationId]: next } };
}

/** Applies one event of `conversation:<id>` to the summary, the loaded thread and the members. */
export function applyConversationEvent(state: ChatState, conversationId: string, envelope: StreamEvent<'conversation'>, me: string): ChatState {
  const conversation = state.conversations[conversationId];
  if (!conversation) return state;
  let summary: ConversationDTO = { ...conversation, seq: Math.max(conversation.seq, envelope.seq) };
  let thread = state.threads[conversationId];
  let next = state;
  switch (envelope.type) {
    case 'message.created':
    case 'message.updated':
    case 'message.deleted': {
      const { message } = envelope.data;
      summary = summaryAfterMessage(summary, envelope.type, message, me);
      if (thread) {
        const messages = upsertMessage(thread.messages, message);
        thread = { ...thread, messages: envelope.type === 'message.created' ? messages : refreshQuotes(messages, message) };
      }
      next = withNames(next, [message.author]);
      if (envelope.type === 'message.created' && message.author) next = withTyping(next, conversationId, message.author.id, false);
      break;
    }
    case 'conversation.updated': {
      const { name, memberCount } = envelope.data;
      summary = { ...summary, name, memberCount };
      break;
    }
    case 'member.added':
      next = withNames(next, envelope.data.members);
      break;
    case 'member.roleChanged': {
      const { userId, role } = envelope.data;
      if (userId === me) summary = { ...summary, myRole: role };
      break;
    }
    case 'read.updated': {
      const { userId, lastReadMessageId } = envelope.data;
      // The count comes with `conversation.read` on the user's own stream; only the position here.
      if (userId === me && isAfter(lastReadMessageId, summary.lastReadMessageId)) summary = { ...summary, lastReadMessageId };
      break;
    }
  }
  next = withMemberEvent(next, conversationId, envelope);
  summary = recount(summary, thread, me);
  return { ...next, conversations: { ...next.conversations, [conversationId]: summary }, threads: thread ? { ...next.threads, [conversationId]: thread } : next.threads };
}

/** Forgets a conversation this user no longer belongs to. */
export function withoutConversation(state: ChatState, conversationId: string): ChatState {
  const { [conversationId]: _c, ...conversations } = state.conversations;
  const { [conversationId]: _t, ...threads } = state.threads;
  const { [conversationId]: _m, ...members } = state.members;
  return { ...state, conversations, threads, members, gone: { ...state.gone, [conversationId]: true } };
}

/** Applies a chat event of the user's own stream (membership and read position across devices). */
export function applyUserEvent(state: ChatState, envelope: StreamEvent<'user'>, me: string): ChatState {
  switch (envelope.type) {
    case 'conversation.joined':
      return withConversation(state, envelope.data.conversation);
    case 'conversation.left':
      return withoutConversation(state, envelope.data.conversationId);
    case 'conversation.read':
      return withOwnRead(state, envelope.data, me);
    case 'conversation.changed': {
      // What the user may now do; counts and the last message follow the conversation's own stream.
      const { id, myRole, can } = envelope.data.conversation;
      const known = state.conversations[id];
      return known ? { ...state, conversations: { ...state.conversations, [id]: { ...known, myRole, can } } } : state;
    }
    default:
      return state; // notifications belong to the bell
  }
}

/** Marks someone as typing (until `expiresAt`) or not. */
export function withTyping(state: ChatState, conversationId: string, userId: string, typing: boolean, expiresAt = 0): ChatState {
  const current = state.typing[conversationId] ?? {};
  if (!typing && !(userId in current)) return state;
  const { [userId]: _, ...rest } = current;
  return { ...state, typing: { ...state.typing, [conversationId]: typing ? { ...rest, [userId]: expiresAt } : rest } };
}
