import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnotationDTO } from '../../../shared/schedule.js';
import { notFound } from '../../errors.js';
import { parseRichText, richTextToPlainText } from '../../editor/index.js';
import { requireAnnotationReplier, requireAnnotator } from '../../policies/schedule.js';
import { annotationById } from '../../queries/annotations.js';
import { feedItemAppender } from '../customers/feed.js';
import type { CommandContext } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients } from '../notifications/recipients.js';

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
export async function annotationCreator(cx: CommandContext, entryId: string, rawBody: unknown): Promise<AnnotationDTO> {
  const { em: tx, actor } = cx;
  const entry = await requireAnnotator(tx, actor, entryId);
  const annotation = await insertAnnotation(tx, entryId, null, actor.id, rawBody);
  const title = await entryTitle(tx, entryId);
  await notify(cx, recipients.users([entry.ownerId]), {
    kind: 'annotation', title: `${actor.displayName} annotated “${title}”`, body: annotation.text.slice(0, 1000),
    link: `/schedule/entries/${entryId}`, data: { entryId, annotationId: annotation.id },
  });
  if (entry.customerId) {
    await feedItemAppender(cx, { customerId: entry.customerId, kind: 'annotation', actorId: actor.id, entryId, body: annotation.body, text: annotation.text, data: { annotationId: annotation.id, entryTitle: title } });
  }
  return annotation;
}

/** The owner or a superior of the owner replies under an annotation; everyone else in the thread is notified. */
export async function annotationReplier(cx: CommandContext, annotationId: string, rawBody: unknown): Promise<AnnotationDTO> {
  const { em: tx, actor } = cx;
  const { entryId, ownerId } = await requireAnnotationReplier(tx, actor, annotationId);
  const reply = await insertAnnotation(tx, entryId, annotationId, actor.id, rawBody);
  const title = await entryTitle(tx, entryId);
  // Everyone in the thread (the entry's owner and each who wrote in it) but the one replying.
  await notify(
    cx,
    recipients.sql(`SELECT author_id AS user_id FROM annotations WHERE (id = ? OR parent_id = ?) AND author_id <> ? UNION SELECT ?::bigint WHERE ?::bigint <> ?`, [annotationId, annotationId, actor.id, ownerId, ownerId, actor.id]),
    {
      kind: 'annotation', title: `${actor.displayName} replied to an annotation on “${title}”`, body: reply.text.slice(0, 1000),
      link: `/schedule/entries/${entryId}`, data: { entryId, annotationId, replyId: reply.id },
    },
  );
  return reply;
}
