import { useCallback, useEffect, useRef, useState } from 'react';
import type { AnnouncementSummaryDTO } from '../../../../shared/announcements';
import { userStream } from '../../../../shared/realtime';
import { useRealtime, useStream } from '../../realtime';
import { announcementsApi } from './announcementsApi';

/**
 * What the frame shows of announcements: the urgent ones the user must still acknowledge (the
 * banner) and how many are unread (the navigation's badge). Read again whenever the personal stream
 * says an announcement arrived, was read or acknowledged — on any of the user's devices.
 */
export function useAnnouncementAttention(userId: string) {
  const [state, setState] = useState<{ urgent: AnnouncementSummaryDTO[]; unreadCount: number }>({ urgent: [], unreadCount: 0 });
  const asked = useRef(0);
  const load = useCallback(async () => {
    const ask = ++asked.current;
    try {
      const next = await announcementsApi.attention();
      // An older answer that arrives after a newer one is dropped.
      if (ask === asked.current) setState(next);
    } catch {
      // The banner is a convenience: the feed shows the same and says why it failed.
    }
  }, []);
  useEffect(() => void load(), [load, userId]);
  useStream(userStream(userId), (event) => {
    if (event.type === 'notification.created' && event.data.notification.kind === 'announcement') void load();
    if (event.type === 'announcement.read' || event.type === 'announcement.acknowledged') void load();
  });
  // A publication tells the open pages of its recipients at once, before its notification is written.
  const realtime = useRealtime();
  useEffect(
    () =>
      realtime.on('announcement:published', ({ announcement }) => {
        asked.current++;
        setState((current) => ({
          urgent: announcement.priority === 'urgent' && announcement.receipt?.mustAcknowledge && !current.urgent.some((a) => a.id === announcement.id) ? [announcement, ...current.urgent] : current.urgent,
          unreadCount: current.unreadCount + 1,
        }));
      }),
    [realtime],
  );
  // An urgent announcement stops asking once it expires, without a server event.
  const now = Date.now();
  return { ...state, urgent: state.urgent.filter((a) => !a.expiresAt || Date.parse(a.expiresAt) > now) };
}
