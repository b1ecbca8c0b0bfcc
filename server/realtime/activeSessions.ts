import type { MikroORM } from '@mikro-orm/postgresql';
import type { User } from '../entities/User.js';

/** How long a socket event may rely on an earlier check that its session is valid and its user active. */
export const ACTIVE_SESSION_MAX_AGE_MS = 2000;

type Entry = { at: number; userId: string; user: Promise<User | null> };

/**
 * Who is sending on a socket (the acting user of the commands an event runs, and whom stream
 * policies ask about), as long as the socket's session is valid and its user active: re-read from
 * the database, session and user in one query, at most every ACTIVE_SESSION_MAX_AGE_MS per session.
 * Every client event must refuse an ended session, but reading it for each event is a database
 * round trip per event. What ends sessions is pushed instead: a sign-out, a new password or a
 * deactivation closes the sockets concerned in every process of a cluster (RealtimeEmitter.endRoom),
 * a session's expiry closes its sockets by a timer (realtime/server.ts), and an access re-check
 * forgets the users it concerns (a changed role). The maximum age bounds what a process that
 * missed a push (a revocation written by hand, a cluster link that was down) may still accept.
 * (Sending a message, the busiest event, needs none of it: its own statement checks the session and
 * the author.) One entry per session that sent something, dropped once stale: the size of the active sessions.
 */
export class ActiveSessions {
  private readonly entries = new Map<string, Entry>();
  private sweptAt = Date.now();

  constructor(
    private readonly orm: MikroORM,
    private readonly loadSessionUser: (em: ReturnType<MikroORM['em']['fork']>, sessionId: string) => Promise<User | null>,
    private readonly maxAgeMs = ACTIVE_SESSION_MAX_AGE_MS,
  ) {}

  /** The session's user, or null when the session has ended (expired, revoked) or the user is deactivated. */
  get(sessionId: string, userId: string): Promise<User | null> {
    const now = Date.now();
    this.sweep(now);
    const entry = this.entries.get(sessionId);
    if (entry && now - entry.at < this.maxAgeMs) return entry.user;
    // Concurrent events of one session share the reload; a failed one is not kept.
    const user = this.load(sessionId);
    const fresh: Entry = { at: now, userId, user };
    this.entries.set(sessionId, fresh);
    user.catch(() => this.entries.get(sessionId) === fresh && this.entries.delete(sessionId));
    return user;
  }

  /** Drops what is cached about a user's sessions (their sessions ended, or their role may have changed). */
  forgetUser(userId: string) {
    for (const [sessionId, entry] of this.entries) if (entry.userId === userId) this.entries.delete(sessionId);
  }

  private async load(sessionId: string): Promise<User | null> {
    const user = await this.loadSessionUser(this.orm.em.fork(), sessionId);
    return user?.active ? user : null;
  }

  private sweep(now: number) {
    if (now - this.sweptAt < this.maxAgeMs * 10) return;
    this.sweptAt = now;
    for (const [id, entry] of this.entries) if (now - entry.at >= this.maxAgeMs) this.entries.delete(id);
  }
}
