import type { EntityManager } from '@mikro-orm/postgresql';
import { searchKinds, type SearchKind } from '../../shared/search.js';
import { indexObjects, searchKindTables } from './documents.js';

/** Source rows one transaction indexes during a rebuild. */
const BATCH = 1000;

export type ReindexProgress = { kind: SearchKind; done: number; total: number };

/**
 * Rebuilds the whole index from the source tables, kind by kind, in batches (search keeps answering
 * meanwhile: each batch replaces its documents in one statement), then drops the documents whose
 * object is gone. Changes made during the rebuild are queued by the triggers as always; what was
 * queued before it began is dropped at the end (the rebuild has read it).
 */
export async function reindexAll(em: EntityManager, onProgress: (progress: ReindexProgress) => void = () => undefined): Promise<Record<SearchKind, number>> {
  const totals = {} as Record<SearchKind, number>;
  // What was queued before the rebuild began, the rebuild reads anyway: those rows go once it is done.
  const [{ queued }] = await em.execute<{ queued: string }[]>(`SELECT coalesce(max(id), 0)::text AS queued FROM search_queue`);
  for (const kind of searchKinds) {
    const table = searchKindTables[kind];
    const [{ total }] = await em.execute<{ total: string }[]>(`SELECT count(*)::text AS total FROM "${table}"`);
    let done = 0;
    let written = 0;
    onProgress({ kind, done, total: Number(total) });
    for (let after = '0'; ; ) {
      const ids = (await em.execute<{ id: string }[]>(`SELECT x.id::text AS id FROM "${table}" x WHERE x.id > ? ORDER BY x.id LIMIT ?`, [after, BATCH])).map((r) => r.id);
      if (ids.length === 0) break;
      written += await indexObjects(em, kind, ids);
      after = ids[ids.length - 1]!;
      done += ids.length;
      onProgress({ kind, done, total: Math.max(done, Number(total)) });
    }
    await em.execute(`DELETE FROM search_documents d WHERE d.kind = ? AND NOT EXISTS (SELECT 1 FROM "${table}" x WHERE x.id = d.object_id)`, [kind]);
    totals[kind] = written;
  }
  await em.execute(`DELETE FROM search_queue WHERE id <= ?`, [queued]);
  return totals;
}
