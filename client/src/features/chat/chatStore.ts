/**
 * The chat client's one source of truth for a signed-in tab: the conversation list from HTTP,
 * kept live by the user's stream and one followed stream per conversation (starting at the
 * `seq` of its snapshot), loaded history windows, members, the outbox and typing indicators.
 * Being the only follower of conversation streams makes "follow from the snapshot's seq" exact.
 */
import { conversationStream, type ConversationDTO, type MessageDTO } from '../../../../shared/chat';
import { userStream, type StreamEvent } from '../../../../shared/realtime';
import type { FileDTO } from '../../../../shared/files';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import type { KeyValueStorage, RealtimeClient } from '../../realtime';
import { chatApi } from './chatApi';
import { applyConversationEvent, applyMemberEvent, applyUserEvent, initialChatState, withConversation, withNames, withoutConversation, withOwnRead, withRecount, withTyping, type ChatState, type Thread } from './chatState';
import { isAfter, mergeMessages } from './messageList';
import { MessageSender } from './messageSender';
import { OutboxStore } from './outbox';
import { TypingNotifier } from './typingNotifier';

const PAGE_SIZE = 50;
const TYPING_SHOWN_MS = 6000;

/** The chat state of one signed-in tab and the actions on it (see the module comment). */
export class ChatStore {
  private state: ChatState = initialChatState;
  private readonly listeners = new Set<() => void>();
  private readonly followed = new Map<string, () => void>();
  /** User-stream events that arrived before the list: applied on top of it, in order. */
  private held: StreamEvent<'user'>[] | null = [];
  private readonly reading = new Map<string, string>();
  private readonly cleanups: (() => void)[] = [];
  readonly sender: MessageSender;
  readonly typing: TypingNotifier;

  constructor(
    private readonly client: RealtimeClient,
    readonly me: string,
    storage: KeyValueStorage | undefined,
  ) {
    this.sender = new MessageSender(client, new OutboxStore(storage, `huitong.chatOutbox.${me}`), (outbox) => this.set({ ...this.state, outbox }), (message) => this.onSent(message));
    this.state = { ...this.state, outbox: this.sender.pending() };
    this.typing = new TypingNotifier(client);
  }

  /** Starts following and loading; returns the stop. */
  start(): () => void {
    this.cleanups.push(
      this.client.follow(userStream(this.me), (envelope) => (this.held ? this.held.push(envelope) : this.update((s) => applyUserEvent(s, envelope, this.me)))),
      this.client.onStateChange((state) => {
        if (state !== 'online') return;
        this.sender.connected();
        if (this.state.status === 'error') void this.loadList();
      }),
      this.client.on('typing', ({ conversationId, userId, typing }) => {
        if (userId === this.me) return;
        this.update((s) => withTyping(s, conversationId, userId, typing, Date.now() + TYPING_SHOWN_MS));
        // Not stored and maybe never followed by `typing: false` (a closed tab): expire it.
        if (typing) setTimeout(() => this.update((s) => ((s.typing[conversationId]?.[userId] ?? Infinity) <= Date.now() ? withTyping(s, conversationId, userId, false) : s)), TYPING_SHOWN_MS + 50);
      }),
      this.client.onStreamRefused((stream) => {
        const id = /^conversation:(\d+)$/.exec(stream)?.[1];
        if (id) this.update((s) => withoutConversation(s, id));
      }),
    );
    if (this.client.isConnected()) this.sender.connected();
    void this.loadList();
    return () => this.dispose();
  }

  /** Subscribes to every change (for useSyncExternalStore). */
  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The current state (a new object after every change). */
  readonly getState = () => this.state;

  /** (Re)loads the conversation list, then applies the user-stream events that arrived meanwhile. */
  async loadList(): Promise<void> {
    this.set({ ...this.state, status: 'loading', error: null });
    try {
      const conversations = await chatApi.conversations();
      const held = this.held ?? [];
      this.held = null;
      // One update, so a replayed join that a later replayed leave undoes is never followed.
      this.update((s) => held.reduce((next, envelope) => applyUserEvent(next, envelope, this.me), conversations.reduce(withConversation, { ...s, status: 'ready' as const })));
    } catch (error) {
      this.set({ ...this.state, status: 'error', error });
    }
  }

  /** Loads the newest page of a conversation and its members, once. */
  openThread(conversationId: string): void {
    const thread = this.state.threads[conversationId];
    if (!thread || thread.status === 'error') void this.loadPage(conversationId, undefined);
    const members = this.state.members[conversationId];
    if (!members || members.status === 'error') void this.loadMembers(conversationId);
  }

  /** Loads the page before the oldest loaded message (infinite scroll upwards). */
  loadOlder(conversationId: string): void {
    const thread = this.state.threads[conversationId];
    if (!thread || thread.status !== 'ready' || thread.loadingOlder || !thread.hasMore || !thread.messages.length) return;
    void this.loadPage(conversationId, thread.messages[0].id);
  }

  private async loadPage(conversationId: string, before: string | undefined): Promise<void> {
    const setThread = (change: (t: Thread) => Thread) =>
      this.update((s) => (s.conversations[conversationId] ? { ...s, threads: { ...s.threads, [conversationId]: change(s.threads[conversationId] ?? { messages: [], hasMore: true, status: 'loading', loadingOlder: false, error: null }) } } : s));
    setThread((t) => (before ? { ...t, loadingOlder: true, error: null } : { ...t, status: 'loading', error: null }));
    try {
      const page = await chatApi.history(conversationId, before, PAGE_SIZE);
      // Events applied while the page loaded are newer, or fresher copies of the same messages.
      setThread((t) => ({ ...t, messages: mergeMessages(t.messages, page.items), hasMore: before || t.status !== 'ready' ? page.nextCursor !== null : t.hasMore, status: 'ready', loadingOlder: false }));
      this.update((s) => withNames(s, page.items.map((m) => m.author)));
      // The window may now reach back to the read position: count exactly.
      this.update((s) => withRecount(s, conversationId, this.me));
    } catch (error) {
      setThread((t) => (before ? { ...t, loadingOlder: false, error } : { ...t, status: 'error', error }));
    }
  }

  private async loadMembers(conversationId: string): Promise<void> {
    this.update((s) => ({ ...s, members: { ...s.members, [conversationId]: { list: [], status: 'loading', held: [] } } }));
    try {
      const list = await chatApi.members(conversationId);
      this.update((s) => {
        const held = s.members[conversationId]?.held ?? [];
        const members = { list: held.reduce(applyMemberEvent, list), status: 'ready' as const, held: [] };
        return withNames({ ...s, members: { ...s.members, [conversationId]: members } }, list);
      });
    } catch (error) {
      this.update((s) => ({ ...s, members: { ...s.members, [conversationId]: { list: [], status: 'error', held: [] } } }));
    }
  }

  /** Queues a message (shown as pending at once) and sends it when connected. */
  send(conversationId: string, body: RichTextDocument, replyTo: MessageDTO | null, attachments: FileDTO[] = []): void {
    this.typing.stop(conversationId);
    const quote = replyTo ? { id: replyTo.id, authorName: replyTo.author?.displayName ?? null, text: replyTo.text.slice(0, 200), deleted: !!replyTo.deletedAt } : null;
    this.sender.enqueue(conversationId, body, quote, attachments);
  }

  /** Replaces the body of one's own message; throws the server's refusal. */
  async edit(messageId: string, body: RichTextDocument): Promise<void> {
    const { message } = await this.client.emit('message:edit', { messageId, body: body as unknown as Record<string, unknown> });
    this.onSent(message);
  }

  /** Deletes one's own message (a marker stays); throws the server's refusal. */
  async remove(messageId: string): Promise<void> {
    const { message } = await this.client.emit('message:delete', { messageId });
    this.onSent(message);
  }

  /** Moves the read position to the newest loaded message, when it is newer than the current one. */
  markRead(conversationId: string): void {
    const conversation = this.state.conversations[conversationId];
    const newest = this.state.threads[conversationId]?.messages.at(-1);
    if (!conversation || !newest || !this.client.isConnected()) return;
    if ((!isAfter(newest.id, conversation.lastReadMessageId) && conversation.unreadCount === 0) || this.reading.get(conversationId) === newest.id) return;
    this.reading.set(conversationId, newest.id);
    this.client.emit('conversation:read', { conversationId, messageId: newest.id }).then(
      (read) => this.update((s) => withOwnRead(s, read, this.me, true)),
      () => undefined, // retried when the view next sees the newest message, e.g. after reconnecting
    ).finally(() => this.reading.get(conversationId) === newest.id && this.reading.delete(conversationId));
  }

  /** Fetches one conversation missing from the list (beyond its length, or opened from a link). */
  async fetchConversation(conversationId: string): Promise<ConversationDTO> {
    return this.adopt(await chatApi.conversation(conversationId));
  }

  /** Opens (or creates) the direct conversation with a user. */
  async openDirect(userId: string): Promise<ConversationDTO> {
    return this.adopt(await chatApi.openDirect(userId));
  }

  /** Creates a group with the signed-in user as owner. */
  async createGroup(name: string, memberIds: string[]): Promise<ConversationDTO> {
    return this.adopt(await chatApi.createGroup(name, memberIds));
  }

  /** Leaves a group; the conversation disappears from the list at once. */
  async leave(conversationId: string): Promise<void> {
    await chatApi.leave(conversationId);
    this.update((s) => withoutConversation(s, conversationId));
  }

  private adopt(conversation: ConversationDTO): ConversationDTO {
    this.update((s) => withConversation(s, conversation));
    return conversation;
  }

  private onSent(message: MessageDTO): void {
    // The acknowledged copy, applied like the stream's (which may arrive before or after it, once).
    this.update((s) => {
      const thread = s.threads[message.conversationId];
      return thread ? { ...s, threads: { ...s.threads, [message.conversationId]: { ...thread, messages: mergeMessages(thread.messages, [message]) } } } : s;
    });
  }

  private onConversationEvent(conversationId: string, envelope: StreamEvent<'conversation'>): void {
    if (envelope.type === 'message.created') {
      const { message } = envelope.data;
      if (message.author?.id === this.me && message.clientId) this.sender.confirm(message.clientId);
    }
    this.update((s) => applyConversationEvent(s, conversationId, envelope, this.me));
  }

  /** Follows the stream of every listed conversation from its snapshot's seq, and unfollows the rest. */
  private syncFollows(): void {
    for (const [id, conversation] of Object.entries(this.state.conversations)) {
      if (this.followed.has(id)) continue;
      this.followed.set(id, this.client.follow(conversationStream(id), (envelope) => this.onConversationEvent(id, envelope), { fromSeq: conversation.seq }));
    }
    for (const [id, unfollow] of this.followed) {
      if (this.state.conversations[id]) continue;
      unfollow();
      this.followed.delete(id);
    }
  }

  private update(change: (state: ChatState) => ChatState): void {
    const next = change(this.state);
    if (next === this.state) return;
    const membership = next.conversations !== this.state.conversations;
    this.set(next);
    if (membership) this.syncFollows();
  }

  private set(next: ChatState): void {
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }

  private dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const unfollow of this.followed.values()) unfollow();
    this.followed.clear();
    this.sender.dispose();
    this.typing.dispose();
  }
}
