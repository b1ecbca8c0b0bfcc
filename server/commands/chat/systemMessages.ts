import type { MessageDTO } from '../../../shared/chat.js';
import { conversationStream } from '../../../shared/chat.js';
import type { User } from '../../entities/User.js';
import { loadMessage } from '../../queries/chat.js';
import { appendEvent, type CommandContext } from '../context.js';

/** Records a member change as a system message in the conversation and pushes it like any message. */
export async function systemMessageCreator(cx: CommandContext<User | null>, conversationId: string, system: NonNullable<MessageDTO['system']>): Promise<MessageDTO> {
  const [row] = await cx.em.execute<{ id: string }[]>(
    `INSERT INTO messages (conversation_id, kind, text, system, created_at) VALUES (?, 'system', '', ?, now()) RETURNING id::text AS id`,
    [conversationId, JSON.stringify(system)],
  );
  await cx.em.execute(`UPDATE conversations SET last_message_id = ?, last_message_at = now() WHERE id = ?`, [row.id, conversationId]);
  const message = (await loadMessage(cx.em, row.id))!;
  await appendEvent(cx, conversationStream(conversationId), 'message.created', { message });
  return message;
}
