import type { EntityManager } from '@mikro-orm/postgresql';
import type { MessageDTO } from '../../../shared/chat.js';
import { conversationStream } from '../../../shared/chat.js';
import { loadMessage } from '../../presenters/message.js';
import { appendStreamEvent } from '../../realtime/streams.js';
import type { PendingEvents } from '../transaction.js';

/** Records a member change as a system message in the conversation and pushes it like any message. */
export async function systemMessageCreator(tx: EntityManager, events: PendingEvents, conversationId: string, system: NonNullable<MessageDTO['system']>): Promise<MessageDTO> {
  const [row] = await tx.execute<{ id: string }[]>(
    `INSERT INTO messages (conversation_id, kind, text, system, created_at) VALUES (?, 'system', '', ?, now()) RETURNING id::text AS id`,
    [conversationId, JSON.stringify(system)],
  );
  await tx.execute(`UPDATE conversations SET last_message_id = ?, last_message_at = now() WHERE id = ?`, [row.id, conversationId]);
  const message = (await loadMessage(tx, row.id))!;
  events.push(await appendStreamEvent(tx, conversationStream(conversationId), 'message.created', { message }));
  return message;
}
