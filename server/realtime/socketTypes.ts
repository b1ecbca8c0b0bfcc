// The socket layer's types, apart from the modules that use them: the command context, the emitter,
// the access re-check and the Socket.IO server all need them, and the server needs the command context.
import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SessionEndReason, StreamKind } from '../../shared/realtime.js';

/**
 * Whose stream rooms to check again after a change of who may see a stream:
 * - `users`: every socket of those users, every stream they follow (a role, a department, a membership);
 * - `streams`: every socket in those streams' rooms, those streams (a customer's owners, a board's members);
 * - `kinds`: every socket, its streams of those kinds (a setting such as the customers' visibility).
 */
export type AccessScope = { users: string[] } | { streams: string[] } | { kinds: StreamKind[] };

/** Events between the server processes of a cluster (REALTIME_ADAPTER=postgres). */
export type InterServerEvents = {
  endRoom: (room: string, reason: SessionEndReason) => void;
  /** Re-check the access of this process's sockets in scope; answers how many rooms they left. */
  recheckAccess: (scopes: AccessScope[], done: (left: number) => void) => void;
};
/**
 * What a socket knows from its handshake: whose it is, its session and that session's end (ms since
 * the epoch), and the client's address as the HTTP side reads it (X-Forwarded-For only behind a
 * trusted proxy), which the audit log records for commands the socket runs.
 */
export type SocketData = { userId: string; sessionId: string; expiresAt: number; address: string };
export type HuitongSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type HuitongIO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
