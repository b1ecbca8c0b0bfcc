import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { CommandRunner } from '../commands/context.js';
import { resolveRecipients, writeNotifications, type StoredSpec } from '../commands/notifications/notify.js';
import { recipients } from '../commands/notifications/recipients.js';
import { FANOUT_QUEUE, type FanOutJob } from './queue.js';

/**
 * Writes one queued part of a large fan-out (see notify) exactly once: its row is locked (SKIP
 * LOCKED, so a second process does not wait for the first) and deleted in the transaction that
 * writes its notifications. A retried, duplicated or re-offered job finds the row gone, or taken
 * by a transaction still running, and does nothing; a process that dies mid-way rolls back, and the
 * part is written again by the next job for it. Recipients deactivated meanwhile are left out.
 */
export async function fanOutChunkDeliverer(deps: { orm: MikroORM; runner: CommandRunner }, chunkId: string): Promise<number> {
  return deps.runner.run(deps.orm.em.fork(), null, async (cx) => {
    const [chunk] = await cx.em.execute<{ spec: StoredSpec; recipients: unknown[] }[]>(
      `DELETE FROM fanout_chunks WHERE id = (SELECT id FROM fanout_chunks WHERE id = ? FOR UPDATE SKIP LOCKED) RETURNING spec, recipients`,
      [chunkId],
    );
    if (!chunk) return 0;
    const rows = await resolveRecipients(cx, recipients.sql(`SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(user_id bigint, occurrence_id bigint, data jsonb)`, [JSON.stringify(chunk.recipients)]));
    if (rows.length) cx.events.push(...(await writeNotifications(cx, chunk.spec, rows)));
    return rows.length;
  });
}

/**
 * Parts whose job was not done long after it was offered: the job was lost with a process that
 * died holding it. Each is offered again (a part being written right now is locked and skipped).
 */
export async function reofferLostChunks(em: EntityManager, boss: PgBoss, graceSeconds: number): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `UPDATE fanout_chunks SET offered_at = now()
     WHERE id IN (SELECT id FROM fanout_chunks WHERE offered_at < now() - make_interval(secs => ?) ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED)
     RETURNING id::text AS id`,
    [graceSeconds],
  );
  if (rows.length) await boss.insert(rows.map((r) => ({ name: FANOUT_QUEUE, data: { chunkId: r.id } satisfies FanOutJob })));
  return rows.length;
}
