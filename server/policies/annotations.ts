import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnotationDTO, AnnotationEventDTO, AnnotationSubject } from '../../shared/annotations.js';
import type { User } from '../entities/User.js';
import { forbidden, notFound } from '../errors.js';
import { annotationSubjectOf } from '../queries/annotationSubjects.js';
import { isSuperiorOf } from './hierarchy.js';
import { mayReplyOnReport, requireReadableReport } from './reports.js';
import { requireVisibleEntry } from './schedule.js';

/**
 * What a user may do about the annotations of one subject they may see: start one (a superior of an
 * entry's owner; one a report was sent to), reply under one (the owner or author and those), resolve
 * one (the owner or author). The subject's own "who may see this" decides whether it is found at all.
 */
export type SubjectAccess = {
  subject: AnnotationSubject;
  ownerId: string;
  annotate: boolean;
  reply: boolean;
  resolve: boolean;
  /** Set for a report: its state as the policy read it. */
  report?: Awaited<ReturnType<typeof requireReadableReport>>;
  /** Set for an entry: its customer. */
  customerId?: string | null;
};

const refusals = {
  entry: { annotate: 'Only superiors of the owner may annotate a schedule entry', reply: 'Only the owner of the entry and their superiors may reply to an annotation' },
  report: { annotate: 'Only those the report was sent to may annotate it', reply: 'Only the author of the report and those it was sent to may reply to an annotation' },
};

/** The subject if the user may see it (a 404 otherwise, not revealing whether it exists), with their abilities on its annotations. */
export async function requireVisibleSubject(em: EntityManager, user: User, subject: AnnotationSubject): Promise<SubjectAccess> {
  if (subject.kind === 'entry') {
    const entry = await requireVisibleEntry(em, user, subject.id);
    const owner = entry.ownerId === user.id;
    const superior = !owner && (await isSuperiorOf(em, user.id, entry.ownerId));
    return { subject, ownerId: entry.ownerId, annotate: superior, reply: owner || superior, resolve: owner, customerId: entry.customerId };
  }
  const report = await requireReadableReport(em, user, subject.id);
  return { subject, ownerId: report.authorId, annotate: report.receiver, reply: mayReplyOnReport(user, report), resolve: report.authorId === user.id && report.status === 'submitted', report };
}

/** The subject if the user may annotate it: 404 when they cannot see it, 403 when they see it but may not. */
export async function requireAnnotatorOf(em: EntityManager, user: User, subject: AnnotationSubject): Promise<SubjectAccess> {
  const access = await requireVisibleSubject(em, user, subject);
  if (!access.annotate) throw forbidden(refusals[subject.kind].annotate);
  return access;
}

type AnnotationAccess = SubjectAccess & { annotationId: string; parentId: string | null; authorId: string; markId: string | null; sectionKey: string | null };

/** An annotation or reply whose subject the user may see, or a 404 for one they may not (or one deleted). */
export async function requireVisibleAnnotation(em: EntityManager, user: User, annotationId: string): Promise<AnnotationAccess> {
  const found = await annotationSubjectOf(em, annotationId);
  if (!found || found.deleted) throw notFound('The annotation');
  const access = await requireVisibleSubject(em, user, found.subject).catch((error: unknown) => {
    throw (error as { status?: number }).status === 404 ? notFound('The annotation') : error;
  });
  return { ...access, annotationId, parentId: found.parentId, authorId: found.authorId, markId: found.markId, sectionKey: found.sectionKey };
}

/** Replies go under an annotation (not under a reply) by those who may reply on its subject. */
export async function requireReplier(em: EntityManager, user: User, annotationId: string): Promise<AnnotationAccess> {
  const access = await requireVisibleAnnotation(em, user, annotationId);
  if (access.parentId) throw notFound('The annotation');
  if (!access.reply) throw forbidden(refusals[access.subject.kind].reply);
  return access;
}

/** Only the writer of an annotation or reply changes or deletes it. */
export async function requireAnnotationWriter(em: EntityManager, user: User, annotationId: string): Promise<AnnotationAccess> {
  const access = await requireVisibleAnnotation(em, user, annotationId);
  if (access.authorId !== user.id) throw forbidden('Only the writer of an annotation may change or delete it');
  return access;
}

/** The owner of the subject (the entry's owner, the report's author) resolves and reopens annotations. */
export async function requireResolver(em: EntityManager, user: User, annotationId: string): Promise<AnnotationAccess> {
  const access = await requireVisibleAnnotation(em, user, annotationId);
  if (access.parentId) throw notFound('The annotation');
  if (!access.resolve) throw forbidden('Only the owner of what was annotated may resolve an annotation');
  return access;
}

/** What the viewer may do on a subject's annotations: reply under them, resolve them (the owner or author). */
export type SubjectAbilities = { viewerId: string; reply: boolean; resolve: boolean };

/**
 * What the viewer may do with one annotation or reply (the `can` of AnnotationDTO), given what they
 * may do on its subject: the same rules the require… checks above enforce — its writer changes and
 * deletes it; annotations (not replies) are resolved by the subject's owner and replied under; a
 * deleted one takes nothing.
 */
export function annotationAbilities(annotation: AnnotationEventDTO, subject: SubjectAbilities): AnnotationDTO['can'] {
  const own = annotation.author.id === subject.viewerId && !annotation.deleted;
  const open = annotation.parentId === null && !annotation.deleted;
  return { edit: own, delete: own, resolve: open && subject.resolve, reply: open && subject.reply };
}
