import type { AnnotationEventDTO, AnnotationSubject } from '../../../shared/annotations.js';
import type { ReportAnchorInput } from '../reports/passages.js';
import { extractMentionedUserIds, parseRichText, richTextToPlainText, type RichTextDocument } from '../../editor/index.js';
import { pgArray } from '../../db/sql.js';
import { filterMarks } from '../../editor/marks.js';
import { requireAnnotationWriter, requireAnnotatorOf, requireReplier, requireResolver } from '../../policies/annotations.js';
import { annotationEventById } from '../../queries/annotations.js';
import { badRequest, conflict } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients, type Recipients } from '../notifications/recipients.js';
import { passageMarker, passageUnmarker } from '../reports/passages.js';
import { subjectHooks, type Wording } from './subjects.js';
import type { SubjectAccess } from '../../policies/annotations.js';

/** A remark's rich text as stored: checked, without passage marks (those belong to the subject's text). */
function remark(rawBody: unknown) {
  const body = filterMarks(parseRichText(rawBody), () => false);
  return { body, text: richTextToPlainText(body) };
}

/**
 * Notifies the people a remark mentions who may see its subject (a mention never shows a subject to
 * anyone else) and are not told of it anyway (`alreadyTold`: the owner, the thread), in one notify.
 */
async function mentionedNotifier(cx: CommandContext, access: SubjectAccess, annotation: AnnotationEventDTO, wording: Wording, alreadyTold: Recipients) {
  const mentioned = extractMentionedUserIds(annotation.body as unknown as RichTextDocument).filter((id) => id !== cx.actor.id);
  if (!mentioned.length) return;
  const selection = recipients.sql(
    `SELECT u.id AS user_id FROM users u WHERE u.id = ANY(?::bigint[]) AND u.id NOT IN (SELECT user_id FROM (${alreadyTold.sql}) told)`,
    [pgArray(mentioned), ...alreadyTold.params],
  );
  await notify(cx, subjectHooks[access.subject.kind].viewers(access, selection), {
    kind: 'mention', title: wording.mentioned(cx.actor.displayName), body: annotation.text.slice(0, 1000),
    link: wording.link(annotation.parentId ?? annotation.id), data: { ...wording.data, annotationId: annotation.parentId ?? annotation.id },
  });
}

/**
 * Annotates (批注) a subject the actor may annotate — a subordinate's schedule entry, a report sent
 * to them — on the whole of it or, for a report, on a passage (`anchor`: the section with a new mark
 * around the selected text). The subject's owner is notified (in the app, and by e-mail / SMS per
 * their preferences and quiet hours), followers of the subject see it live, and an entry's customer
 * feed shows it.
 */
export async function annotationCreator(cx: CommandContext, subject: AnnotationSubject, input: { body: unknown; anchor?: ReportAnchorInput }): Promise<AnnotationEventDTO> {
  const { em: tx, actor } = cx;
  const access = await requireAnnotatorOf(tx, actor, subject);
  const { body, text } = remark(input.body);
  if (input.anchor && subject.kind !== 'report') throw badRequest('Only reports have passages to anchor an annotation to', [{ path: 'anchor', code: 'not_allowed', message: 'passages are a report’s' }]);
  const anchor = input.anchor ? await passageMarker(cx, access.report!, input.anchor) : null;
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO annotations (entry_id, report_id, parent_id, author_id, body, text, section_key, mark_id, quote, created_at)
     VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, now()) RETURNING id::text AS id`,
    [subject.kind === 'entry' ? subject.id : null, subject.kind === 'report' ? subject.id : null, actor.id, JSON.stringify(body), text, anchor?.sectionKey ?? null, anchor?.markId ?? null, anchor?.quote ?? null],
  );
  const annotation = (await annotationEventById(tx, row.id, anchor ? new Map([[anchor.sectionKey, new Map([[anchor.markId, anchor.quote]])]]) : null))!;
  const hooks = subjectHooks[subject.kind];
  const wording = await hooks.wording(cx, access);
  const owner = recipients.users([access.ownerId].filter((id) => id !== actor.id));
  await notify(cx, hooks.audience(access, owner), {
    kind: 'annotation', title: wording.created(actor.displayName), body: text.slice(0, 1000), link: wording.link(annotation.id), data: { ...wording.data, annotationId: annotation.id },
  });
  await mentionedNotifier(cx, access, annotation, wording, owner);
  await hooks.created(cx, access, annotation, wording);
  await hooks.changed(cx, access, annotation, true);
  return annotation;
}

/** The owner (author) or one who may annotate replies under an annotation; everyone else in the thread is notified. */
export async function annotationReplier(cx: CommandContext, annotationId: string, rawBody: unknown): Promise<AnnotationEventDTO> {
  const { em: tx, actor } = cx;
  const access = await requireReplier(tx, actor, annotationId);
  const { body, text } = remark(rawBody);
  const subject = access.subject;
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO annotations (entry_id, report_id, parent_id, author_id, body, text, created_at) VALUES (?, ?, ?, ?, ?, ?, now()) RETURNING id::text AS id`,
    [subject.kind === 'entry' ? subject.id : null, subject.kind === 'report' ? subject.id : null, annotationId, actor.id, JSON.stringify(body), text],
  );
  const reply = (await annotationEventById(tx, row.id))!;
  const hooks = subjectHooks[subject.kind];
  const wording = await hooks.wording(cx, access);
  // Everyone in the thread (the subject's owner and each who wrote in it) but the one replying.
  const thread = recipients.sql(
    `SELECT author_id AS user_id FROM annotations WHERE (id = ? OR parent_id = ?) AND author_id <> ? AND deleted_at IS NULL UNION SELECT ?::bigint WHERE ?::bigint <> ?`,
    [annotationId, annotationId, actor.id, access.ownerId, access.ownerId, actor.id],
  );
  await notify(cx, hooks.audience(access, thread), {
    kind: 'annotation', title: wording.replied(actor.displayName), body: text.slice(0, 1000), link: wording.link(annotationId), data: { ...wording.data, annotationId, replyId: reply.id },
  });
  await mentionedNotifier(cx, access, reply, wording, thread);
  await hooks.changed(cx, access, reply, true);
  return reply;
}

/** The writer changes the text of their annotation or reply. */
export async function annotationEditor(cx: CommandContext, annotationId: string, rawBody: unknown): Promise<AnnotationEventDTO> {
  const access = await requireAnnotationWriter(cx.em, cx.actor, annotationId);
  const { body, text } = remark(rawBody);
  await cx.em.execute(`UPDATE annotations SET body = ?, text = ?, edited_at = now() WHERE id = ?`, [JSON.stringify(body), text, annotationId]);
  const annotation = (await annotationEventById(cx.em, annotationId))!;
  await subjectHooks[access.subject.kind].changed(cx, access, annotation, false);
  return annotation;
}

/**
 * The writer deletes their annotation or reply. An annotation with replies stays as a placeholder
 * (without its text) so that the thread keeps its context; a passage's mark goes with it.
 */
export async function annotationDeleter(cx: CommandContext, annotationId: string): Promise<AnnotationEventDTO> {
  const access = await requireAnnotationWriter(cx.em, cx.actor, annotationId);
  await cx.em.execute(`UPDATE annotations SET deleted_at = now(), body = NULL, text = '' WHERE id = ?`, [annotationId]);
  if (access.markId && access.sectionKey) await passageUnmarker(cx, access.subject.id, access.sectionKey, access.markId);
  const annotation = (await annotationEventById(cx.em, annotationId))!;
  await subjectHooks[access.subject.kind].changed(cx, access, annotation, false);
  return annotation;
}

/** The owner of the subject marks an annotation resolved, or open again. */
export async function annotationResolver(cx: CommandContext, annotationId: string, resolved: boolean): Promise<AnnotationEventDTO> {
  const access = await requireResolver(cx.em, cx.actor, annotationId);
  const [row] = await cx.em.execute<{ resolved: boolean }[]>(`SELECT resolved_at IS NOT NULL AS resolved FROM annotations WHERE id = ? FOR UPDATE`, [annotationId]);
  if (row.resolved === resolved) throw conflict(resolved ? 'The annotation is resolved already' : 'The annotation is open already');
  await cx.em.execute(`UPDATE annotations SET resolved_at = ${resolved ? 'now()' : 'NULL'}, resolved_by_id = ? WHERE id = ?`, [resolved ? cx.actor.id : null, annotationId]);
  const annotation = (await annotationEventById(cx.em, annotationId))!;
  await subjectHooks[access.subject.kind].changed(cx, access, annotation, false);
  return annotation;
}
