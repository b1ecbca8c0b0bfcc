import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { followableStreams, parseStream } from '../policies/streams.js';
import type { UserLoaders } from './userLoader.js';
import type { AccessScope, HuitongIO, HuitongSocket } from './socketTypes.js';

export type { AccessScope };


/** Users whose policies are asked at once; the rest wait, so a re-check of thousands cannot take the whole pool. */
const CONCURRENT_USERS = 4;

/**
 * Keeps the stream rooms of this process's sockets true to the stream policies (policies/streams.ts):
 * the policies are the truth and a room membership is a cache of their answer. After a change of a
 * policy's inputs commits, every process re-checks the rooms of the sockets in scope, one policy
 * query per kind of stream for all the rooms of one user (whatever their number of devices), and
 * those sockets leave the rooms their user may no longer follow and are told so (`stream:revoked`).
 */
export class StreamAccess {
  /** Counts the re-checks begun here: a join checked before one began is checked again (see `join`). */
  private epoch = 0;

  constructor(
    private readonly io: HuitongIO,
    private readonly deps: { orm: MikroORM; users: UserLoaders; logger: Logger; forgetUser: (userId: string) => void },
  ) {}

  /** A mark to take before a policy check whose answer will be used to join rooms. */
  mark(): number {
    return this.epoch;
  }

  /**
   * Joins the rooms of streams a policy check allowed. When a re-check began after `checkedAt`,
   * that check may predate the change (it ran on an older snapshot, or on a user read before a role
   * changed) and the re-check could not see rooms not joined yet: they are checked again now.
   * Returns the streams the socket follows in the end.
   */
  async join(socket: HuitongSocket, streams: string[], checkedAt: number): Promise<string[]> {
    await socket.join(streams);
    if (checkedAt === this.epoch || streams.length === 0) return streams;
    const left = await this.recheckUser(socket.data.userId, new Map([[socket, new Set(streams)]]));
    return streams.filter((stream) => !left.has(stream));
  }

  /** Re-checks this process's sockets in scope; resolves with the number of rooms they left. */
  async recheck(scopes: AccessScope[]): Promise<number> {
    this.epoch++;
    const byUser = new Map<string, Map<HuitongSocket, Set<string>>>();
    const add = (socket: HuitongSocket, stream: string) => {
      const userId = socket.data.userId;
      if (!userId || !parseStream(stream)) return;
      let sockets = byUser.get(userId);
      if (!sockets) byUser.set(userId, (sockets = new Map()));
      let rooms = sockets.get(socket);
      if (!rooms) sockets.set(socket, (rooms = new Set()));
      rooms.add(stream);
    };
    const local = this.io.of('/');
    const socketsIn = (room: string) => [...(local.adapter.rooms.get(room) ?? [])].map((id) => local.sockets.get(id)).filter((s): s is HuitongSocket => !!s);
    for (const scope of scopes) {
      if ('users' in scope) {
        for (const userId of scope.users) {
          // A changed role or department: what is cached about the user (the actor of socket events) is stale.
          this.deps.forgetUser(userId);
          for (const socket of socketsIn(`user:${userId}`)) for (const room of socket.rooms) add(socket, room);
        }
      } else if ('streams' in scope) {
        for (const stream of scope.streams) for (const socket of socketsIn(stream)) add(socket, stream);
      } else {
        const kinds = new Set<string>(scope.kinds);
        for (const socket of local.sockets.values()) for (const room of socket.rooms) if (kinds.has(parseStream(room)?.kind ?? '')) add(socket, room);
      }
    }
    if (byUser.size === 0) return 0;
    // One query for all the users, then one policy query per kind per user, a few users at a time.
    const users = await this.deps.users.many(this.deps.orm.em.fork(), [...byUser.keys()]);
    const queue = [...byUser];
    let taken = 0;
    let left = 0;
    const worker = async () => {
      while (taken < queue.length) {
        const [userId, sockets] = queue[taken++];
        try {
          left += (await this.recheckUser(userId, sockets, users.get(userId) ?? null)).size;
        } catch (error) {
          // A failed check changes nothing; the next re-check or reconnect asks again.
          this.deps.logger.warn({ err: error, userId }, 'stream access re-check failed');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_USERS, queue.length) }, worker));
    return left;
  }

  /**
   * Asks the stream policies about every room of one user's sockets at once; the sockets leave the
   * refused ones and are told. Returns the streams refused. A deactivated or unknown user follows nothing.
   */
  private async recheckUser(userId: string, sockets: Map<HuitongSocket, Set<string>>, known?: Awaited<ReturnType<UserLoaders['one']>>): Promise<Set<string>> {
    const em = this.deps.orm.em.fork();
    const user = known === undefined ? await this.deps.users.one(em, userId) : known;
    const asked = new Set<string>();
    for (const rooms of sockets.values()) for (const room of rooms) asked.add(room);
    const allowed = user?.active ? await followableStreams(em, user, asked) : new Set<string>();
    const refused = new Set([...asked].filter((stream) => !allowed.has(stream)));
    if (refused.size === 0) return refused;
    for (const [socket, rooms] of sockets) {
      const gone = [...rooms].filter((room) => refused.has(room) && socket.rooms.has(room));
      if (gone.length === 0) continue;
      for (const room of gone) socket.leave(room);
      socket.emit('stream:revoked', { streams: gone });
    }
    return refused;
  }
}
