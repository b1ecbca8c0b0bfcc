import type { StreamEvent, StreamEventEnvelope, StreamKind, StreamName, SyncRequest, SyncResponse } from '../../../shared/realtime';
import { StreamCursor } from '../../../shared/streamCursor';
import type { StreamCursors } from './cursors';

/** Applies one event of a stream (of kind K: its events only, payloads typed) to a feature's state. */
export type StreamHandler<K extends StreamKind = StreamKind> = (envelope: StreamEvent<K>) => void;

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

/** Streams per `sync` request: the server takes at most 500, and smaller answers arrive sooner. */
const SYNC_BATCH = 200;

/**
 * Applies each stream's events exactly once and in order with the shared StreamCursor: live
 * events at or below the cursor are duplicates and dropped, a live event past a gap is held
 * back and triggers a `sync` for that stream (whose answer fills the gap), and (re)connecting
 * syncs every followed stream from its cursor. Transport-agnostic so every feed reuses it.
 */
export class StreamSync {
  private readonly handlers = new Map<string, Set<StreamHandler>>();
  private readonly cursor: StreamCursor;
  private readonly inFlight = new Set<string>();
  private readonly again = new Set<string>();
  /** Streams followed in this tick: synced together in one request rather than one each. */
  private readonly newlyFollowed = new Set<string>();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly cursors: StreamCursors,
    private readonly transport: SyncTransport,
    private readonly options: StreamSyncOptions = {},
  ) {
    this.cursor = new StreamCursor((envelope) => this.dispatch(envelope), {
      get: (stream) => (cursors.has(stream) ? cursors.get(stream) : undefined),
      set: (stream, seq) => cursors.set(stream, seq),
    });
  }

  /**
   * Follows a stream; the first follower of a stream triggers its sync (streams followed in
   * the same tick share one request). `fromSeq` (first
   * follower only) is where the caller's snapshot of the stream ends, e.g. a ConversationDTO's
   * `seq`; without it the saved cursor is used. Later followers share the stream's position, so
   * their handlers must tolerate events their own snapshot already holds. Returns the unfollow.
   */
  follow<K extends StreamKind>(stream: StreamName<K>, typedHandler: StreamHandler<K>, options: { fromSeq?: number } = {}): () => void {
    // The stream's name decides its kind, and the server appends only that kind's events to it.
    const handler = typedHandler as StreamHandler;
    let set = this.handlers.get(stream);
    const isNew = !set;
    if (!set) {
      this.handlers.set(stream, (set = new Set()));
      this.cursor.follow(stream, options.fromSeq);
    }
    set.add(handler);
    if (isNew) {
      if (this.newlyFollowed.size === 0) {
        queueMicrotask(() => {
          const streams = [...this.newlyFollowed];
          this.newlyFollowed.clear();
          this.requestSync(streams);
        });
      }
      this.newlyFollowed.add(stream);
    }
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(stream) === set) {
        this.handlers.delete(stream);
        this.cursor.unfollow(stream);
      }
    };
  }

  /** Every stream someone follows. */
  streams(): string[] {
    return [...this.handlers.keys()];
  }

  /** A live event from the server. */
  receive(envelope: StreamEventEnvelope): void {
    if (this.cursor.receive(envelope)) this.requestSync([envelope.stream]);
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
        const batch = pending.slice(0, SYNC_BATCH);
        const positions = this.cursor.positions(batch);
        if (Object.keys(positions).length === 0) {
          pending = pending.slice(batch.length); // all unfollowed meanwhile
          continue;
        }
        const response = await this.transport.sync({ streams: positions });
        for (const envelope of response.events) {
          // A hole inside a sync answer means the log is not gap-free; ask once more rather than skip.
          if (this.cursor.receive(envelope)) this.again.add(envelope.stream);
        }
        for (const stream of response.refused) this.options.onRefused?.(stream);
        // The server pages long backlogs; keep asking from the new cursor.
        const more = new Set(response.more);
        pending = [...batch.filter((s) => more.has(s)), ...pending.slice(batch.length)];
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

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const streams = [...this.again].filter((s) => !this.inFlight.has(s));
      for (const stream of streams) this.again.delete(stream);
      this.requestSync(streams);
    }, this.options.retryDelayMs ?? 2000);
  }

  private dispatch(envelope: StreamEventEnvelope): void {
    for (const handler of [...(this.handlers.get(envelope.stream) ?? [])]) {
      try {
        handler(envelope);
      } catch (error) {
        console.error('stream handler failed', envelope.stream, envelope.type, error);
      }
    }
  }
}
