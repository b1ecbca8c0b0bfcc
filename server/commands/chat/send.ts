import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageDTO } from '../../../shared/chat.js';
import { extractMentionedUserIds, MENTION_EVERYONE_NAME, mentionsEveryone } from '../../../shared/richText/index.js';
import { parseRichText, richTextToPlainText } from '../../editor/index.js';
import { badRequest, notFound } from '../../errors.js';
import { pgArray } from '../../db/sql.js';
import { requireMayMentionEveryone, requireMemberRow } from '../../policies/conversation.js';
import type { RunCommand } from '../context.js';
import { notify } from '../notifications/notify.js';
import { filesAttacher, requireOwnUploads } from '../files/files.js';
import { recipients } from '../notifications/recipients.js';
import { storeMessages, type MessageDraft, type MessageSendQueue, type SendResult } from './sendQueue.js';

export type SendInput = { conversationId: string; clientId: string; body: Record<string, unknown>; replyToId?: string | null; attachmentIds?: string[] };

/**
 * Parses and checks a message body; a body without any text is refused. A mention of everyone is
 * kept as such: whether its writer may use it is the caller's check (requireMayMentionEveryone).
 */
export function parseMessageBody(body: unknown, options: { allowEmpty?: boolean } = {}) {
  const doc = parseRichText(body, {}, { mentionEveryone: true });
  const text = richTextToPlainText(doc).trim();
  if (!text && !options.allowEmpty) throw badRequest('A message cannot be empty', [{ path: 'body', message: 'has no text', code: 'empty' }]);
  return { doc, text };
}

/**
 * Stores a message and pushes it to the conversation. Idempotent on the client-generated id: a
 * retried send (even a concurrent one) returns the stored message and appends nothing.
 *
 * Sending is the hottest write of the product, and on a loaded server each database round trip
 * costs more CPU (system calls and context switches on either side) than the rest of the send. So
 * a plain message is presented here, before it has an id or an author — the quoted message is read
 * first (messages never move between conversations, so that read needs no transaction) — and
 * stored by the process's send queue in one statement with the sends that arrived meanwhile (see
 * MessageSendQueue); that statement also checks that the sender is active (and, for a socket's send,
 * that its session is still valid: `sessionId`) and reads their name.
 * A message that mentions someone also creates notifications, so it takes a transaction of its
 * own; mentions are the rare case. A mention of everyone (@所有人), which only a group's owners
 * and admins may write (403 for anyone else, and nothing is stored), notifies every other member
 * once, together with those mentioned by name, in one set-based `notify`.
 */
export async function messageSender(deps: { em: EntityManager; run: RunCommand; sendQueue: MessageSendQueue; sessionId?: string }, senderId: string, input: SendInput): Promise<SendResult> {
  const { em, run, sendQueue, sessionId } = deps;
  const attachmentIds = input.attachmentIds ?? [];
  // A message may be only files (a pasted photo); its text is then empty.
  const { doc, text } = parseMessageBody(input.body, { allowEmpty: attachmentIds.length > 0 });
  const replyTo = input.replyToId ? await quotedMessage(em, senderId, input.conversationId, input.replyToId) : null;
  const mentioned = extractMentionedUserIds(doc).filter((id) => id !== senderId);
  const draft: MessageDraft = {
    conversationId: input.conversationId,
    clientId: input.clientId,
    kind: 'text',
    authorId: senderId,
    body: doc,
    text,
    replyTo,
    mentions: [],
    system: null,
    createdAt: new Date().toISOString(),
    editedAt: null,
    deletedAt: null,
  };
  const everyone = mentionsEveryone(doc);
  if (mentioned.length === 0 && !everyone && attachmentIds.length === 0) return sendQueue.send({ draft, sessionId });
  // Mentions and files take a transaction of their own: the files are checked (one's own uploads) and linked with the message.
  const result = await run(async (cx) => {
    const tx = cx.em;
    const membership = await requireMemberRow(tx, input.conversationId, senderId);
    if (everyone) requireMayMentionEveryone(membership);
    if (attachmentIds.length) draft.attachments = await requireOwnUploads(cx, attachmentIds, 'attachmentIds');
    draft.mentions = (
      await tx.execute<{ user_id: string }[]>(`SELECT user_id::text AS user_id FROM conversation_members WHERE conversation_id = ? AND user_id = ANY(?::bigint[])`, [
        input.conversationId,
        pgArray(mentioned),
      ])
    ).map((r) => r.user_id);
    const [outcome] = await storeMessages(tx, cx.events, [{ draft, sessionId }]);
    if ('error' in outcome) throw outcome.error;
    const { message, created } = outcome.result;
    if (!created) return outcome.result;
    if (attachmentIds.length) await filesAttacher(cx, 'message', message.id, attachmentIds, 'attachmentIds');
    if (mentioned.length === 0 && !everyone) return outcome.result;
    const senderName = message.author!.displayName;
    const where = membership.name ?? senderName;
    const to = everyone
      ? recipients.sql(`SELECT user_id FROM conversation_members WHERE conversation_id = ? AND user_id <> ?`, [input.conversationId, senderId])
      : recipients.users(message.mentions);
    await notify(cx, to, {
      kind: 'mention',
      title: everyone ? `${senderName} @${MENTION_EVERYONE_NAME} · ${where}` : `${senderName} @${where}`.trim(),
      body: text.slice(0, 500),
      link: `/chat/${input.conversationId}?message=${message.id}`,
      data: { conversationId: input.conversationId, messageId: message.id, ...(everyone ? { everyone: true } : {}) },
    });
    return outcome.result;
  });
  if (result.created) await sendQueue.stored(result.message);
  return result;
}

/**
 * The quoted message as a reply shows it; it must be in the same conversation. Membership is
 * checked first, so that a non-member cannot learn which messages a conversation holds.
 */
async function quotedMessage(em: EntityManager, senderId: string, conversationId: string, messageId: string): Promise<MessageDTO['replyTo']> {
  const [row] = await em.execute<{ is_member: boolean; conversation_id: string | null; text: string | null; deleted_at: Date | null; author_name: string | null }[]>(
    `SELECT EXISTS (SELECT 1 FROM conversation_members WHERE conversation_id = ? AND user_id = ?) AS is_member,
            r.conversation_id::text AS conversation_id, r.text, r.deleted_at, a.display_name AS author_name
     FROM (SELECT 1) one LEFT JOIN messages r ON r.id = ? LEFT JOIN users a ON a.id = r.author_id`,
    [conversationId, senderId, messageId],
  );
  if (!row.is_member) throw notFound('The conversation');
  if (row.conversation_id !== conversationId) {
    throw badRequest('The message replied to is not in this conversation', [{ path: 'replyToId', message: 'not a message of this conversation', code: 'not_in_conversation' }]);
  }
  return { id: messageId, authorName: row.author_name, text: row.deleted_at ? '' : (row.text ?? '').slice(0, 200), deleted: !!row.deleted_at };
}
