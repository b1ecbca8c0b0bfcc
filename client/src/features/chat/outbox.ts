/** Messages written but not yet acknowledged by the server, kept across reconnects and reloads. */
import type { MessageDTO } from '../../../../shared/chat';
import type { FileDTO } from '../../../../shared/files';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import type { KeyValueStorage } from '../../realtime';

export type PendingMessage = {
  /** The idempotency key: every retry of this message carries it. */
  clientId: string;
  conversationId: string;
  body: RichTextDocument;
  replyTo: MessageDTO['replyTo'];
  /** Files already uploaded, sent by id with the message. */
  attachments?: FileDTO[];
  createdAt: string;
  /** `failed`: the server refused it for good (e.g. no longer a member); the user retries or discards. */
  status: 'sending' | 'failed';
  error: { code: string; message: string } | null;
};

/** A stored list of pending messages per user (memory only when storage is unavailable). */
export class OutboxStore {
  constructor(
    private readonly storage: KeyValueStorage | undefined,
    private readonly key: string,
  ) {}

  /** What was pending when the page last closed; refusals are retried once more after a reload. */
  load(): PendingMessage[] {
    if (!this.storage) return [];
    try {
      const saved = JSON.parse(this.storage.getItem(this.key) ?? '[]') as unknown;
      if (!Array.isArray(saved)) return [];
      return saved.filter(isPending);
    } catch {
      this.storage.removeItem(this.key);
      return [];
    }
  }

  /** Replaces the stored list. */
  save(items: PendingMessage[]): void {
    if (!this.storage) return;
    try {
      if (items.length) this.storage.setItem(this.key, JSON.stringify(items));
      else this.storage.removeItem(this.key);
    } catch {
      /* a full storage keeps them in memory only */
    }
  }
}

function isPending(value: unknown): value is PendingMessage {
  const v = value as PendingMessage;
  return !!v && typeof v.clientId === 'string' && typeof v.conversationId === 'string' && typeof v.body === 'object' && v.body !== null && typeof v.createdAt === 'string';
}
