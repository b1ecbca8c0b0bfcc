import type { EntityManager } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { EventPayload, EventType, NewStreamEvent, StreamEvent, StreamKind, StreamName } from '../../shared/realtime.js';
import type { User } from '../entities/User.js';
import { systemClock, type Clock } from '../clock.js';
import { transactionDb } from '../jobs/queue.js';
import type { RealtimeEmitter } from '../realtime/emitter.js';
import type { AccessScope } from '../realtime/socketTypes.js';
import { appendStreamEvent, appendStreamEvents } from '../realtime/streams.js';
import { appendAuditEntry, type AuditInput } from './audit/record.js';

/** Stream events a command appended; published only once its transaction has committed. */
export type PendingEvents = StreamEvent[];

/** Jobs a command starts: inserted in its transaction, so a job exists exactly when the change does. */
export type JobSender = { insert: (jobs: PgBoss.JobInsert[]) => Promise<void> };

/** Settings commands read (from the configuration). */
export type CommandSettings = {
  /** Recipients one transaction notifies at most; a larger fan-out goes to background jobs in parts of this size. */
  fanOutChunkSize: number;
};

/**
 * Everything a command works with, built the same way for an HTTP request, a socket event and a
 * background job (CommandRunner.run): the transaction every read and write goes through, who acts
 * (`null` for the system, e.g. a reminder firing), the stream events to publish after the commit,
 * the jobs to start in the same transaction, and socket changes to make after the commit.
 */
export type CommandContext<A extends User | null = User> = {
  em: EntityManager;
  actor: A;
  events: PendingEvents;
  jobs: JobSender;
  settings: CommandSettings;
  /** Socket changes, made once the transaction has committed. */
  sockets: SocketEffects;
  /** The time schedules are measured against (see server/clock.ts). */
  clock: Clock;
  /**
   * Appends an entry to the audit log in this transaction, with the actor and the client's address
   * (HTTP and sockets; null for jobs). Security-relevant commands call it (docs/admin-guide.md lists them).
   */
  audit: (entry: AuditInput) => Promise<void>;
};

/** Where a command came from, for the audit log. */
export type CommandOrigin = { address?: string | null };

/** What a command may do to connected sockets (applied after the commit, in every process of a cluster). */
export type SocketEffects = {
  /**
   * Call it whenever the command may change who may see a stream (a membership, a setting, the
   * hierarchy, an owner): after the commit, and before the command's own events are pushed and its
   * answer is sent, the sockets in scope check the stream rooms they joined against the stream
   * policies (policies/streams.ts), in every process, and leave those they may no longer follow.
   * `{ users }`: those users' sockets, all their streams; `{ streams }`: every socket in those
   * streams' rooms; `{ kinds }`: every socket, its streams of those kinds.
   */
  recheckAccess: (scope: AccessScope) => void;
  /** Every socket of the user is told why and closed (deactivation, a new password). */
  endUser: (userId: string, reason: 'deactivated' | 'password_changed') => void;
  /** The sockets of one session are told and closed (sign-out). */
  endSession: (sessionId: string, reason: 'logout' | 'password_changed') => void;
};

/** Runs a command for the transport's user in a new transaction (what routes and socket handlers are given). */
export type RunCommand = <T>(work: (cx: CommandContext) => Promise<T>) => Promise<T>;

/** A context for work done by the system itself, not on behalf of a user. */
export type SystemContext = CommandContext<User | null>;

/** Appends one event to a stream; it is pushed to the stream's room after the commit. */
export async function appendEvent<K extends StreamKind, T extends EventType<K>>(
  cx: CommandContext<User | null>,
  stream: StreamName<K>,
  type: T,
  data: EventPayload<K, T> | (() => Promise<EventPayload<K, T>>),
): Promise<StreamEvent<K>> {
  const event = await appendStreamEvent(cx.em, stream, type, data);
  cx.events.push(event as StreamEvent);
  return event;
}

/** Appends many events (one statement, whatever their number); pushed after the commit. */
export async function appendEvents(cx: CommandContext<User | null>, events: readonly NewStreamEvent[]): Promise<StreamEvent[]> {
  const stored = await appendStreamEvents(cx.em, events);
  cx.events.push(...stored);
  return stored;
}

export type CommandRunnerDeps = {
  emitter: RealtimeEmitter;
  /** The job queue (started after the runner exists, hence a getter). */
  boss: () => PgBoss;
  settings: CommandSettings;
  /** The clock commands schedule against; the system clock unless a test moves it. */
  clock?: Clock;
  /** Called after a commit that inserted jobs, with their queue names (this process's workers fetch them at once). */
  jobsQueued?: (queues: Set<string>) => void;
};

/**
 * Runs commands: opens the transaction, builds the context, commits, then re-checks the access of
 * the sockets in scope of `recheckAccess` (so that those who lost access do not see even the
 * change's own events), publishes the stream events and runs the other after-commit effects: a
 * client never sees a change that was rolled back.
 * HTTP routes (route.ts), socket handlers (realtime/server.ts) and jobs all run commands through it.
 */
export class CommandRunner {
  constructor(private readonly deps: CommandRunnerDeps) {}

  async run<T, A extends User | null>(em: EntityManager, actor: A, work: (cx: CommandContext<A>) => Promise<T>, origin: CommandOrigin = {}): Promise<T> {
    const events: PendingEvents = [];
    const effects: (() => void)[] = [];
    const rechecks: AccessScope[] = [];
    const { emitter } = this.deps;
    const queued = new Set<string>();
    const sockets: SocketEffects = {
      recheckAccess: (scope) => rechecks.push(scope),
      endUser: (userId, reason) => effects.push(() => emitter.endUserSockets(userId, reason)),
      endSession: (sessionId, reason) => effects.push(() => emitter.endSessionSockets(sessionId, reason)),
    };
    const result = await em.transactional((tx) =>
      work({
        em: tx as EntityManager,
        actor,
        events,
        jobs: {
          insert: async (jobs) => {
            if (jobs.length === 0) return;
            await this.deps.boss().insert(jobs, { db: transactionDb(tx as EntityManager) });
            for (const job of jobs) queued.add(job.name);
          },
        },
        settings: this.deps.settings,
        sockets,
        clock: this.deps.clock ?? systemClock,
        audit: (entry) => appendAuditEntry(tx as EntityManager, actor ? String(actor.id) : null, origin.address ?? null, entry),
      }),
    );
    await emitter.recheckAccess(rechecks);
    emitter.publish(events);
    for (const effect of effects) effect();
    if (queued.size) this.deps.jobsQueued?.(queued);
    return result;
  }
}
