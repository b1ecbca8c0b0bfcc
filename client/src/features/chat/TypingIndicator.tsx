import { useI18n } from '../../i18n';
import { useChatState } from './ChatProvider';

/** "Li Lei is typing…" for the other members typing in this conversation right now. */
export function TypingIndicator({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const state = useChatState();
  const typing = Object.keys(state.typing[conversationId] ?? {});
  const names = typing.map((id) => state.names[id] ?? t('chat.someone'));
  return (
    <div className="typing-indicator muted" data-testid="typing-indicator" data-user-ids={typing.join(',')} aria-live="polite">
      {names.length === 0 ? '\u00a0' : names.length > 3 ? t('chat.typingMany', { count: names.length }) : t('chat.typing', { names: names.join(t('common.listSeparator')) })}
    </div>
  );
}
