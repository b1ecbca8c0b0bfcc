import type { MikroORM } from '@mikro-orm/postgresql';
import type { User } from '../entities/User.js';

/** How long a socket event may rely on an earlier check that its user is active. */
export const ACTIVE_USER_MAX_AGE_MS = 2000;

type Entry = { at: number; user: Promise<User | null> };

/**
 * Who is sending on a socket (the acting user of the commands an event runs, and whom stream
 * policies ask about), re-read from the database at most every ACTIVE_USER_MAX_AGE_MS.
 * Every client event must refuse a deactivated user, but reloading the user for each event is a
 * database round trip per event. (Sending a message, the busiest event, needs neither: its own
 * statement checks the author.) Deactivation closes the user's sockets at once
 * (RealtimeEmitter.endUserSockets, in every process of a cluster) and forgets the entry here; the
 * maximum age bounds what a process that missed it (no cluster adapter) may still accept.
 * One entry per user who sent something, dropped once stale, so the map stays the size of
 * the active users.
 */
export class ActiveUsers {
  private readonly entries = new Map<string, Entry>();
  private sweptAt = Date.now();

  constructor(
    private readonly orm: MikroORM,
    private readonly loadUser: (em: ReturnType<MikroORM['em']['fork']>, id: string) => Promise<User | null>,
    private readonly maxAgeMs = ACTIVE_USER_MAX_AGE_MS,
  ) {}

  /** The user (the acting user of the commands the event runs), or null when unknown or deactivated. */
  get(userId: string): Promise<User | null> {
    const now = Date.now();
    this.sweep(now);
    const entry = this.entries.get(userId);
    if (entry && now - entry.at < this.maxAgeMs) return entry.user;
    // Concurrent events of one user share the reload; a failed one is not kept.
    const user = this.load(userId);
    this.entries.set(userId, { at: now, user });
    user.catch(() => this.entries.delete(userId));
    return user;
  }

  forget(userId: string) {
    this.entries.delete(userId);
  }

  private async load(userId: string): Promise<User | null> {
    const user = await this.loadUser(this.orm.em.fork(), userId);
    return user?.active ? user : null;
  }

  private sweep(now: number) {
    if (now - this.sweptAt < this.maxAgeMs * 10) return;
    this.sweptAt = now;
    for (const [id, entry] of this.entries) if (now - entry.at >= this.maxAgeMs) this.entries.delete(id);
  }
}
