import type { StreamEventEnvelope, SyncRequest, SyncResponse } from '../../../shared/realtime';
import type { StreamCursors } from './cursors';

/** Applies one event of a stream to a feature's state. */
export type StreamHandler = (envelope: StreamEventEnvelope) => void;

/** How StreamSync reaches the server: the socket's `sync` call and whether it is connected. */
export type SyncTransport = {
  sync: (request: SyncRequest) => Promise<SyncResponse>;
  connected: () => boolean;
};

export type StreamSyncOptions = {
  /** Streams the server refused to let us follow (no permission any more). */
  onRefused?: (stream: string) => void;
  /** A sync call failed; it is retried after `retryDelayMs` while connected. */
  onError?: (error: unknown) => void;
  retryDelayMs?: number;
};

/**
 * Applies each stream's events exactly once and in order: live events at or below the
 * cursor are duplicates and dropped, a live event past a gap triggers a `sync` for that
 * stream (whose answer fills the gap and includes the event), and (re)connecting syncs
 * every followed stream from its cursor. Transport-agnostic so every feed reuses it.
 */
export class StreamSync {
  private readonly handlers = new Map<string, Set<StreamHandler>>();
  private readonly inFlight = new Set<string>();
  private readonly again = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly cursors: StreamCursors,
    private readonly transport: SyncTransport,
    private readonly options: StreamSyncOptions = {},
  ) {}

  /** Follows a stream; the first follower of a stream triggers its sync. Returns the unfollow. */
  follow(stream: string, handler: StreamHandler): () => void {
    let set = this.handlers.get(stream);
    const isNew = !set;
    if (!set) this.handlers.set(stream, (set = new Set()));
    set.add(handler);
    if (isNew) this.requestSync([stream]);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(stream) === set) this.handlers.delete(stream);
    };
  }

  /** Every stream someone follows. */
  streams(): string[] {
    return [...this.handlers.keys()];
  }

  /** A live event from the server. */
  receive(envelope: StreamEventEnvelope): void {
    if (!this.handlers.has(envelope.stream)) return;
    const last = this.cursors.get(envelope.stream);
    if (envelope.seq <= last) return;
    if (envelope.seq === last + 1) this.apply(envelope);
    else this.requestSync([envelope.stream]);
  }

  /** Asks the server for what came after each cursor (all followed streams by default). */
  requestSync(streams: string[] = this.streams()): void {
    if (!this.transport.connected()) return; // the next connect syncs everything
    const now: string[] = [];
    for (const stream of streams) {
      if (!this.handlers.has(stream)) continue;
      if (this.inFlight.has(stream)) this.again.add(stream);
      else now.push(stream);
    }
    if (now.length) void this.run(now);
  }

  /** Stops pending retries (the connection is closing). */
  dispose(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async run(streams: string[]): Promise<void> {
    for (const stream of streams) this.inFlight.add(stream);
    let pending = streams;
    try {
      while (pending.length) {
        const response = await this.transport.sync({ streams: Object.fromEntries(pending.map((s) => [s, this.cursors.get(s)])) });
        for (const envelope of response.events) this.fromSync(envelope);
        for (const stream of response.refused) this.options.onRefused?.(stream);
        // The server pages long backlogs; keep asking from the new cursor.
        pending = response.more.filter((s) => pending.includes(s));
      }
    } catch (error) {
      this.options.onError?.(error);
      for (const stream of streams) this.again.add(stream);
      this.scheduleRetry();
      return;
    } finally {
      for (const stream of streams) this.inFlight.delete(stream);
    }
    const repeat = streams.filter((s) => this.again.delete(s));
    if (repeat.length) this.requestSync(repeat);
  }

  private fromSync(envelope: StreamEventEnvelope): void {
    const last = this.cursors.get(envelope.stream);
    if (envelope.seq <= last || !this.handlers.has(envelope.stream)) return;
    if (envelope.seq === last + 1) this.apply(envelope);
    // A hole inside a sync answer means the log is not gap-free; ask once more rather than skip.
    else this.again.add(envelope.stream);
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const streams = [...this.again].filter((s) => !this.inFlight.has(s));
      for (const stream of streams) this.again.delete(stream);
      this.requestSync(streams);
    }, this.options.retryDelayMs ?? 2000);
  }

  private apply(envelope: StreamEventEnvelope): void {
    // The cursor moves first: a handler that throws must not make the stream replay forever.
    this.cursors.set(envelope.stream, envelope.seq);
    for (const handler of [...(this.handlers.get(envelope.stream) ?? [])]) {
      try {
        handler(envelope);
      } catch (error) {
        console.error('stream handler failed', envelope.stream, envelope.type, error);
      }
    }
  }
}
