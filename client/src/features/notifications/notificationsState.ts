import type { NotificationDTO } from '../../../../shared/dto';
import type { StreamEvent } from '../../../../shared/realtime';

/** The bell's state: loaded notifications (newest first) and the server's unread count. */
export type NotificationsState = {
  items: NotificationDTO[];
  unreadCount: number;
  nextCursor: string | null;
  loaded: boolean;
};

export type NotificationsAction =
  /** `stale`: stream events were applied while the request ran, so its count is older than ours. */
  | { type: 'page'; items: NotificationDTO[]; nextCursor: string | null; unreadCount: number; stale: boolean; append: boolean }
  | { type: 'event'; envelope: StreamEvent<'user'> }
  | { type: 'markedRead'; ids: string[] | 'all'; readAt: string; unreadCount: number; stale: boolean };

export const initialNotificationsState: NotificationsState = { items: [], unreadCount: 0, nextCursor: null, loaded: false };

const byIdDesc = (a: NotificationDTO, b: NotificationDTO) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0);

/** True when a notification falls inside the loaded window (newer than the oldest loaded, or all are loaded). */
function inWindow(state: NotificationsState, id: string): boolean {
  if (state.nextCursor === null || state.items.length === 0) return true;
  return BigInt(id) > BigInt(state.items[state.items.length - 1].id);
}

function markRead(items: NotificationDTO[], ids: Set<string> | 'all', readAt: string): NotificationDTO[] {
  return items.map((n) => (n.readAt === null && (ids === 'all' || ids.has(n.id)) ? { ...n, readAt } : n));
}

function applyEvent(state: NotificationsState, envelope: StreamEvent<'user'>): NotificationsState {
  switch (envelope.type) {
    case 'notification.created': {
      const { data } = envelope;
      const known = state.items.some((n) => n.id === data.notification.id);
      // A replayed creation must not undo a later read that the snapshot already shows.
      const items = known || !inWindow(state, data.notification.id) ? state.items : [...state.items, data.notification].sort(byIdDesc);
      return { ...state, items, unreadCount: data.unreadCount };
    }
    case 'notification.read': {
      const { data } = envelope;
      return { ...state, items: markRead(state.items, new Set(data.ids), data.readAt), unreadCount: data.unreadCount };
    }
    case 'notification.allRead': {
      const { data } = envelope;
      return { ...state, items: markRead(state.items, 'all', data.readAt), unreadCount: data.unreadCount };
    }
    default:
      return state; // other event types on the personal stream belong to other features
  }
}

/** Merges a fetched page with what events already added, keeping the fresher copy of each. */
function mergePage(state: NotificationsState, action: Extract<NotificationsAction, { type: 'page' }>): NotificationsState {
  const merged = new Map<string, NotificationDTO>();
  const base = action.append ? state.items : state.items.filter((n) => action.nextCursor === null || action.items.length === 0 || BigInt(n.id) > BigInt(action.items[action.items.length - 1].id));
  for (const n of base) merged.set(n.id, n);
  for (const n of action.items) {
    const existing = merged.get(n.id);
    // When events arrived meanwhile, what they set (a read) is newer than the page.
    merged.set(n.id, existing && action.stale ? existing : existing?.readAt && !n.readAt ? existing : n);
  }
  return {
    items: [...merged.values()].sort(byIdDesc),
    nextCursor: action.nextCursor,
    unreadCount: action.stale ? state.unreadCount : action.unreadCount,
    loaded: true,
  };
}

/** The notifications reducer: pages from HTTP, events from the `user:<id>` stream, own reads. */
export function notificationsReducer(state: NotificationsState, action: NotificationsAction): NotificationsState {
  switch (action.type) {
    case 'page':
      return mergePage(state, action);
    case 'event':
      return applyEvent(state, action.envelope);
    case 'markedRead':
      return {
        ...state,
        items: markRead(state.items, action.ids === 'all' ? 'all' : new Set(action.ids), action.readAt),
        unreadCount: action.stale ? state.unreadCount : action.unreadCount,
      };
  }
}
