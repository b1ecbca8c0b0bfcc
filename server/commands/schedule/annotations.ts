import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnnotationDTO } from '../../../shared/schedule.js';
import { notFound } from '../../errors.js';
import { extractMentionedUserIds, parseRichText, richTextToPlainText, type RichTextDocument } from '../../editor/index.js';
import { pgArray } from '../../db/sql.js';
import { entryAudienceSql, requireAnnotationReplier, requireAnnotator } from '../../policies/schedule.js';
import { annotationById } from '../../queries/annotations.js';
import { feedItemAppender } from '../customers/feed.js';
import type { CommandContext } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients, type Recipients } from '../notifications/recipients.js';

async function insertAnnotation(tx: EntityManager, entryId: string, parentId: string | null, authorId: string, rawBody: unknown) {
  const body = parseRichText(rawBody);
  const text = richTextToPlainText(body);
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO annotations (entry_id, parent_id, author_id, body, text, created_at) VALUES (?, ?, ?, ?, ?, now()) RETURNING id::text AS id`,
    [entryId, parentId, authorId, JSON.stringify(body), text],
  );
  return (await annotationById(tx, row.id))!;
}

/**
 * Notifies the people an annotation mentions who may see the entry (a mention never shows an entry
 * to anyone else) and are not told of it anyway (`alreadyTold`: the owner, the thread), in one notify.
 */
async function notifyMentioned(cx: CommandContext, entryId: string, title: string, annotation: AnnotationDTO, alreadyTold: Recipients) {
  const mentioned = extractMentionedUserIds(annotation.body as unknown as RichTextDocument).filter((id) => id !== cx.actor!.id);
  if (!mentioned.length) return;
  await notify(
    cx,
    recipients.sql(
      `SELECT u.id AS user_id FROM users u JOIN schedule_entries e ON e.id = ? WHERE u.id = ANY(?::bigint[]) AND ${entryAudienceSql('u', 'e')}
       AND u.id NOT IN (SELECT user_id FROM (${alreadyTold.sql}) told)`,
      [entryId, pgArray(mentioned), ...alreadyTold.params],
    ),
    {
      kind: 'mention', title: `${cx.actor!.displayName} mentioned you on “${title}”`, body: annotation.text.slice(0, 1000),
      link: `/schedule/entries/${entryId}`, data: { entryId, annotationId: annotation.parentId ?? annotation.id },
    },
  );
}

const entryTitle = async (tx: EntityManager, entryId: string) => ((await tx.execute<{ title: string }[]>(`SELECT title FROM schedule_entries WHERE id = ?`, [entryId]))[0]).title;

/**
 * A superior annotates (批注) an entry they can see: the owner gets a system notification
 * (in the app, and by e-mail / SMS per their preferences), and a customer's feed shows it; the
 * people it mentions who may see the entry get a mention notification.
 */
export async function annotationCreator(cx: CommandContext, entryId: string, rawBody: unknown): Promise<AnnotationDTO> {
  const { em: tx, actor } = cx;
  const entry = await requireAnnotator(tx, actor, entryId);
  const annotation = await insertAnnotation(tx, entryId, null, actor.id, rawBody);
  const title = await entryTitle(tx, entryId);
  const owner = recipients.users([entry.ownerId]);
  await notify(cx, owner, {
    kind: 'annotation', title: `${actor.displayName} annotated “${title}”`, body: annotation.text.slice(0, 1000),
    link: `/schedule/entries/${entryId}`, data: { entryId, annotationId: annotation.id },
  });
  await notifyMentioned(cx, entryId, title, annotation, owner);
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
  const thread = recipients.sql(`SELECT author_id AS user_id FROM annotations WHERE (id = ? OR parent_id = ?) AND author_id <> ? UNION SELECT ?::bigint WHERE ?::bigint <> ?`, [annotationId, annotationId, actor.id, ownerId, ownerId, actor.id]);
  await notify(cx, thread, {
    kind: 'annotation', title: `${actor.displayName} replied to an annotation on “${title}”`, body: reply.text.slice(0, 1000),
    link: `/schedule/entries/${entryId}`, data: { entryId, annotationId, replyId: reply.id },
  });
  await notifyMentioned(cx, entryId, title, reply, thread);
  return reply;
}
