import type { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { ClientToServerEvents, ServerToClientEvents, SessionEndReason, StreamEventEnvelope } from '../../shared/realtime.js';
import type { AccessScope, InterServerEvents } from './socketTypes.js';

export type { InterServerEvents };

type IO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents>;
type AccessCheck = (scopes: AccessScope[]) => Promise<number>;

/**
 * Pushes committed changes to the rooms that may see them. A stream's room has the stream's
 * name, and sockets join it only after a policy check. Call it after the transaction commits.
 */
export class RealtimeEmitter {
  private io?: IO;
  private clustered = false;
  private logger?: Logger;
  private accessCheck?: AccessCheck;
  private readonly userEndedListeners: ((userId: string) => void)[] = [];

  attach(io: IO, options: { clustered: boolean; logger?: Logger }) {
    this.io = io;
    this.clustered = options.clustered;
    this.logger = options.logger;
    if (!this.clustered) return;
    io.on('endRoom', (room, reason) => {
      const userId = /^user:(\d+)$/.exec(room)?.[1];
      if (userId) for (const listener of this.userEndedListeners) listener(userId);
      this.endLocalRoom(room, reason);
    });
    io.on('recheckAccess', (scopes, done) => {
      // Always answer: the process that asked waits for every other one.
      this.recheckLocal(scopes).then(done, () => done(0));
    });
  }

  /** How this process re-checks its sockets' rooms against the stream policies (realtime/streamAccess.ts). */
  useAccessCheck(check: AccessCheck) {
    this.accessCheck = check;
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

  /** Tells the connected recipients of an announcement just published (one broadcast to all their rooms; ephemeral, like typing). */
  announcementPublished(userIds: string[], payload: Parameters<ServerToClientEvents['announcement:published']>[0]) {
    if (userIds.length) this.io?.to(userIds.map((id) => `user:${id}`)).emit('announcement:published', payload);
  }

  /**
   * The sockets in scope, in every process, check the stream rooms they joined against the stream
   * policies and leave those their user may no longer follow. Resolves once every process has done
   * so (the command's own events, and its answer, come after), or after the cluster's request
   * timeout (5 s) when a process does not answer.
   */
  async recheckAccess(scopes: AccessScope[]): Promise<void> {
    if (!this.io || scopes.length === 0) return;
    const others = this.clustered
      ? this.io.serverSideEmitWithAck('recheckAccess', scopes).catch((error: unknown) => this.logger?.warn({ err: error }, 'stream access re-check: a server process did not answer'))
      : undefined;
    await Promise.all([this.recheckLocal(scopes), others]);
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

  private async recheckLocal(scopes: AccessScope[]): Promise<number> {
    if (!this.accessCheck) return 0;
    try {
      return await this.accessCheck(scopes);
    } catch (error) {
      this.logger?.warn({ err: error }, 'stream access re-check failed');
      return 0;
    }
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
