/**
 * Annotations (批注) as the API presents them: one mechanism for every kind of subject — a schedule
 * entry or a work report — with threaded replies, and for reports passage anchors (a Lexical mark in
 * one section plus the quote kept when it was made).
 */
import type { UserSummaryDTO } from './dto.js';

export const annotationSubjectKinds = ['entry', 'report'] as const;
export type AnnotationSubjectKind = (typeof annotationSubjectKinds)[number];
/** What an annotation is about. */
export type AnnotationSubject = { kind: AnnotationSubjectKind; id: string };

/**
 * Where a passage annotation points: a report section, the id of the mark (@lexical/mark) around
 * the passage, and the passage's text when it was annotated. `state` compares that text with what
 * the mark holds now: intact, changed by a later edit, or removed with the passage.
 */
export type AnnotationAnchorDTO = { sectionKey: string; markId: string; quote: string; state: 'intact' | 'changed' | 'removed' };

/** An annotation or a reply, without what the viewer may do (as stream events carry it to every follower). */
export type AnnotationEventDTO = {
  id: string;
  subject: AnnotationSubject;
  /** The annotation a reply belongs to; null for an annotation. */
  parentId: string | null;
  author: UserSummaryDTO;
  /** Rich text; null once deleted (a deleted annotation with replies stays as a placeholder). */
  body: Record<string, unknown> | null;
  text: string;
  anchor: AnnotationAnchorDTO | null;
  createdAt: string;
  editedAt: string | null;
  resolvedAt: string | null;
  resolvedBy: UserSummaryDTO | null;
  deleted: boolean;
};

export type AnnotationDTO = AnnotationEventDTO & {
  replies: AnnotationDTO[];
  /** What the viewer may do: change or delete it (its writer), resolve it (the subject's owner), reply under it. */
  can: { edit: boolean; delete: boolean; resolve: boolean; reply: boolean };
};
