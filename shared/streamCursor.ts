import type { StreamEventEnvelope } from './realtime.js';

/** Where a StreamCursor keeps the last applied seq per stream (a Map, or storage that survives a reload). */
export interface StreamPositions {
  get(stream: string): number | undefined;
  set(stream: string, seq: number): void;
}

/** Positions held in memory only. */
export function memoryPositions(): StreamPositions {
  const map = new Map<string, number>();
  return { get: (stream) => map.get(stream), set: (stream, seq) => void map.set(stream, seq) };
}

/**
 * The client side of "realtime without loss": remembers the last sequence applied per stream,
 * applies each event exactly once and in order, holds back events that arrive after a gap
 * until `sync` fills it, and says which streams need a sync. The web client (StreamSync) and
 * the test devices both build on it.
 */
export class StreamCursor {
  private readonly followed = new Set<string>();
  private readonly pending = new Map<string, Map<number, StreamEventEnvelope>>();

  constructor(
    private readonly apply: (event: StreamEventEnvelope) => void,
    private readonly positionsStore: StreamPositions = memoryPositions(),
  ) {}

  /**
   * Starts following a stream. `fromSeq` is where a snapshot the caller holds ends (0 = from the
   * beginning); without it the stored position is kept (e.g. one saved before a page reload).
   * Following a stream already followed changes nothing.
   */
  follow(stream: string, fromSeq?: number) {
    if (this.followed.has(stream)) return;
    this.followed.add(stream);
    if (fromSeq !== undefined || this.positionsStore.get(stream) === undefined) this.positionsStore.set(stream, fromSeq ?? 0);
  }

  /** Stops following a stream (e.g. after leaving a conversation); its stored position stays. */
  unfollow(stream: string) {
    this.followed.delete(stream);
    this.pending.delete(stream);
  }

  /** True while the stream is followed. */
  follows(stream: string): boolean {
    return this.followed.has(stream);
  }

  /** The `streams` argument of a `sync` request: last applied seq per followed stream. */
  positions(streams: Iterable<string> = this.followed): Record<string, number> {
    const result: Record<string, number> = {};
    for (const stream of streams) if (this.followed.has(stream)) result[stream] = this.positionsStore.get(stream) ?? 0;
    return result;
  }

  /** Last applied seq of one stream (undefined when not followed). */
  position(stream: string): number | undefined {
    return this.followed.has(stream) ? (this.positionsStore.get(stream) ?? 0) : undefined;
  }

  /** Takes an event (live or from sync); returns true when a gap was seen and a sync is needed. */
  receive(event: StreamEventEnvelope): boolean {
    const last = this.position(event.stream);
    if (last === undefined || event.seq <= last) return false;
    if (event.seq > last + 1) {
      let held = this.pending.get(event.stream);
      if (!held) this.pending.set(event.stream, (held = new Map()));
      held.set(event.seq, event);
      return true;
    }
    this.applyInOrder(event);
    return false;
  }

  private applyInOrder(event: StreamEventEnvelope) {
    let next: StreamEventEnvelope | undefined = event;
    while (next) {
      // The position moves first: an apply that throws must not make the stream replay forever.
      this.positionsStore.set(next.stream, next.seq);
      this.apply(next);
      const held = this.pending.get(next.stream);
      const following: StreamEventEnvelope | undefined = held?.get(next.seq + 1);
      held?.delete(next.seq + 1);
      // Held events at or below the new position are duplicates; drop them so the map cannot grow.
      if (held) for (const seq of held.keys()) if (seq <= next.seq) held.delete(seq);
      next = following;
    }
  }
}
