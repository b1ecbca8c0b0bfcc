import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { userStream } from '../../../../shared/realtime';
import { useStream } from '../../realtime';
import { fetchNotifications, markAllNotificationsRead, markNotificationsRead } from './notificationsApi';
import { initialNotificationsState, notificationsReducer } from './notificationsState';

/**
 * The user's notifications: the first page over HTTP, then live changes from the personal
 * stream (which also replays what was missed while disconnected), and the read actions.
 */
export function useNotificationCenter(userId: string) {
  const [state, dispatch] = useReducer(notificationsReducer, initialNotificationsState);
  const [error, setError] = useState<unknown>(null);
  // Counts applied stream events, so an HTTP answer can tell whether events overtook it.
  const eventsApplied = useRef(0);

  useStream(userStream(userId), (envelope) => {
    eventsApplied.current += 1;
    dispatch({ type: 'event', envelope });
  });

  const load = useCallback(async (before?: string) => {
    const startedAt = eventsApplied.current;
    try {
      const page = await fetchNotifications(before);
      dispatch({ type: 'page', items: page.items, nextCursor: page.nextCursor, unreadCount: page.unreadCount, stale: eventsApplied.current !== startedAt, append: before !== undefined });
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, userId]);

  const markRead = useCallback(async (ids: string[] | 'all') => {
    const startedAt = eventsApplied.current;
    try {
      const { unreadCount } = ids === 'all' ? await markAllNotificationsRead() : await markNotificationsRead(ids);
      dispatch({ type: 'markedRead', ids, readAt: new Date().toISOString(), unreadCount, stale: eventsApplied.current !== startedAt });
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, []);

  return {
    ...state,
    error,
    markRead,
    loadMore: () => (state.nextCursor ? load(state.nextCursor) : Promise.resolve()),
    reload: () => load(),
  };
}
