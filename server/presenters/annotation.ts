import type { AnnotationAnchorDTO, AnnotationDTO, AnnotationEventDTO, AnnotationSubjectKind } from '../../shared/annotations.js';
import { isoInstant } from './instants.js';

type Timestamp = string | Date;

/** An annotation row as queries/annotations.ts selects it (also as JSON inside a report's row). */
export type AnnotationRow = {
  id: string; entry_id: string | null; report_id: string | null; parent_id: string | null;
  author_id: string; author_name: string; author_email: string; body: Record<string, unknown> | null; text: string;
  section_key: string | null; mark_id: string | null; quote: string | null;
  created_at: Timestamp; edited_at: Timestamp | null; resolved_at: Timestamp | null;
  resolved_by_id: string | null; resolved_by_name: string | null; resolved_by_email: string | null; deleted_at: Timestamp | null;
};

/** What the viewer may do with one annotation (policies/annotations.ts annotationAbilities). */
export type AnnotationAbilities = (annotation: AnnotationEventDTO) => AnnotationDTO['can'];

/** The text each passage mark holds now, per section (a report's), to tell whether an anchor's passage changed. */
export type MarkTexts = ReadonlyMap<string, ReadonlyMap<string, string>>;

function anchorOf(r: AnnotationRow, marks: MarkTexts | null): AnnotationAnchorDTO | null {
  if (!r.section_key || !r.mark_id || r.quote === null) return null;
  const now = marks?.get(r.section_key)?.get(r.mark_id);
  const state = now === undefined || now === '' ? 'removed' : now === r.quote ? 'intact' : 'changed';
  return { sectionKey: r.section_key, markId: r.mark_id, quote: r.quote, state };
}

/** An annotation or reply as stream events carry it (no viewer's abilities, no replies). */
export function presentAnnotationEvent(r: AnnotationRow, marks: MarkTexts | null = null): AnnotationEventDTO {
  const kind: AnnotationSubjectKind = r.report_id ? 'report' : 'entry';
  const deleted = r.deleted_at !== null;
  return {
    id: String(r.id),
    subject: { kind, id: String(r.report_id ?? r.entry_id) },
    parentId: r.parent_id ? String(r.parent_id) : null,
    author: { id: String(r.author_id), displayName: r.author_name, email: r.author_email },
    body: deleted ? null : r.body,
    text: deleted ? '' : r.text,
    anchor: anchorOf(r, marks),
    createdAt: isoInstant(r.created_at),
    editedAt: r.edited_at ? isoInstant(r.edited_at) : null,
    resolvedAt: r.resolved_at ? isoInstant(r.resolved_at) : null,
    resolvedBy: r.resolved_by_id ? { id: String(r.resolved_by_id), displayName: r.resolved_by_name ?? '', email: r.resolved_by_email ?? '' } : null,
    deleted,
  };
}

/**
 * The threads of a subject, oldest first, each annotation with its replies and what the viewer may
 * do with it (`can`, decided by the policy). A deleted annotation stays as a placeholder while
 * replies hang under it; a deleted reply goes.
 */
export function presentThreads(rows: readonly AnnotationRow[], can: AnnotationAbilities, marks: MarkTexts | null = null): AnnotationDTO[] {
  const top = new Map<string, AnnotationDTO>();
  for (const row of rows) {
    const event = presentAnnotationEvent(row, marks);
    const dto: AnnotationDTO = { ...event, replies: [], can: can(event) };
    if (event.parentId === null) top.set(dto.id, dto);
    else if (!dto.deleted) top.get(dto.parentId!)?.replies.push(dto);
  }
  return [...top.values()].filter((a) => !a.deleted || a.replies.length > 0);
}
