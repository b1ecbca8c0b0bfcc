import type { EntityManager } from '@mikro-orm/postgresql';
import type { StreamEventEnvelope } from '../../shared/realtime.js';
import { pgArray } from '../db/sql.js';

/**
 * The replayable event log behind realtime. Appending takes the stream's head row lock
 * (INSERT .. ON CONFLICT DO UPDATE), so concurrent writers of one stream get consecutive
 * sequences in commit order and a reader never sees seq N+1 committed before N.
 *
 * `data` may be a function: it then runs once the lock is held, so state it reads (such as
 * an unread count) includes every earlier event's transaction and never goes backwards.
 */
export async function appendStreamEvent<P>(em: EntityManager, stream: string, type: string, data: P | (() => Promise<P>)): Promise<StreamEventEnvelope<string, P>> {
  if (typeof data !== 'function') {
    // The payload is known up front: taking the head's lock and storing the event is one statement.
    const at = new Date();
    const [row] = await em.execute<{ seq: string }[]>(
      `WITH head AS (
         INSERT INTO stream_heads (stream, last_seq) VALUES (?, 1)
         ON CONFLICT (stream) DO UPDATE SET last_seq = stream_heads.last_seq + 1
         RETURNING last_seq
       )
       INSERT INTO stream_events (stream, seq, type, payload, created_at) SELECT ?, last_seq, ?, ?, ? FROM head RETURNING seq`,
      [stream, stream, type, JSON.stringify(data), at],
    );
    return { stream, seq: Number(row.seq), type, data: data as P, at: at.toISOString() };
  }
  const [head] = await em.execute<{ last_seq: string }[]>(
    `INSERT INTO stream_heads (stream, last_seq) VALUES (?, 1)
     ON CONFLICT (stream) DO UPDATE SET last_seq = stream_heads.last_seq + 1
     RETURNING last_seq`,
    [stream],
  );
  const seq = Number(head.last_seq);
  const payload = typeof data === 'function' ? await (data as () => Promise<P>)() : data;
  const at = new Date();
  await em.execute(`INSERT INTO stream_events (stream, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)`, [
    stream,
    seq,
    type,
    JSON.stringify(payload),
    at,
  ]);
  return { stream, seq, type, data: payload, at: at.toISOString() };
}

/** Events of one stream after `afterSeq`, oldest first, at most `limit`. */
export async function readStreamEvents(em: EntityManager, stream: string, afterSeq: number, limit: number): Promise<StreamEventEnvelope[]> {
  const rows = await em.execute<{ seq: string; type: string; payload: unknown; created_at: Date }[]>(
    `SELECT seq, type, payload, created_at FROM stream_events WHERE stream = ? AND seq > ? ORDER BY seq LIMIT ?`,
    [stream, afterSeq, limit],
  );
  return rows.map((row) => ({ stream, seq: Number(row.seq), type: row.type, data: row.payload, at: new Date(row.created_at).toISOString() }));
}

/** The last sequence of each stream (0 for a stream with no events yet). */
export async function streamHeads(em: EntityManager, streams: string[]): Promise<Record<string, number>> {
  const heads: Record<string, number> = Object.fromEntries(streams.map((s) => [s, 0]));
  if (streams.length === 0) return heads;
  const rows = await em.execute<{ stream: string; last_seq: string }[]>(`SELECT stream, last_seq FROM stream_heads WHERE stream = ANY(?::text[])`, [pgArray(streams)]);
  for (const row of rows) heads[row.stream] = Number(row.last_seq);
  return heads;
}
