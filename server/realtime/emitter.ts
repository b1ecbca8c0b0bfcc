import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, StreamEventEnvelope, StreamKind } from '../../shared/realtime.js';

/** Whose stream rooms to check again: those users' sockets, every socket in those streams' rooms, or every socket's rooms of those kinds. */
export type AccessScope = { users: string[] } | { streams: string[] } | { kinds: StreamKind[] };
/** Of the streams given, those the user may still follow (the stream policies). */
export type AccessCheck = (userId: string, streams: string[]) => Promise<Set<string>>;

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
  private accessCheck?: AccessCheck;
  private logError: (error: unknown) => void = () => {};

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

  /** How recheckAccess asks the stream policies (set where the policies and the database are at hand). */
  setAccessCheck(check: AccessCheck, logError: (error: unknown) => void) {
    this.accessCheck = check;
    this.logError = logError;
  }

  /**
   * The sockets in scope, in every process of a cluster, leave the stream rooms they may no longer
   * follow: one policy check per user for all their rooms concerned. Runs after the commit; a
   * failure is logged (the socket then keeps the room until it reconnects, when sync asks again).
   */
  recheckAccess(scope: AccessScope) {
    if (!this.io || !this.accessCheck) return;
    const io = this.io;
    const check = this.accessCheck;
    void (async () => {
      const target = 'users' in scope ? scope.users.map((u) => `user:${u}`) : 'streams' in scope ? scope.streams : null;
      const sockets = target === null ? await io.fetchSockets() : target.length ? await io.in(target).fetchSockets() : [];
      const streamsOf = (rooms: Set<string>) =>
        [...rooms].filter((room) => {
          const kind = room.slice(0, room.indexOf(':'));
          if (kind === 'user' || kind === 'session' || room.indexOf(':') < 0) return false;
          if ('streams' in scope) return scope.streams.includes(room);
          if ('kinds' in scope) return (scope.kinds as string[]).includes(kind);
          return true;
        });
      const byUser = new Map<string, Set<string>>();
      for (const socket of sockets) {
        const userId = (socket.data as { userId?: string }).userId;
        if (!userId) continue;
        const rooms = byUser.get(userId) ?? new Set<string>();
        for (const room of streamsOf(socket.rooms)) rooms.add(room);
        byUser.set(userId, rooms);
      }
      for (const [userId, rooms] of byUser) {
        if (!rooms.size) continue;
        const allowed = await check(userId, [...rooms]);
        for (const room of rooms) if (!allowed.has(room)) io.in(`user:${userId}`).socketsLeave(room);
      }
    })().catch((error) => this.logError(error));
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
