import type { EntityManager } from '@mikro-orm/postgresql';
import { preparedStatement } from '../db/prepared.js';
import { pgArray } from '../db/sql.js';
import { isoInstant } from '../presenters/instants.js';
import type { EventPayload, EventType, NewStreamEvent, StreamEvent, StreamKind, StreamName } from '../../shared/realtime.js';

/**
 * The replayable event log behind realtime. Appending takes the stream's head row lock
 * (INSERT .. ON CONFLICT DO UPDATE), so concurrent writers of one stream get consecutive
 * sequences in commit order and a reader never sees seq N+1 committed before N. What may be
 * appended is decided by the shared StreamEventMap: an unknown type or a wrong payload does not compile.
 *
 * `data` may be a function: it then runs once the lock is held, so state it reads (such as
 * an unread count) includes every earlier event's transaction and never goes backwards.
 */
export async function appendStreamEvent<K extends StreamKind, T extends EventType<K>>(
  em: EntityManager,
  stream: StreamName<K>,
  type: T,
  data: EventPayload<K, T> | (() => Promise<EventPayload<K, T>>),
): Promise<StreamEvent<K>> {
  const event = (seq: number, payload: EventPayload<K, T>, at: Date) => ({ stream, seq, type, data: payload, at: at.toISOString() }) as unknown as StreamEvent<K>;
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
    return event(Number(row.seq), data, at);
  }
  const [head] = await em.execute<{ last_seq: string }[]>(
    `INSERT INTO stream_heads (stream, last_seq) VALUES (?, 1)
     ON CONFLICT (stream) DO UPDATE SET last_seq = stream_heads.last_seq + 1
     RETURNING last_seq`,
    [stream],
  );
  const seq = Number(head.last_seq);
  const payload = await (data as () => Promise<EventPayload<K, T>>)();
  const at = new Date();
  await em.execute(`INSERT INTO stream_events (stream, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)`, [stream, seq, type, JSON.stringify(payload), at]);
  return event(seq, payload, at);
}

/**
 * Appends many events, to one stream or many, in one statement whatever their number: the heads
 * of all their streams move in one INSERT (in stream order, the order every batch takes the locks
 * in, so two batches never wait on each other in a cycle) and the events go in with consecutive
 * sequences per stream, in the order given. For announcing one change to thousands of people.
 */
export async function appendStreamEvents(em: EntityManager, events: readonly NewStreamEvent[]): Promise<StreamEvent[]> {
  if (events.length === 0) return [];
  if (events.length === 1) {
    const [only] = events as readonly { stream: StreamName<'user'>; type: EventType<'user'>; data: never }[];
    return [await appendStreamEvent(em, only.stream, only.type, only.data)];
  }
  const at = new Date();
  const rows = await em.execute<{ ord: number; seq: string }[]>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb) AS t(ord int, stream text, type text, payload jsonb)
     ), head AS (
       INSERT INTO stream_heads (stream, last_seq)
       SELECT stream, count(*) FROM input GROUP BY stream ORDER BY stream
       ON CONFLICT (stream) DO UPDATE SET last_seq = stream_heads.last_seq + excluded.last_seq
       RETURNING stream, last_seq
     ), numbered AS (
       SELECT i.ord, i.stream, i.type, i.payload,
              h.last_seq - count(*) OVER (PARTITION BY i.stream) + row_number() OVER (PARTITION BY i.stream ORDER BY i.ord) AS seq
       FROM input i JOIN head h ON h.stream = i.stream
     ), stored AS (
       INSERT INTO stream_events (stream, seq, type, payload, created_at) SELECT stream, seq, type, payload, ? FROM numbered
     )
     SELECT ord, seq FROM numbered`,
    [JSON.stringify(events.map((e, ord) => ({ ord, stream: e.stream, type: e.type, payload: e.data }))), at],
  );
  const seqOf = new Map(rows.map((row) => [Number(row.ord), Number(row.seq)]));
  return events.map((e, ord) => ({ ...e, seq: seqOf.get(ord)!, at: at.toISOString() }) as StreamEvent);
}

export type StreamPosition = { stream: string; afterSeq: number };

// A named prepared statement on the pool: catch-up reads thousands of rows, and MikroORM's raw
// queries (parameters inlined, results passed through the ORM) took a third longer.
const readStatement = preparedStatement<{ ord: number; stream: string; seq: string; type: string; payload: unknown; created_at: string | Date }>(
  'streams.read',
  `SELECT p.ord, e.stream, e.seq, e.type, e.payload, e.created_at
   FROM jsonb_to_recordset(?::jsonb) AS p(ord int, stream text, after bigint)
   CROSS JOIN LATERAL (
     SELECT stream, seq, type, payload, created_at FROM stream_events
     WHERE stream = p.stream AND seq > p.after ORDER BY seq LIMIT ?
   ) e
   ORDER BY p.ord, e.seq LIMIT ?`,
);

/**
 * Events of many streams after each one's position, in one query: streams in the order given,
 * each oldest first, at most `limit` in all (a stream cut short, and every stream after it, still
 * has events to send). Each stream is one range of the (stream, seq) key.
 */
export async function readStreamsEvents(em: EntityManager, positions: readonly StreamPosition[], limit: number): Promise<{ events: StreamEvent[]; complete: number }> {
  if (positions.length === 0) return { events: [], complete: 0 };
  const rows = await readStatement(em, [JSON.stringify(positions.map((p, ord) => ({ ord, stream: p.stream, after: p.afterSeq }))), limit + 1, limit + 1]);
  const events = rows.slice(0, limit).map((row) => ({ stream: row.stream, seq: Number(row.seq), type: row.type, data: row.payload, at: isoInstant(row.created_at) }) as StreamEvent);
  // Streams before the first one cut short got everything they had.
  const complete = rows.length > limit ? Number(rows[limit].ord) : positions.length;
  return { events, complete };
}

/** The last sequence of each stream (0 for a stream with no events yet). */
export async function streamHeads(em: EntityManager, streams: string[]): Promise<Record<string, number>> {
  const heads: Record<string, number> = Object.fromEntries(streams.map((s) => [s, 0]));
  if (streams.length === 0) return heads;
  const rows = await em.execute<{ stream: string; last_seq: string }[]>(`SELECT stream, last_seq FROM stream_heads WHERE stream = ANY(?::text[])`, [pgArray(streams)]);
  for (const row of rows) heads[row.stream] = Number(row.last_seq);
  return heads;
}
