import type { EntityManager } from '@mikro-orm/postgresql';
import type { BoardAuditEntryDTO } from '../../shared/boards.js';
import type { Page } from '../../shared/dto.js';
import { isoInstant } from '../presenters/instants.js';
import { pageOf } from './pagination.js';

type Row = { id: string; actor_id: string; display_name: string; email: string; action: string; target_type: string; target_id: string; data: Record<string, unknown>; created_at: string | Date };

/** The board audit log (author lookups of anonymous posts), newest first, for administrators. */
export async function boardAuditLog(em: EntityManager, query: { before?: string; limit: number }): Promise<Page<BoardAuditEntryDTO>> {
  const rows = await em.execute<Row[]>(
    `SELECT a.id::text AS id, a.actor_id::text AS actor_id, u.display_name, u.email, a.action, a.target_type, a.target_id::text AS target_id, a.data, a.created_at
     FROM board_audit a JOIN users u ON u.id = a.actor_id ${query.before ? 'WHERE a.id < ?' : ''} ORDER BY a.id DESC LIMIT ?`,
    [...(query.before ? [query.before] : []), query.limit + 1],
  );
  return pageOf(
    rows,
    query.limit,
    (page) =>
      page.map((r) => ({
        id: String(r.id),
        actor: { id: String(r.actor_id), displayName: r.display_name, email: r.email },
        action: r.action,
        targetType: r.target_type,
        targetId: String(r.target_id),
        data: r.data,
        createdAt: isoInstant(r.created_at),
      })),
    (last) => String(last.id),
  );
}
