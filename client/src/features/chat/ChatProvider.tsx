import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { browserStorage, useRealtime } from '../../realtime';
import type { ChatState } from './chatState';
import { ChatStore } from './chatStore';

const ChatContext = createContext<ChatStore | null>(null);

/**
 * Owns the chat store of the signed-in user for the whole session (not only on /chat), so the
 * navigation's unread badge is live and unsent messages keep being retried on every page.
 */
export function ChatProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const client = useRealtime();
  const [store] = useState(() => new ChatStore(client, userId, browserStorage()));
  useEffect(() => store.start(), [store]);
  return <ChatContext.Provider value={store}>{children}</ChatContext.Provider>;
}

/** The chat store (actions). */
export function useChatStore(): ChatStore {
  const store = useContext(ChatContext);
  if (!store) throw new Error('useChatStore must be used inside <ChatProvider>');
  return store;
}

/** The chat state, re-rendering on every change. */
export function useChatState(): ChatState {
  const store = useChatStore();
  return useSyncExternalStore(store.subscribe, store.getState);
}

/** Unread messages over all conversations, for the navigation badge (re-renders only when the total changes). */
export function useTotalUnread(): number {
  const store = useChatStore();
  return useSyncExternalStore(store.subscribe, () => {
    let total = 0;
    for (const conversation of Object.values(store.getState().conversations)) total += conversation.unreadCount;
    return total;
  });
}
