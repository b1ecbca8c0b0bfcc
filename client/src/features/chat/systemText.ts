import type { MessageDTO } from '../../../../shared/chat';
import type { Translate } from '../../i18n';
import { filesLine } from '../../../../shared/files';

/** Names of users, falling back to a neutral word for people never seen (e.g. long-gone members). */
function names(ids: string[] | undefined, known: Record<string, string>, t: Translate): string {
  return (ids ?? []).map((id) => known[id] ?? t('chat.someone')).join(t('common.listSeparator'));
}

/** The sentence a system message shows, e.g. "Li Lei added Han Meimei". */
export function systemText(message: MessageDTO, known: Record<string, string>, t: Translate): string {
  const system = message.system;
  if (!system) return '';
  const actor = known[system.actorId] ?? t('chat.someone');
  const users = names(system.userIds, known, t);
  switch (system.action) {
    case 'created':
      return t('chat.system.created', { actor, name: system.name ?? '' });
    case 'added':
      return t('chat.system.added', { actor, users });
    case 'removed':
      return t('chat.system.removed', { actor, users });
    case 'left':
      return t('chat.system.left', { actor });
    case 'renamed':
      return t('chat.system.renamed', { actor, name: system.name ?? '' });
    case 'ownerChanged':
      return t('chat.system.ownerChanged', { users });
  }
}

/** A text message's words on one line; a message of only files (a pasted photo) is named by them: "[图片] 合同.jpg". */
export function messageLine(message: MessageDTO, t: Translate): string {
  if (message.text.trim() || !message.attachments?.length) return message.text.replace(/\s+/g, ' ');
  return filesLine(message.attachments, { image: t('files.line.image'), file: t('files.line.file') });
}

/** One line about a message for the conversation list. */
export function messagePreview(message: MessageDTO, known: Record<string, string>, t: Translate, withAuthor: boolean): string {
  if (message.kind === 'system') return systemText(message, known, t);
  const text = message.deletedAt ? t('chat.messageDeleted') : messageLine(message, t);
  return withAuthor && message.author ? t('chat.previewWithAuthor', { author: message.author.displayName, text }) : text;
}
