/**
 * Tells the other members that this user is typing, throttled: one `typing: true` every few
 * seconds while keys are pressed, and `typing: false` after a pause or when the message is sent.
 */
import type { RealtimeClient } from '../../realtime';

const REPEAT_MS = 3000;
const IDLE_MS = 4000;

/** Throttled `conversation:typing` emitter, one per tab. */
export class TypingNotifier {
  private readonly lastSent = new Map<string, number>();
  private readonly idleTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly client: RealtimeClient) {}

  /** The user changed the draft of a conversation. */
  typed(conversationId: string): void {
    const now = Date.now();
    if (now - (this.lastSent.get(conversationId) ?? 0) >= REPEAT_MS) {
      this.lastSent.set(conversationId, now);
      this.emit(conversationId, true);
    }
    clearTimeout(this.idleTimers.get(conversationId));
    this.idleTimers.set(conversationId, setTimeout(() => this.stop(conversationId), IDLE_MS));
  }

  /** The user sent, cleared the draft or left the conversation. */
  stop(conversationId: string): void {
    clearTimeout(this.idleTimers.get(conversationId));
    this.idleTimers.delete(conversationId);
    if (!this.lastSent.delete(conversationId)) return;
    this.emit(conversationId, false);
  }

  /** Cancels the timers (sign-out). */
  dispose(): void {
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
  }

  private emit(conversationId: string, typing: boolean): void {
    // Typing is best effort: offline, it is simply not shown.
    if (this.client.isConnected()) this.client.emit('conversation:typing', { conversationId, typing }).catch(() => undefined);
  }
}
