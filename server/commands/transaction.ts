import type { EntityManager } from '@mikro-orm/postgresql';
import type { StreamEventEnvelope } from '../../shared/realtime.js';
import type { RealtimeEmitter } from '../realtime/emitter.js';

/** Stream events a command appended; published only once its transaction has committed. */
export type PendingEvents = StreamEventEnvelope[];

/**
 * Runs a command in one transaction and pushes the stream events it appended after the
 * commit, so a client can never see a change that was rolled back.
 */
export async function inTransaction<T>(
  em: EntityManager,
  emitter: RealtimeEmitter,
  work: (tx: EntityManager, events: PendingEvents) => Promise<T>,
): Promise<T> {
  const events: PendingEvents = [];
  const result = await em.transactional((tx) => work(tx as EntityManager, events));
  emitter.publish(events);
  return result;
}
