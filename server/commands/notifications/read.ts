import { userStream } from '../../../shared/realtime.js';
import { pgArray } from '../../db/sql.js';
import { unreadCount } from '../../queries/notifications.js';
import { appendEvent, type CommandContext } from '../context.js';

/** Marks some of the user's notifications read (ids of others' are ignored) and tells their other devices. */
export async function notificationsReader(cx: CommandContext, ids: string[]): Promise<number> {
  const { em: tx } = cx;
  const userId = cx.actor.id;
  const readAt = new Date();
  const rows = await tx.execute<{ id: string }[]>(
    `UPDATE notifications SET read_at = ? WHERE recipient_id = ? AND id = ANY(?::bigint[]) AND read_at IS NULL RETURNING id::text AS id`,
    [readAt, userId, pgArray(ids)],
  );
  if (rows.length === 0) return unreadCount(tx, userId);
  let count = 0;
  await appendEvent(cx, userStream(userId), 'notification.read', async () => {
    count = await unreadCount(tx, userId);
    return { ids: rows.map((r) => String(r.id)), readAt: readAt.toISOString(), unreadCount: count };
  });
  return count;
}

/** Marks every notification of the user read and tells their other devices. */
export async function notificationsAllReader(cx: CommandContext): Promise<number> {
  const { em: tx } = cx;
  const userId = cx.actor.id;
  const readAt = new Date();
  const rows = await tx.execute(`UPDATE notifications SET read_at = ? WHERE recipient_id = ? AND read_at IS NULL RETURNING id`, [readAt, userId]);
  if (rows.length === 0) return unreadCount(tx, userId);
  // Counted under the stream lock: a notification committed since the UPDATE stays unread.
  let count = 0;
  await appendEvent(cx, userStream(userId), 'notification.allRead', async () => {
    count = await unreadCount(tx, userId);
    return { readAt: readAt.toISOString(), unreadCount: count };
  });
  return count;
}
