import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnotationSubject } from '../../shared/annotations.js';

/** The subject of an annotation or reply, or null when there is none with that id. */
export async function annotationSubjectOf(em: EntityManager, id: string): Promise<{ subject: AnnotationSubject; parentId: string | null; authorId: string; deleted: boolean; markId: string | null; sectionKey: string | null } | null> {
  const [row] = await em.execute<{ entry_id: string | null; report_id: string | null; parent_id: string | null; author_id: string; deleted: boolean; mark_id: string | null; section_key: string | null }[]>(
    `SELECT entry_id::text AS entry_id, report_id::text AS report_id, parent_id::text AS parent_id, author_id::text AS author_id, deleted_at IS NOT NULL AS deleted, mark_id, section_key FROM annotations WHERE id = ?`,
    [id],
  );
  if (!row) return null;
  const subject: AnnotationSubject = row.report_id ? { kind: 'report', id: String(row.report_id) } : { kind: 'entry', id: String(row.entry_id) };
  return { subject, parentId: row.parent_id ? String(row.parent_id) : null, authorId: String(row.author_id), deleted: row.deleted, markId: row.mark_id, sectionKey: row.section_key };
}
