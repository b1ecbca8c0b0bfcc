/**
 * Sends pending messages one at a time over the socket, in the order they were written, and
 * retries with the same client id until the server acknowledges (so a retry never duplicates).
 */
import type { MessageDTO } from '../../../../shared/chat';
import type { FileDTO } from '../../../../shared/files';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { ApiError } from '../../api/http';
import type { RealtimeClient } from '../../realtime';
import type { OutboxStore, PendingMessage } from './outbox';

/** Failures worth retrying: the message may not have arrived, or the server was briefly unable. */
const RETRYABLE = new Set(['unavailable', 'rate_limited', 'timeout', 'network', 'conflict']);
const MAX_RETRY_DELAY_MS = 10_000;

/** A random client id; crypto.randomUUID only exists on secure origins, plain-http LAN deployments lack it. */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The outbox's delivery loop; see the module comment. */
export class MessageSender {
  private items: PendingMessage[];
  /** Bumped on every reconnect: a loop still waiting on the old connection gives way to a new one. */
  private epoch = 0;
  private running = false;
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: RealtimeClient,
    private readonly store: OutboxStore,
    private readonly onChange: (items: PendingMessage[]) => void,
    private readonly onSent: (message: MessageDTO) => void,
  ) {
    this.items = store.load().map((p) => ({ ...p, status: 'sending', error: null }));
  }

  /** The pending messages, oldest first. */
  pending(): PendingMessage[] {
    return this.items;
  }

  /** Queues a new message and starts sending it; returns its client id. */
  enqueue(conversationId: string, body: RichTextDocument, replyTo: MessageDTO['replyTo'], attachments: FileDTO[] = []): string {
    const clientId = newClientId();
    this.update([...this.items, { clientId, conversationId, body, replyTo, attachments, createdAt: new Date().toISOString(), status: 'sending', error: null }]);
    this.kick();
    return clientId;
  }

  /** The message arrived (acknowledged, or seen live from the stream): it is no longer pending. */
  confirm(clientId: string): void {
    if (this.items.some((p) => p.clientId === clientId)) this.update(this.items.filter((p) => p.clientId !== clientId));
  }

  /** Tries a refused message again. */
  retry(clientId: string): void {
    this.update(this.items.map((p) => (p.clientId === clientId ? { ...p, status: 'sending', error: null } : p)));
    this.kick();
  }

  /** Gives up on a message. */
  discard(clientId: string): void {
    this.confirm(clientId);
  }

  /** The socket (re)connected: resend whatever is pending, without waiting for acks lost with the old connection. */
  connected(): void {
    this.epoch++;
    this.running = false;
    this.retries = 0;
    clearTimeout(this.retryTimer);
    this.kick();
  }

  /** Stops retrying (the page is closing or the user signed out). */
  dispose(): void {
    this.epoch++;
    clearTimeout(this.retryTimer);
  }

  private kick(): void {
    if (!this.running) void this.pump(this.epoch);
  }

  private async pump(epoch: number): Promise<void> {
    this.running = true;
    try {
      while (epoch === this.epoch && this.client.isConnected()) {
        const next = this.items.find((p) => p.status === 'sending');
        if (!next) return;
        try {
          const { message } = await this.client.emit('message:send', { conversationId: next.conversationId, clientId: next.clientId, body: next.body as unknown as Record<string, unknown>, replyToId: next.replyTo?.id ?? null, ...(next.attachments?.length ? { attachmentIds: next.attachments.map((f) => f.id) } : {}) });
          this.retries = 0;
          this.confirm(next.clientId);
          this.onSent(message);
        } catch (error) {
          const code = error instanceof ApiError ? error.code : 'network';
          if (RETRYABLE.has(code)) {
            // While connected, back off; a reconnect starts over at once anyway.
            if (epoch === this.epoch) this.scheduleRetry();
            return;
          }
          this.update(this.items.map((p) => (p.clientId === next.clientId ? { ...p, status: 'failed', error: { code, message: (error as Error).message } } : p)));
        }
      }
    } finally {
      if (epoch === this.epoch) this.running = false;
    }
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    const delay = Math.min(MAX_RETRY_DELAY_MS, 500 * 2 ** this.retries++);
    this.retryTimer = setTimeout(() => this.kick(), delay);
  }

  private update(items: PendingMessage[]): void {
    this.items = items;
    this.store.save(items);
    this.onChange(items);
  }
}
