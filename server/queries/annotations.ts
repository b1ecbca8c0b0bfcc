import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnotationDTO, AnnotationEventDTO, AnnotationSubject } from '../../shared/annotations.js';
import { annotationAbilities, type SubjectAbilities } from '../policies/annotations.js';
import { presentAnnotationEvent, presentThreads, type AnnotationRow, type MarkTexts } from '../presenters/annotation.js';

/** Columns of an annotation with its author and resolver (aliases a, u, rb); the presenter's AnnotationRow. */
export const annotationColumns = `a.id::text AS id, a.entry_id::text AS entry_id, a.report_id::text AS report_id, a.parent_id::text AS parent_id,
  a.author_id::text AS author_id, u.display_name AS author_name, u.email AS author_email, a.body, a.text,
  a.section_key, a.mark_id, a.quote, a.created_at, a.edited_at, a.resolved_at,
  a.resolved_by_id::text AS resolved_by_id, rb.display_name AS resolved_by_name, rb.email AS resolved_by_email, a.deleted_at`;
export const annotationJoins = `JOIN users u ON u.id = a.author_id LEFT JOIN users rb ON rb.id = a.resolved_by_id`;

const subjectColumn = (subject: AnnotationSubject) => (subject.kind === 'entry' ? 'a.entry_id' : 'a.report_id');

/** One annotation or reply by id, as events carry it (the caller checked who may see its subject). */
export async function annotationEventById(em: EntityManager, id: string, marks: MarkTexts | null = null): Promise<AnnotationEventDTO | null> {
  const [row] = await em.execute<AnnotationRow[]>(`SELECT ${annotationColumns} FROM annotations a ${annotationJoins} WHERE a.id = ?`, [id]);
  return row ? presentAnnotationEvent(row, marks) : null;
}

/** The rows of a subject's annotations and replies, oldest first. */
export async function subjectAnnotationRows(em: EntityManager, subject: AnnotationSubject): Promise<AnnotationRow[]> {
  return em.execute<AnnotationRow[]>(`SELECT ${annotationColumns} FROM annotations a ${annotationJoins} WHERE ${subjectColumn(subject)} = ? ORDER BY a.id`, [subject.id]);
}

/** A subject's annotation threads as the viewer sees them (the caller checked that they may see the subject). */
export async function subjectAnnotations(em: EntityManager, subject: AnnotationSubject, abilities: SubjectAbilities, marks: MarkTexts | null = null): Promise<AnnotationDTO[]> {
  return presentThreads(await subjectAnnotationRows(em, subject), (a) => annotationAbilities(a, abilities), marks);
}
