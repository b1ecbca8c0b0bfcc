import { io, type Socket } from 'socket.io-client';
import { randomUUID } from 'node:crypto';
import type { MessageDTO } from '../../shared/chat.js';
import type { ClientToServerEvents, ServerToClientEvents, StreamEventEnvelope, SyncResponse } from '../../shared/realtime.js';
import { StreamCursor } from '../../shared/streamCursor.js';
import { withDeadline } from '../../shared/deadline.js';
import { documentFromPlainText } from '../../shared/richText/index.js';

/**
 * A chat device as the web client behaves: follows streams with a StreamCursor, syncs on every
 * (re)connect and on gaps, and retries unacknowledged sends with the same client id.
 */
export class ChatDevice {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly cursor: StreamCursor;
  /** Messages applied per conversation, in the order they were applied. */
  readonly messages = new Map<string, MessageDTO[]>();
  readonly applied: StreamEventEnvelope[] = [];
  private syncing: Promise<void> | undefined;

  constructor(url: string, token: string, readonly userId: string, conversations: { id: string; seq?: number }[] = []) {
    this.cursor = new StreamCursor((event) => this.onApply(event));
    this.cursor.follow(`user:${userId}`, 0);
    for (const c of conversations) this.cursor.follow(`conversation:${c.id}`, c.seq ?? 0);
    this.socket = io(url, { transports: ['websocket'], auth: { token }, reconnectionDelay: 50, reconnectionDelayMax: 300, forceNew: true, autoConnect: false });
    this.socket.on('event', (event) => {
      if (this.cursor.receive(event)) void this.sync();
    });
    // A sync that was waiting when the connection dropped may never be answered: start afresh.
    this.socket.on('connect', () => {
      this.syncing = undefined;
      void this.sync();
    });
  }

  private onApply(event: StreamEventEnvelope) {
    this.applied.push(event);
    if (event.type === 'message.created') {
      const { message } = event.data;
      const list = this.messages.get(message.conversationId) ?? [];
      list.push(message);
      this.messages.set(message.conversationId, list);
    }
    if (event.type === 'conversation.joined') {
      const { conversation } = event.data;
      this.cursor.follow(`conversation:${conversation.id}`, 0);
      void this.sync();
    }
  }

  /** Connects and resolves once connected. */
  async connect() {
    if (this.socket.connected) return;
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
      this.socket.connect();
    });
  }

  /** Asks for everything after the cursor's positions until no stream has more. */
  sync(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        for (let round = 0; round < 100 && this.socket.connected; round++) {
          const ack = await withDeadline(this.socket.emitWithAck('sync', { streams: this.cursor.positions() }) as Promise<{ ok: boolean; data: SyncResponse }>, 5000);
          if (!ack.ok) return;
          for (const event of ack.data.events) this.cursor.receive(event);
          if (ack.data.more.length === 0) return;
        }
      } catch {
        /* disconnected mid-sync: the next connect syncs again */
      } finally {
        this.syncing = undefined;
      }
    })();
    return this.syncing;
  }

  /**
   * Sends a text message, retrying with the same client id until acknowledged or the deadline
   * passes. The deadline is generous: a server restarted under a loaded machine may take many
   * seconds to listen again, and that wait is not the failure under test.
   */
  async send(conversationId: string, text: string, clientId = randomUUID(), deadlineMs = 60_000): Promise<MessageDTO> {
    const deadline = Date.now() + deadlineMs;
    while (Date.now() < deadline) {
      if (this.socket.connected) {
        try {
          const ack = (await withDeadline(this.socket.emitWithAck('message:send', { conversationId, clientId, body: documentFromPlainText(text) as unknown as Record<string, unknown> }), 3000)) as any;
          if (ack.ok) return ack.data.message;
          if (ack.error.code !== 'unavailable' && ack.error.code !== 'rate_limited') throw new Error(`send refused: ${ack.error.code} ${ack.error.message}`);
        } catch (error) {
          if ((error as Error).message.startsWith('send refused')) throw error;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`send never acknowledged (socket connected: ${this.socket.connected}, reconnecting: ${this.socket.active})`);
  }

  /** Texts of the applied messages of a conversation, in order. */
  texts(conversationId: string): string[] {
    return (this.messages.get(conversationId) ?? []).map((m) => m.text);
  }

  close() {
    this.socket.close();
  }
}
