import type { StreamKind } from '../../shared/realtime.js';
import type { User } from '../entities/User.js';
import { followableStreams } from '../policies/streams.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { HuitongIO } from './server.js';

/**
 * Whose stream rooms to check again after a change of who may see a stream. (Stand-in until the
 * `live` branch's StreamAccess lands on main: the same scope, this process only.)
 */
export type AccessScope = { users: string[] } | { streams: string[] } | { kinds: StreamKind[] };

/** Re-checks this process's sockets in scope against the stream policies; they leave the rooms refused. */
export async function recheckLocalAccess(io: HuitongIO, orm: MikroORM, loadUser: (em: ReturnType<MikroORM['em']['fork']>, id: string) => Promise<User | null>, scopes: AccessScope[]) {
  const local = io.of('/');
  const asked = new Map<string, Set<string>>();
  const add = (socketId: string, room: string) => {
    if (!/^[a-z]+:\d+$/.test(room) || room.startsWith('session:')) return;
    let rooms = asked.get(socketId);
    if (!rooms) asked.set(socketId, (rooms = new Set()));
    rooms.add(room);
  };
  for (const scope of scopes) {
    for (const socket of local.sockets.values()) {
      for (const room of socket.rooms) {
        if ('users' in scope && scope.users.includes(socket.data.userId)) add(socket.id, room);
        if ('streams' in scope && scope.streams.includes(room)) add(socket.id, room);
        if ('kinds' in scope && (scope.kinds as string[]).includes(room.slice(0, room.indexOf(':')))) add(socket.id, room);
      }
    }
  }
  for (const [socketId, rooms] of asked) {
    const socket = local.sockets.get(socketId);
    if (!socket) continue;
    const em = orm.em.fork();
    const user = await loadUser(em, socket.data.userId);
    const allowed = user?.active ? await followableStreams(em, user, [...rooms]) : new Set<string>();
    for (const room of rooms) if (!allowed.has(room)) socket.leave(room);
  }
}
