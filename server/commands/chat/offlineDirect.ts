import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { MessageDTO } from '../../../shared/chat.js';
import { filesLine } from '../../../shared/files.js';
import type { RealtimeEmitter } from '../../realtime/emitter.js';
import { lockFor } from '../../db/sql.js';
import type { CommandRunner } from '../context.js';
import { notify } from '../notifications/notify.js';
import { recipients } from '../notifications/recipients.js';

const MAX_CACHED_CONVERSATIONS = 10_000;

/**
 * A direct message to someone with no device connected becomes a notification of kind
 * `direct_message` — in the app, and by e-mail / SMS as their preferences say — so that it is not
 * missed until they next open Huitong. While such a notification of a conversation is unread,
 * later messages there add no more: one e-mail says "you have messages from …", not one per line.
 * Runs after the message was stored and before the sender's acknowledgement (see
 * MessageSendQueue.onStored); a failure is logged, the message is stored regardless.
 */
export class OfflineDirectNotifier {
  /** The two members of a direct conversation, null for a group. Neither ever changes. */
  private readonly members = new Map<string, [string, string] | null>();

  constructor(
    private readonly orm: MikroORM,
    private readonly emitter: RealtimeEmitter,
    private readonly runner: CommandRunner,
    private readonly logger: Logger,
  ) {}

  async messageStored(message: MessageDTO): Promise<void> {
    try {
      if (message.kind !== 'text' || !message.author) return;
      const members = await this.directMembers(message.conversationId);
      const recipientId = members?.find((id) => id !== message.author!.id);
      // A mention of them already notified them.
      if (!recipientId || message.mentions.includes(recipientId) || (await this.emitter.isOnline(recipientId))) return;
      await this.runner.run(this.orm.em.fork(), null, async (cx) => {
        const tx = cx.em;
        // Serialises notifiers of one recipient and conversation, so that two messages cannot both see "none unread".
        await lockFor(tx, `direct-notice:${recipientId}:${message.conversationId}`);
        const [unread] = await tx.execute(
          `SELECT 1 FROM notifications WHERE recipient_id = ? AND kind = 'direct_message' AND read_at IS NULL AND data->>'conversationId' = ? LIMIT 1`,
          [recipientId, message.conversationId],
        );
        if (unread) return;
        await notify(cx, recipients.users([recipientId]), {
          kind: 'direct_message',
          title: message.author!.displayName,
          // A message of only files (a pasted photo) names them: "[Image] 合同.jpg", in the server's notification language.
          body: (message.text || filesLine(message.attachments ?? [], { image: 'Image', file: 'File' })).slice(0, 500),
          link: `/chat/${message.conversationId}?message=${message.id}`,
          data: { conversationId: message.conversationId, messageId: message.id },
        });
      });
    } catch (error) {
      this.logger.warn({ err: error, messageId: message.id }, 'could not notify an offline recipient of a direct message');
    }
  }

  private async directMembers(conversationId: string): Promise<[string, string] | null> {
    if (this.members.has(conversationId)) return this.members.get(conversationId)!;
    const rows = await this.orm.em
      .fork()
      .execute<{ kind: string; user_id: string }[]>(
        `SELECT c.kind, cm.user_id::text AS user_id FROM conversations c JOIN conversation_members cm ON cm.conversation_id = c.id WHERE c.id = ?`,
        [conversationId],
      );
    const members = rows[0]?.kind === 'direct' && rows.length === 2 ? ([rows[0].user_id, rows[1].user_id] as [string, string]) : null;
    if (this.members.size >= MAX_CACHED_CONVERSATIONS) this.members.clear();
    this.members.set(conversationId, members);
    return members;
  }
}
