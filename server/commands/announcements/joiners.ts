import { announcementStream } from '../../../shared/announcements.js';
import { pgArray } from '../../db/sql.js';
import type { User } from '../../entities/User.js';
import { appendEvent, type CommandContext } from '../context.js';
import { notifyPublication, type NoticeSource } from './notices.js';
import { inDepartmentScopeSql } from './scope.js';

type Joined = { id: string; title: string; body_text: string; category: string; priority: NoticeSource['priority']; requires_ack: boolean; ack_version: number | null; user_ids: string[] };

/**
 * People who joined the company or moved into another department receive what stands there: the
 * published, unexpired policies and pinned announcements whose scope now covers their department
 * (by the whole company or a department at or above theirs). One INSERT … SELECT writes every
 * ledger row for every one of them; then each such announcement notifies its new recipients in one
 * fan-out. Called by the commands that create users and change their department, in their
 * transaction. Returns how many copies were given.
 */
export async function announcementJoiner(cx: CommandContext<User | null>, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const now = cx.clock.now();
  const joined = await cx.em.execute<Joined[]>(
    `WITH added AS (
       INSERT INTO announcement_recipients (announcement_id, user_id, via, received_at)
       SELECT a.id, u.id, 'joined', ? FROM announcements a JOIN users u ON u.id = ANY(?::bigint[])
       WHERE a.status = 'published' AND (a.expires_at IS NULL OR a.expires_at > ?) AND (a.category = 'policy' OR a.pinned)
         AND u.active AND u.id <> a.publisher_id AND ${inDepartmentScopeSql('u', 'a')}
       ON CONFLICT DO NOTHING
       RETURNING announcement_id, user_id
     ), counted AS (
       UPDATE announcements a SET recipient_count = a.recipient_count + c.n
       FROM (SELECT announcement_id, count(*) AS n FROM added GROUP BY announcement_id) c WHERE a.id = c.announcement_id
       RETURNING a.id
     )
     SELECT a.id::text AS id, a.title, a.body_text, a.category, a.priority, a.requires_ack, a.ack_version, array_agg(x.user_id::text) AS user_ids
     FROM added x JOIN announcements a ON a.id = x.announcement_id GROUP BY a.id ORDER BY a.id`,
    [now, pgArray(userIds), now],
  );
  let given = 0;
  for (const a of joined) {
    const source: NoticeSource = { id: a.id, title: a.title, bodyText: a.body_text, category: a.category, priority: a.priority, requiresAck: a.requires_ack, ackVersion: a.ack_version };
    await notifyPublication(cx, source, { sql: `SELECT unnest(?::bigint[]) AS user_id`, params: [pgArray(a.user_ids)] }, 'joined');
    await appendEvent(cx, announcementStream(a.id), 'ledger.changed', { change: 'joined' });
    given += a.user_ids.length;
  }
  return given;
}
