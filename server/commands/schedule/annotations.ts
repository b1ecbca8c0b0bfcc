import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnotationDTO } from '../../../shared/schedule.js';
import type { User } from '../../entities/User.js';
import { forbidden, notFound } from '../../errors.js';
import { parseRichText, richTextToPlainText } from '../../editor/index.js';
import { isSuperiorOf } from '../../policies/hierarchy.js';
import { requireAnnotator, requireVisibleEntry } from '../../policies/schedule.js';
import { annotationById } from '../../queries/annotations.js';
import { feedItemAppender } from '../customers/feed.js';
import { notificationCreator } from '../notifications.js';
import type { PendingEvents } from '../transaction.js';

async function insertAnnotation(tx: EntityManager, entryId: string, parentId: string | null, authorId: string, rawBody: unknown) {
  const body = parseRichText(rawBody);
  const text = richTextToPlainText(body);
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO annotations (entry_id, parent_id, author_id, body, text, created_at) VALUES (?, ?, ?, ?, ?, now()) RETURNING id::text AS id`,
    [entryId, parentId, authorId, JSON.stringify(body), text],
  );
  return (await annotationById(tx, row.id))!;
}

const entryTitle = async (tx: EntityManager, entryId: string) => ((await tx.execute<{ title: string }[]>(`SELECT title FROM schedule_entries WHERE id = ?`, [entryId]))[0]).title;

/**
 * A superior annotates (批注) an entry they can see: the owner gets a system notification
 * (in the app, and by e-mail / SMS per their preferences), and a customer's feed shows it.
 */
export async function annotationCreator(tx: EntityManager, events: PendingEvents, actor: User, entryId: string, rawBody: unknown): Promise<AnnotationDTO> {
  const entry = await requireAnnotator(tx, actor, entryId);
  const annotation = await insertAnnotation(tx, entryId, null, actor.id, rawBody);
  const title = await entryTitle(tx, entryId);
  await notificationCreator(tx, events, {
    recipientId: entry.ownerId, kind: 'annotation', title: `${actor.displayName} annotated “${title}”`, body: annotation.text.slice(0, 1000),
    link: `/schedule/entries/${entryId}`, data: { entryId, annotationId: annotation.id },
  });
  if (entry.customerId) {
    await feedItemAppender(tx, events, { customerId: entry.customerId, kind: 'annotation', actorId: actor.id, entryId, body: annotation.body, text: annotation.text, data: { annotationId: annotation.id, entryTitle: title } });
  }
  return annotation;
}

/** The owner or a superior of the owner replies under an annotation; everyone else in the thread is notified. */
export async function annotationReplier(tx: EntityManager, events: PendingEvents, actor: User, annotationId: string, rawBody: unknown): Promise<AnnotationDTO> {
  const [parent] = await tx.execute<{ entry_id: string; parent_id: string | null }[]>(`SELECT entry_id::text AS entry_id, parent_id FROM annotations WHERE id = ?`, [annotationId]);
  if (!parent) throw notFound('The annotation');
  const entry = await requireVisibleEntry(tx, actor, String(parent.entry_id)).catch(() => {
    throw notFound('The annotation');
  });
  if (parent.parent_id) throw notFound('The annotation');
  if (entry.ownerId !== actor.id && !(await isSuperiorOf(tx, actor.id, entry.ownerId))) throw forbidden('Only the owner of the entry and their superiors may reply to an annotation');
  const reply = await insertAnnotation(tx, String(parent.entry_id), annotationId, actor.id, rawBody);
  const participants = await tx.execute<{ id: string }[]>(
    `SELECT DISTINCT author_id::text AS id FROM annotations WHERE id = ? OR parent_id = ? UNION SELECT ?::bigint::text`,
    [annotationId, annotationId, entry.ownerId],
  );
  const title = await entryTitle(tx, String(parent.entry_id));
  for (const { id } of participants) {
    if (String(id) === actor.id) continue;
    await notificationCreator(tx, events, {
      recipientId: String(id), kind: 'annotation', title: `${actor.displayName} replied to an annotation on “${title}”`, body: reply.text.slice(0, 1000),
      link: `/schedule/entries/${parent.entry_id}`, data: { entryId: String(parent.entry_id), annotationId, replyId: reply.id },
    });
  }
  return reply;
}
