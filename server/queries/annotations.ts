import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnotationDTO } from '../../shared/schedule.js';
import { presentAnnotation as present, type AnnotationRow } from '../presenters/schedule.js';

const columns = `a.id::text AS id, a.entry_id::text AS entry_id, a.parent_id::text AS parent_id, a.author_id::text AS author_id, u.display_name AS author_name, u.email AS author_email, a.body, a.text, a.created_at`;

/** One annotation or reply by id (without its replies). */
export async function annotationById(em: EntityManager, id: string): Promise<AnnotationDTO | null> {
  const [row] = await em.execute<AnnotationRow[]>(`SELECT ${columns} FROM annotations a JOIN users u ON u.id = a.author_id WHERE a.id = ?`, [id]);
  return row ? present(row) : null;
}

/** The annotations of an entry, oldest first, each with its replies (the caller checked visibility). */
export async function entryAnnotations(em: EntityManager, entryId: string): Promise<AnnotationDTO[]> {
  const rows = await em.execute<AnnotationRow[]>(`SELECT ${columns} FROM annotations a JOIN users u ON u.id = a.author_id WHERE a.entry_id = ? ORDER BY a.id`, [entryId]);
  const top = new Map<string, AnnotationDTO>();
  for (const row of rows) {
    const dto = present(row);
    if (!dto.parentId) top.set(dto.id, dto);
    else top.get(dto.parentId)?.replies.push(dto);
  }
  return [...top.values()];
}
