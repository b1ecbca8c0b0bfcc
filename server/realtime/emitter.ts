import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, StreamEventEnvelope } from '../../shared/realtime.js';
import type { AccessScope } from './streamAccess.js';

type SessionEndReason = 'deactivated' | 'password_changed' | 'logout';
/** Events between the server processes of a cluster (REALTIME_ADAPTER=postgres). */
export type InterServerEvents = { endRoom: (room: string, reason: SessionEndReason) => void };
type IO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;

/**
 * Pushes committed changes to the rooms that may see them. A stream's room has the stream's
 * name, and sockets join it only after a policy check. Call it after the transaction commits.
 */
export class RealtimeEmitter {
  private io?: IO;
  private clustered = false;
  private readonly userEndedListeners: ((userId: string) => void)[] = [];
  private accessCheck?: (scopes: AccessScope[]) => Promise<void>;

  /** How this process re-checks its sockets' rooms against the stream policies. */
  useAccessCheck(check: (scopes: AccessScope[]) => Promise<void>) {
    this.accessCheck = check;
  }

  /** The sockets in scope check the stream rooms they joined and leave those their user may no longer follow. */
  async recheckAccess(scopes: AccessScope[]): Promise<void> {
    if (scopes.length && this.accessCheck) await this.accessCheck(scopes);
  }

  attach(io: IO, options: { clustered: boolean }) {
    this.io = io;
    this.clustered = options.clustered;
    if (this.clustered) io.on('endRoom', (room, reason) => this.endLocalRoom(room, reason));
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
  endUserSockets(userId: string, reason: SessionEndReason) {
    for (const listener of this.userEndedListeners) listener(userId);
    this.endRoom(`user:${userId}`, reason);
  }

  /** Tells the sockets of one session that it ended, then closes them. */
  endSessionSockets(sessionId: string, reason: SessionEndReason) {
    this.endRoom(`session:${sessionId}`, reason);
  }

  /**
   * Each process tells its own sockets and then closes them. A cluster-wide emit followed by a
   * cluster-wide disconnect would travel as two notifications that may arrive in either order,
   * and a socket closed first never learns why.
   */
  private endRoom(room: string, reason: SessionEndReason) {
    if (!this.io) return;
    this.endLocalRoom(room, reason);
    if (this.clustered) this.io.serverSideEmit('endRoom', room, reason);
  }

  private endLocalRoom(room: string, reason: SessionEndReason) {
    if (!this.io) return;
    this.io.local.to(room).emit('session:ended', { reason });
    this.io.local.in(room).disconnectSockets(true);
  }
}
