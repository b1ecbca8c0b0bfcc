/** The chat client's pure state: events applied once even when a snapshot already holds them. */
import { describe, expect, it } from 'vitest';
import type { ConversationDTO, MessageDTO } from '../../../../shared/chat.js';
import type { StreamEvent } from '../../../../shared/realtime.js';
import { applyConversationEvent, applyMemberEvent, applyUserEvent, initialChatState, withConversation, type ChatState } from '../../../../client/src/features/chat/chatState.js';
import { compareIds, upsertMessage } from '../../../../client/src/features/chat/messageList.js';

const ME = '1';
const OTHER = '2';
let seq = 10;

function message(id: string, authorId: string | null, extra: Partial<MessageDTO> = {}): MessageDTO {
  return {
    id, conversationId: '7', clientId: null, kind: authorId ? 'text' : 'system', author: authorId ? { id: authorId, displayName: `u${authorId}`, email: '' } : null,
    body: {}, text: `m${id}`, replyTo: null, mentions: [], system: null, createdAt: new Date(Number(id) * 1000).toISOString(), editedAt: null, deletedAt: null, ...extra,
  };
}

const conversation = (extra: Partial<ConversationDTO> = {}): ConversationDTO => ({
  id: '7', kind: 'direct', name: null, peer: { id: OTHER, displayName: 'u2', email: '' }, memberCount: 2, myRole: 'member',
  lastMessage: message('100', OTHER), lastMessageAt: new Date(100_000).toISOString(), unreadCount: 0, lastReadMessageId: '100', seq: 10,
  can: { rename: false, addMembers: false, removeMembers: false, removeOwners: false, changeRoles: false, leave: false, mentionEveryone: false }, ...extra,
});

// Events as the server would send them, built loosely here: each test names its type and payload.
const event = (type: string, data: unknown, stream = 'conversation:7') => ({ stream, seq: ++seq, type, data, at: '' }) as never;
const start = (): ChatState => withConversation({ ...initialChatState, status: 'ready' }, conversation());
const apply = (state: ChatState, ...events: StreamEvent<'conversation'>[]) => events.reduce((s, e) => applyConversationEvent(s, '7', e, ME), state);

describe('chat state', () => {
  it('counts a new message from someone else once, however often it is applied', () => {
    const created = event('message.created', { message: message('101', OTHER) });
    const state = apply(start(), created, created);
    expect(state.conversations['7'].unreadCount).toBe(1);
    expect(state.conversations['7'].lastMessage?.id).toBe('101');
  });

  it('clears unread when I send (the server moves my read position) and uncounts a deleted unread message', () => {
    let state = apply(start(), event('message.created', { message: message('101', OTHER) }), event('message.created', { message: message('102', OTHER) }));
    state = apply(state, event('message.deleted', { message: message('102', OTHER, { deletedAt: 'x', text: '' }) }));
    expect(state.conversations['7'].unreadCount).toBe(1);
    state = apply(state, event('message.created', { message: message('103', ME) }));
    expect(state.conversations['7']).toMatchObject({ unreadCount: 0, lastReadMessageId: '103' });
  });

  it('applies read positions from other devices only forward, so a replay cannot undo newer unread messages', () => {
    let state = apply(start(), event('message.created', { message: message('101', OTHER) }));
    state = applyUserEvent(state, event('conversation.read', { conversationId: '7', lastReadMessageId: '100', unreadCount: 0 }, 'user:1'), ME);
    expect(state.conversations['7'].unreadCount).toBe(1);
    state = applyUserEvent(state, event('conversation.read', { conversationId: '7', lastReadMessageId: '101', unreadCount: 0 }, 'user:1'), ME);
    expect(state.conversations['7']).toMatchObject({ unreadCount: 0, lastReadMessageId: '101' });
  });

  it('keeps the fresher copy of a conversation and forgets one the user left', () => {
    let state = apply(start(), event('conversation.updated', { conversationId: '7', name: null, memberCount: 2 }));
    state = applyUserEvent(state, event('conversation.joined', { conversation: conversation({ seq: 3, unreadCount: 9 }) }, 'user:1'), ME);
    expect(state.conversations['7'].unreadCount).toBe(0);
    state = applyUserEvent(state, event('conversation.left', { conversationId: '7' }, 'user:1'), ME);
    expect(state.conversations['7']).toBeUndefined();
    expect(state.gone['7']).toBe(true);
  });

  it('updates a loaded thread, recounting unread exactly, and refreshes quotes of a deleted message', () => {
    let state = start();
    state = { ...state, threads: { '7': { messages: [message('100', OTHER)], hasMore: false, status: 'ready', loadingOlder: false, error: null } } };
    state = apply(state, event('message.created', { message: message('101', OTHER, { replyTo: { id: '100', authorName: 'u2', text: 'm100', deleted: false } }) }));
    state = apply(state, event('message.deleted', { message: message('100', OTHER, { deletedAt: 'x', text: '' }) }));
    expect(state.threads['7'].messages.map((m) => m.id)).toEqual(['100', '101']);
    expect(state.threads['7'].messages[1].replyTo).toMatchObject({ deleted: true, text: '' });
    expect(state.conversations['7'].unreadCount).toBe(1);
  });

  it('applies member events idempotently and moves read receipts only forward', () => {
    const member = { id: OTHER, displayName: 'u2', email: '', role: 'member' as const, lastReadMessageId: '100' };
    let list = applyMemberEvent([member], event('member.added', { conversationId: '7', members: [member] }));
    expect(list).toHaveLength(1);
    list = applyMemberEvent(list, event('read.updated', { conversationId: '7', userId: OTHER, lastReadMessageId: '99' }));
    expect(list[0].lastReadMessageId).toBe('100');
    list = applyMemberEvent(list, event('message.created', { message: message('105', OTHER) }));
    expect(list[0].lastReadMessageId).toBe('105');
  });
});

describe('message list', () => {
  it('orders by numeric id and keeps deletions and later edits over older copies', () => {
    expect(compareIds('99', '100')).toBeLessThan(0);
    let list = upsertMessage([], message('100', OTHER));
    list = upsertMessage(list, message('99', OTHER));
    list = upsertMessage(list, message('100', OTHER, { deletedAt: 'x' }));
    list = upsertMessage(list, message('100', OTHER, { editedAt: '2030-01-01T00:00:00Z' }));
    expect(list.map((m) => [m.id, !!m.deletedAt])).toEqual([['99', false], ['100', true]]);
  });
});
