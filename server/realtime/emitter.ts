import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, StreamEventEnvelope } from '../../shared/realtime.js';

type IO = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * Pushes committed changes to the rooms that may see them. A stream's room has the stream's
 * name, and sockets join it only after a policy check. Call it after the transaction commits.
 */
export class RealtimeEmitter {
  private io?: IO;
  private readonly userEndedListeners: ((userId: string) => void)[] = [];

  attach(io: IO) {
    this.io = io;
  }

  /** Sends each envelope to the room of its stream. */
  publish(envelopes: StreamEventEnvelope[]) {
    if (!this.io) return;
    for (const envelope of envelopes) this.io.to(envelope.stream).emit('event', envelope);
  }

  /** True when the user has a connected device (any socket in their room). */
  async isOnline(userId: string): Promise<boolean> {
    if (!this.io) return false;
    return (await this.io.in(`user:${userId}`).fetchSockets()).length > 0;
  }

  /** Tells every socket of a user how far their customer import got (ephemeral, like typing). */
  importProgress(userId: string, payload: { importId: string; done: number; total: number }) {
    this.io?.to(`user:${userId}`).emit('import:progress', payload);
  }

  /** Makes every socket of the user leave a room they may no longer follow (e.g. removed from a group). */
  leaveRoom(userId: string, room: string) {
    this.io?.in(`user:${userId}`).socketsLeave(room);
  }

  /** Calls `listener` whenever a user's sessions end (deactivation, password change), e.g. to drop what is cached about them. */
  onUserEnded(listener: (userId: string) => void) {
    this.userEndedListeners.push(listener);
  }

  /** Tells every socket of a user that its session ended, then closes them. */
  endUserSockets(userId: string, reason: 'deactivated' | 'password_changed' | 'logout') {
    for (const listener of this.userEndedListeners) listener(userId);
    this.endRoom(`user:${userId}`, reason);
  }

  /** Tells the sockets of one session that it ended, then closes them. */
  endSessionSockets(sessionId: string, reason: 'deactivated' | 'password_changed' | 'logout') {
    this.endRoom(`session:${sessionId}`, reason);
  }

  private endRoom(room: string, reason: 'deactivated' | 'password_changed' | 'logout') {
    if (!this.io) return;
    this.io.to(room).emit('session:ended', { reason });
    this.io.in(room).disconnectSockets(true);
  }
}
