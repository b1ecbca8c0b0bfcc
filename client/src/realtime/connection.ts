import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents, SessionEndReason, SyncRequest, SyncResponse } from '../../../shared/realtime';
import { withDeadline } from '../../../shared/deadline';
import { ApiError } from '../api/http';
import { StreamCursors, type KeyValueStorage } from './cursors';
import { StreamSync, type StreamHandler } from './streamSync';
import type { StreamKind, StreamName } from '../../../shared/realtime';

/** What the connection indicator shows. `connecting` is the very first attempt only. */
export type ConnectionState = 'connecting' | 'online' | 'reconnecting' | 'offline';

/** Why the server ended the session (`expired` too when a reconnect finds it gone). */
export type { SessionEndReason };

type HuitongSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type RealtimeOptions = {
  userId: string;
  /** Server origin; the page's own origin when omitted. */
  url?: string;
  /** Bearer token for non-browser clients; browsers send the HttpOnly cookie instead. */
  token?: string;
  storage?: KeyValueStorage;
  onSessionEnded?: (reason: SessionEndReason) => void;
  /** A followed stream the server no longer lets this user see (e.g. removed from a conversation). */
  onStreamRefused?: (stream: string) => void;
  ackTimeoutMs?: number;
  /**
   * The server's database was restored from a backup since this client's stream positions were
   * taken: they are void. The saved positions are already dropped; the default reloads the page,
   * whose features load their snapshots afresh.
   */
  onRestored?: () => void;
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
};

const MAX_MANUAL_DELAY_MS = 10_000;

/**
 * One Socket.IO connection per signed-in tab: tracks the connection state, syncs every
 * followed stream on each (re)connect, and reconnects after a server restart too (a server
 * that shuts down disconnects sockets itself, which Socket.IO would not retry on its own).
 */
export class RealtimeClient {
  readonly streams: StreamSync;
  private readonly socket: HuitongSocket;
  private state: ConnectionState = 'connecting';
  private readonly listeners = new Set<(state: ConnectionState) => void>();
  private readonly refusedListeners = new Set<(stream: string) => void>();
  private sessionEnded = false;
  private closed = true;
  private everConnected = false;
  private manualAttempts = 0;
  private manualTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly ackTimeoutMs: number;
  private readonly cursorsKey: string;
  private readonly epochKey: string;
  /** The restore epoch our positions belong to (memory first: storage may be missing). */
  private epoch: string | undefined;
  private restored = false;

  constructor(private readonly options: RealtimeOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    const socketOptions: Partial<ManagerOptions & SocketOptions> = {
      path: '/socket.io',
      autoConnect: false,
      // Its own engine connection: a shared one could outlive a sign-out and carry the old session cookie.
      forceNew: true,
      withCredentials: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      auth: options.token ? { token: options.token } : {},
      ...options.socketOptions,
    };
    this.socket = (options.url ? io(options.url, socketOptions) : io(socketOptions)) as HuitongSocket;
    this.cursorsKey = `huitong.streamCursors.${options.userId}`;
    this.epochKey = `huitong.restoreEpoch.${options.userId}`;
    this.epoch = options.storage?.getItem(this.epochKey) ?? undefined;
    const cursors = new StreamCursors(options.storage, this.cursorsKey);
    this.streams = new StreamSync(cursors, { sync: (request) => this.sync(request), connected: () => this.socket.connected }, { onRefused: (stream) => this.streamRefused(stream) });
    this.wire();
  }

  /** Opens the connection (again, after close). */
  connect(): void {
    if (!this.closed) return;
    this.closed = false;
    this.sessionEnded = false;
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onBrowserOnline);
      window.addEventListener('offline', this.onBrowserOffline);
    }
    this.socket.connect();
  }

  /** Closes the connection for good (sign-out, unmount). */
  close(): void {
    this.closed = true;
    clearTimeout(this.manualTimer);
    this.streams.dispose();
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onBrowserOnline);
      window.removeEventListener('offline', this.onBrowserOffline);
    }
    this.socket.disconnect();
    this.setState('offline');
  }

  /** The current connection state. */
  getState(): ConnectionState {
    return this.state;
  }

  /** Calls the listener on every state change; returns the unsubscribe. */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls the listener for every followed stream the server refuses (no longer allowed); returns the unsubscribe. */
  onStreamRefused(listener: (stream: string) => void): () => void {
    this.refusedListeners.add(listener);
    return () => this.refusedListeners.delete(listener);
  }

  /** Follows a stream (`user:1`, `conversation:7`, ...); see StreamSync.follow. */
  follow<K extends StreamKind>(stream: StreamName<K>, handler: StreamHandler<K>, options?: { fromSeq?: number }): () => void {
    return this.streams.follow(stream, handler, options);
  }

  /** True while the socket is connected (acks can be awaited). */
  isConnected(): boolean {
    return this.socket.connected;
  }

  /** Listens to an ephemeral server event (not stored, not replayed, e.g. typing); returns the unsubscribe. */
  on<E extends Exclude<keyof ServerToClientEvents, 'event' | 'session:ended' | 'stream:revoked'>>(event: E, listener: ServerToClientEvents[E]): () => void {
    const socket = this.socket as unknown as { on: (e: string, l: unknown) => void; off: (e: string, l: unknown) => void };
    socket.on(event, listener);
    return () => socket.off(event, listener);
  }

  /** Emits a client event and resolves with its acknowledged data, or throws ApiError. */
  async emit<E extends keyof ClientToServerEvents>(event: E, payload: Parameters<ClientToServerEvents[E]>[0]): Promise<AckData<E>> {
    if (!this.socket.connected) throw new ApiError(0, 'network', 'Not connected');
    let ack: Ack<AckData<E>>;
    try {
      const emitter = this.socket.timeout(this.ackTimeoutMs) as unknown as { emitWithAck: (event: string, payload: unknown) => Promise<Ack<AckData<E>>> };
      // Socket.IO's timeout alone may never fire for an ack pending when the transport dropped.
      ack = await withDeadline(emitter.emitWithAck(event, payload), this.ackTimeoutMs + 500);
    } catch {
      throw new ApiError(0, 'timeout', `No answer to ${event}`);
    }
    if (!ack.ok) throw ApiError.fromBody(0, ack.error, 'Refused');
    return ack.data;
  }

  private streamRefused(stream: string): void {
    this.options.onStreamRefused?.(stream);
    for (const listener of [...this.refusedListeners]) listener(stream);
  }

  private async sync(request: SyncRequest): Promise<SyncResponse> {
    const response = await this.emit('sync', this.epoch ? { ...request, epoch: this.epoch } : request);
    if (response.reset) {
      if (!this.restored) {
        this.restored = true;
        this.options.storage?.removeItem(this.cursorsKey);
        if (response.epoch) this.options.storage?.setItem(this.epochKey, response.epoch);
        if (this.options.onRestored) this.options.onRestored();
        else if (typeof window !== 'undefined') window.location.reload();
      }
      return { events: [], more: [], refused: [] };
    }
    if (response.epoch && response.epoch !== this.epoch) {
      this.epoch = response.epoch;
      this.options.storage?.setItem(this.epochKey, response.epoch);
    }
    return response;
  }

  private setState(next: ConnectionState): void {
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  private endSession(reason: SessionEndReason): void {
    if (this.sessionEnded) return;
    this.sessionEnded = true;
    this.close();
    this.options.onSessionEnded?.(reason);
  }

  /** Retries a connection Socket.IO gave up on, with a growing, jittered delay. */
  private reconnectLater(): void {
    if (this.closed || this.sessionEnded) return;
    clearTimeout(this.manualTimer);
    const delay = Math.min(MAX_MANUAL_DELAY_MS, 500 * 2 ** this.manualAttempts++) * (0.75 + Math.random() / 2);
    this.manualTimer = setTimeout(() => {
      if (!this.closed && !this.socket.connected) this.socket.connect();
    }, delay);
  }

  private readonly onBrowserOffline = () => {
    this.setState('offline');
    // A WebSocket can linger half-open long after the network went away (until the ping
    // timeout), with acks never coming; dropping it now lets features queue their sends at
    // once. Socket.IO keeps retrying, and the browser's `online` event reconnects at once.
    if (!this.closed && this.socket.connected) this.socket.io.engine?.close();
  };

  private readonly onBrowserOnline = () => {
    if (this.closed) return;
    if (this.socket.connected) return this.setState('online');
    this.setState('reconnecting');
    this.manualAttempts = 0;
    this.socket.connect();
  };

  private wire(): void {
    this.socket.on('connect', () => {
      this.manualAttempts = 0;
      this.everConnected = true;
      this.setState('online');
      this.streams.requestSync();
    });
    this.socket.on('event', (envelope) => this.streams.receive(envelope));
    this.socket.on('session:ended', ({ reason }) => this.endSession(reason));
    // Access to these streams ended while we followed them: the same as `sync` refusing them.
    this.socket.on('stream:revoked', ({ streams }) => streams.forEach((stream) => this.streamRefused(stream)));
    this.socket.on('disconnect', (reason) => {
      if (this.closed || this.sessionEnded) return;
      this.setState(typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : 'reconnecting');
      // The server closed us (shutdown, or a revoked session we have not been told about):
      // Socket.IO does not retry that itself; a retry either reconnects or learns the session ended.
      if (reason === 'io server disconnect') this.reconnectLater();
    });
    this.socket.on('connect_error', (error) => {
      if (this.closed) return;
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code === 'unauthenticated') return this.endSession('expired');
      if (this.state !== 'offline') this.setState('reconnecting');
      // Refused by the server's middleware (not a transport failure): Socket.IO stops retrying.
      if (!this.socket.active) this.reconnectLater();
    });
  }
}

type AckData<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (response: Ack<infer T>) => void ? T : never;
