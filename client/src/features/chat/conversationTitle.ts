import type { ConversationDTO } from '../../../../shared/chat';
import type { Translate } from '../../i18n';

/** A conversation's visible name: the group's name, or the other person of a direct chat. */
export function conversationTitle(conversation: ConversationDTO, t: Translate): string {
  if (conversation.kind === 'group') return conversation.name ?? t('chat.unnamedGroup');
  return conversation.peer?.displayName ?? t('chat.someone');
}
