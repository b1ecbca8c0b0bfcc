import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { CommandRunner, type SystemContext } from '../../commands/context.js';
import type { RealtimeEmitter } from '../../realtime/emitter.js';
import { DemoSeedRefused } from './refusal.js';
import type { FileStorage } from '../../files/storage.js';

/** What one step of the story works with: its own transaction, and the services the commands need. */
export type StepContext = {
  /** The story time of the step: what it writes is dated to it afterwards (see dating.ts). */
  at: Date;
  tx: EntityManager;
  /** The step's command context (its transaction, events and jobs); demo commands set who acts. */
  cx: SystemContext;
  /** Runs the product's own transactions (the firer, the offline notifier) — nested in the step's through stepOrm. */
  runner: CommandRunner;
  boss: PgBoss;
  emitter: RealtimeEmitter;
  logger: Logger;
  /** Where the story's files are stored (the server's file store). */
  files: FileStorage;
};

/** When a step ran, on both clocks, and when it happened in the story. */
export type ClockMark = {
  at: string;
  /** The transaction's now() (exact, microseconds): every row the step's SQL stamped with now() has it. */
  dbNow: string;
  dbNowMs: number;
  /** The step's span on this process's clock: what the code stamped with new Date() falls inside. */
  jsStart: string;
  jsEnd: string;
};

type Step = { at: Date; order: number; label: string; run: (step: StepContext) => Promise<void> };

/**
 * The story as a list of dated steps, each a call (or a few) into the product's commands. They run
 * in the order of their story times, each in a transaction of its own as a user's request would,
 * so ids, stream sequences and read positions come out in the order the story tells them. The
 * commands stamp what they write with the real time; each step records its span so that the
 * dating pass can move those stamps to the step's story time.
 */
export class Timeline {
  private readonly steps: Step[] = [];

  /** Steps must end before `end`: the story never runs into the future. */
  constructor(readonly end: Date) {}

  add(at: Date, label: string, run: (step: StepContext) => Promise<void>): void {
    if (!(at.getTime() < this.end.getTime())) throw new Error(`demo step "${label}" is dated ${at.toISOString()}, not before the story's end ${this.end.toISOString()}`);
    this.steps.push({ at, order: this.steps.length, label, run });
  }

  /** Adds a step only when it falls before the story's end (today's events that have not happened yet are left out). */
  addIfPast(at: Date, label: string, run: (step: StepContext) => Promise<void>): boolean {
    if (at.getTime() >= this.end.getTime()) return false;
    this.add(at, label, run);
    return true;
  }

  get size() {
    return this.steps.length;
  }

  /**
   * Runs every step; seeded notifications' e-mails are recorded as `logged` in the step's own
   * transaction (see finishStep), so no dispatcher can ever pick one up.
   */
  async run(deps: { orm: MikroORM; boss: PgBoss; emitter: RealtimeEmitter; logger: Logger; files: FileStorage }): Promise<ClockMark[]> {
    const ordered = [...this.steps].sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
    const marks: ClockMark[] = [];
    let lastEnd = 0;
    // The commands that schedule by the clock (announcements) read the step's story time: what they stamp,
    // and the ladder steps they plan, are the story's already (the dating pass leaves such times alone).
    let story = () => new Date();
    // The demo's fan-outs are small; a larger chunk size keeps every one of them in its step's transaction.
    const runner = new CommandRunner({ emitter: deps.emitter, boss: () => deps.boss, settings: { fanOutChunkSize: 100_000 }, clock: { now: () => story() } });
    for (const step of ordered) {
      // Each step starts on a later millisecond than the previous one ended, so the spans never touch.
      while (Date.now() <= lastEnd) await new Promise((resolve) => setImmediate(resolve));
      const jsStart = new Date();
      story = () => new Date(step.at.getTime() + (Date.now() - jsStart.getTime()));
      let clock: { db_now: string; db_now_ms: string } | undefined;
      try {
        await runner.run(deps.orm.em.fork(), null, async (cx) => {
          const tx = cx.em;
          // Demo history need not wait for its WAL flush; a crash mid-seed leaves a database to seed again anyway.
          await tx.execute(`SET LOCAL synchronous_commit = off`);
          await step.run({ at: step.at, tx, cx, runner, boss: deps.boss, emitter: deps.emitter, logger: deps.logger, files: deps.files });
          clock = await finishStep(tx, jsStart);
        });
      } catch (error) {
        if (error instanceof DemoSeedRefused) throw error;
        throw new Error(`demo step "${step.label}" failed: ${(error as Error).message}`, { cause: error });
      }
      const jsEnd = new Date();
      lastEnd = jsEnd.getTime();
      marks.push({ at: step.at.toISOString(), dbNow: clock!.db_now, dbNowMs: Number(clock!.db_now_ms), jsStart: jsStart.toISOString(), jsEnd: jsEnd.toISOString() });
    }
    return marks;
  }
}

/**
 * Ends a step: the deliveries its notifications queued are recorded as `logged` (what the log-only
 * channels record: kept in the log, never sent) before it commits, and its transaction's now() is
 * read for its clock mark. The story is history: its notifications show in the outbox and under
 * "How it reached me", but none may reach a mailbox, whatever SMTP settings a running server has.
 */
async function finishStep(tx: EntityManager, since: Date): Promise<{ db_now: string; db_now_ms: string }> {
  const [clock] = await tx.execute<{ db_now: string; db_now_ms: string }[]>(
    `WITH logged AS (
       UPDATE deliveries SET status = 'logged', provider = 'log', attempts = 1, sent_at = now(), updated_at = now()
       WHERE status = 'queued' AND queued_at >= ?
     )
     SELECT now()::text AS db_now, floor(extract(epoch FROM now()) * 1000)::bigint::text AS db_now_ms`,
    [since],
  );
  return clock;
}
