import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';
import { searchKinds, type SearchKind } from '../../shared/search.js';
import { pgArray } from '../db/sql.js';
import { indexObjects } from './documents.js';

/** Queue rows one transaction takes at most. */
const BATCH = 500;

/**
 * Indexes up to BATCH queued objects in one transaction and returns how many queue rows it took.
 * Several processes drain at once: each takes rows the others have not locked (SKIP LOCKED), and
 * each object is indexed under a lock of its own, so that of two indexers holding the same object
 * (queued twice) the later reads the source after the earlier committed: the last write is of the
 * newest text.
 */
export async function drainSearchQueue(em: EntityManager): Promise<number> {
  return em.transactional(async (tx) => {
    const taken = await tx.execute<{ kind: SearchKind; object_id: string }[]>(
      `DELETE FROM search_queue WHERE id IN (SELECT id FROM search_queue ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING kind, object_id::text AS object_id`,
      [BATCH],
    );
    if (taken.length === 0) return 0;
    const keys = [...new Set(taken.map((t) => `${t.kind}:${t.object_id}`))].sort();
    await tx.execute(`SELECT pg_advisory_xact_lock(hashtextextended(s.k, 0)) FROM (SELECT k FROM unnest(?::text[]) AS k ORDER BY k) s`, [pgArray(keys)]);
    for (const kind of searchKinds) {
      const ids = [...new Set(taken.filter((t) => t.kind === kind).map((t) => t.object_id))];
      await indexObjects(tx as EntityManager, kind, ids);
    }
    return taken.length;
  });
}

/**
 * Drains the whole queue (the demo seed and the tests' helpers call it; servers run a SearchIndexer).
 * A batch short of BATCH took every row committed when it began (but those another drainer holds),
 * so it is the last: what commits later sends its own notification. Each reply, message or edit
 * is thus one transaction of the indexer, not two.
 */
export async function drainAllSearchQueue(em: EntityManager): Promise<number> {
  let total = 0;
  for (let n = BATCH; n === BATCH; ) {
    n = await drainSearchQueue(em.fork());
    total += n;
  }
  return total;
}

/**
 * Keeps the index current in a server process: LISTENs for the `search_queue` notification that the
 * source tables' triggers send when a change commits (in any process), and drains the queue at once.
 * It also drains every POLL_MS, for what was queued while its connection was down (a notification
 * is not stored) or left by a crashed process mid-transaction.
 */
export class SearchIndexer {
  private client: pg.Client | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private poll: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly pollMs = 5000,
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.poll = setInterval(() => this.wake(), this.pollMs);
    this.poll.unref();
    this.wake();
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', () => this.wake());
    client.on('error', (error) => this.logger.warn({ err: error }, 'search indexer: lost its database connection; reconnecting'));
    client.on('end', () => {
      if (this.stopped || this.client !== client) return;
      this.client = null;
      this.reconnect = setTimeout(() => void this.listen().then(() => this.wake(), () => undefined), 1000);
      this.reconnect.unref();
    });
    try {
      await client.connect();
      await client.query('LISTEN search_queue');
      this.client = client;
    } catch (error) {
      this.logger.warn({ err: error }, 'search indexer: cannot listen; polling until it can');
      await client.end().catch(() => undefined);
      if (!this.stopped) {
        this.reconnect = setTimeout(() => void this.listen().then(() => this.wake(), () => undefined), 1000);
        this.reconnect.unref();
      }
    }
  }

  /** Drains now; a wake during a drain makes it go round once more (what committed meanwhile). */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        try {
          await drainAllSearchQueue(this.orm.em);
        } catch (error) {
          if (!this.stopped) this.logger.warn({ err: error }, 'search indexer: draining failed; retrying at the next change or poll');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.draining = null;
    });
  }

  /** The current drain, if any, has finished (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll) clearInterval(this.poll);
    if (this.reconnect) clearTimeout(this.reconnect);
    await this.idle();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
