import type { StreamEventEnvelope } from './realtime.js';

/**
 * The client side of "realtime without loss": remembers the last sequence applied per stream,
 * applies each event exactly once and in order, holds back events that arrive after a gap
 * until `sync` fills it, and says which streams need a sync.
 */
export class StreamCursor {
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<string, Map<number, StreamEventEnvelope>>();

  constructor(private readonly apply: (event: StreamEventEnvelope) => void) {}

  /** Starts following a stream from a known sequence (0 = from the beginning). */
  follow(stream: string, fromSeq = 0) {
    if (!this.last.has(stream)) this.last.set(stream, fromSeq);
  }

  /** Stops following a stream (e.g. after leaving a conversation). */
  unfollow(stream: string) {
    this.last.delete(stream);
    this.pending.delete(stream);
  }

  /** The `streams` argument of a `sync` request: last applied seq per followed stream. */
  positions(): Record<string, number> {
    return Object.fromEntries(this.last);
  }

  /** Last applied seq of one stream (undefined when not followed). */
  position(stream: string): number | undefined {
    return this.last.get(stream);
  }

  /** Takes an event (live or from sync); returns true when a gap was seen and a sync is needed. */
  receive(event: StreamEventEnvelope): boolean {
    const last = this.last.get(event.stream);
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
      this.last.set(next.stream, next.seq);
      this.apply(next);
      const held = this.pending.get(next.stream);
      const following: StreamEventEnvelope | undefined = held?.get(next.seq + 1);
      held?.delete(next.seq + 1);
      next = following;
    }
  }
}
