import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ConversationDTO, MessageDTO } from '../../../../shared/chat';
import { useI18n } from '../../i18n';
import { useConnectionState } from '../../realtime';
import { useChatState, useChatStore } from './ChatProvider';
import { compareIds } from './messageList';
import { MessageItem, PendingItem } from './MessageItem';
import { systemText } from './systemText';
import { useVisibility } from './useVisibility';

const NEAR_BOTTOM_PX = 60;
/** How many older pages a link to a message may load to reach it (a mention is usually recent). */
const MAX_PAGES_TO_FOCUS = 20;
/** Consecutive messages of one author within this time share one author line. */
const GROUP_GAP_MS = 5 * 60_000;

/** Who (other than me) has read up to each loaded message: placed at the newest message at or before their read position. */
function readReceipts(messages: MessageDTO[], members: { id: string; displayName: string; lastReadMessageId: string | null }[], me: string) {
  const at = new Map<string, { id: string; displayName: string }[]>();
  if (!messages.length) return at;
  for (const member of members) {
    if (member.id === me || !member.lastReadMessageId) continue;
    let low = 0;
    let high = messages.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareIds(messages[mid].id, member.lastReadMessageId) <= 0) low = mid + 1;
      else high = mid;
    }
    const message = messages[low - 1];
    // Older than the loaded window, or their own message (reading what one wrote goes without saying).
    if (!message || message.author?.id === member.id) continue;
    at.set(message.id, [...(at.get(message.id) ?? []), member]);
  }
  return at;
}

/**
 * The history of a conversation: loads older pages when scrolled to the top (keeping the view
 * where it was), follows new messages when already at the bottom, and marks the conversation
 * read while its newest message is on screen.
 */
export function MessageList({ conversation, onReply, focusId }: { conversation: ConversationDTO; onReply: (message: MessageDTO) => void; focusId?: string | null }) {
  const { t } = useI18n();
  const store = useChatStore();
  const state = useChatState();
  const connection = useConnectionState();
  const visible = useVisibility();
  const id = conversation.id;
  const thread = state.threads[id];
  const messages = useMemo(() => thread?.messages ?? [], [thread]);
  const pending = useMemo(() => {
    // A pending copy disappears as soon as the stored one is here (matched by client id).
    const sent = new Set(messages.filter((m) => m.author?.id === store.me && m.clientId).map((m) => m.clientId));
    return state.outbox.filter((p) => p.conversationId === id && !sent.has(p.clientId));
  }, [state.outbox, messages, id, store.me]);
  const members = state.members[id];
  const receipts = useMemo(() => readReceipts(messages, members?.status === 'ready' ? members.list : [], store.me), [messages, members, store.me]);

  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const bottomSentinel = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);
  const last = useRef({ firstId: '', lastKey: '', height: 0, nearBottom: true });

  useEffect(() => {
    const root = scroller.current;
    if (!root || !topSentinel.current || !bottomSentinel.current) return;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.target === topSentinel.current && entry.isIntersecting) store.loadOlder(id);
          if (entry.target === bottomSentinel.current) setAtBottom(entry.isIntersecting);
        }
      },
      { root, rootMargin: '40px 0px' },
    );
    observer.observe(topSentinel.current);
    observer.observe(bottomSentinel.current);
    return () => observer.disconnect();
  }, [store, id]);

  const lastKey = pending.length ? pending[pending.length - 1].clientId : (messages[messages.length - 1]?.id ?? '');
  const firstId = messages[0]?.id ?? '';
  useLayoutEffect(() => {
    const root = scroller.current;
    if (!root) return;
    const before = last.current;
    if (before.firstId && firstId && compareIds(firstId, before.firstId) < 0) {
      // Older messages went in above: keep what the reader was looking at in place.
      root.scrollTop += root.scrollHeight - before.height;
    } else if (lastKey !== before.lastKey && (before.nearBottom || pending.length > 0 || !before.lastKey)) {
      root.scrollTop = root.scrollHeight;
    }
    last.current = { firstId, lastKey, height: root.scrollHeight, nearBottom: root.scrollHeight - root.scrollTop - root.clientHeight < NEAR_BOTTOM_PX };
    // A first page shorter than the screen leaves the top sentinel visible without any scrolling.
    if (thread?.status === 'ready' && thread.hasMore && root.scrollTop < 40) store.loadOlder(id);
  }, [firstId, lastKey, pending.length, thread, store, id]);

  // A link to one message (from a mention or a notification) loads back to it, then shows it.
  const focus = useRef({ id: '', pages: 0, done: false });
  useEffect(() => {
    if (!focusId || thread?.status !== 'ready') return;
    if (focus.current.id !== focusId) focus.current = { id: focusId, pages: 0, done: false };
    if (focus.current.done) return;
    const element = scroller.current?.querySelector<HTMLElement>(`[data-message-id="${focusId}"]`);
    if (element) {
      focus.current.done = true;
      element.scrollIntoView({ block: 'center' });
      last.current.nearBottom = false;
      element.classList.add('message-focused');
      element.dataset.focused = 'true';
      return;
    }
    const reachable = thread.hasMore && !!firstId && compareIds(focusId, firstId) < 0 && focus.current.pages < MAX_PAGES_TO_FOCUS;
    if (!reachable) {
      focus.current.done = true;
      return;
    }
    if (!thread.loadingOlder) {
      focus.current.pages += 1;
      store.loadOlder(id);
    }
  }, [focusId, thread, firstId, store, id]);

  const newestId = messages[messages.length - 1]?.id;
  useEffect(() => {
    if (atBottom && visible && connection === 'online' && newestId) store.markRead(id);
  }, [atBottom, visible, connection, newestId, conversation.unreadCount, store, id]);

  const onScroll = () => {
    const root = scroller.current!;
    last.current.nearBottom = root.scrollHeight - root.scrollTop - root.clientHeight < NEAR_BOTTOM_PX;
  };

  return (
    <div className="message-scroller" ref={scroller} onScroll={onScroll} data-testid="message-list">
      <div ref={topSentinel} className="message-sentinel" />
      {thread?.loadingOlder && <p className="muted chat-hint" data-testid="history-loading">{t('app.loading')}</p>}
      {thread?.status === 'ready' && !thread.hasMore && <p className="muted chat-hint" data-testid="history-start">{t('chat.historyStart')}</p>}
      {thread?.status === 'loading' && <p className="muted chat-hint">{t('app.loading')}</p>}
      <ol className="messages">
        {messages.map((message, i) => {
          const previous = messages[i - 1];
          const continued =
            !!previous && previous.kind === 'text' && message.kind === 'text' && previous.author?.id === message.author?.id && Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_GAP_MS;
          return (
            <MessageItem
              key={message.id}
              message={message}
              kind={conversation.kind}
              systemLine={message.kind === 'system' ? systemText(message, state.names, t) : undefined}
              continued={continued}
              readers={receipts.get(message.id)}
              onReply={onReply}
            />
          );
        })}
        {pending.map((p) => (
          <PendingItem key={p.clientId} pending={p} />
        ))}
      </ol>
      <div ref={bottomSentinel} className="message-sentinel" data-testid="message-list-bottom" />
    </div>
  );
}
