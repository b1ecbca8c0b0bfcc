import { useEffect, useState } from 'react';
import type { MessageDTO } from '../../../../shared/chat';
import { useI18n } from '../../i18n';
import { Link } from '../../app/router';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Icon } from '../../ui/icons';
import { Composer } from './Composer';
import { useChatState, useChatStore } from './ChatProvider';
import { conversationTitle } from './conversationTitle';
import { GroupSettings } from './GroupSettings';
import { MessageList } from './MessageList';
import { TypingIndicator } from './TypingIndicator';

/** One conversation: header, history with live messages, typing indicator and the composer. */
export function ConversationView({ conversationId, focusId }: { conversationId: string; focusId?: string | null }) {
  const { t } = useI18n();
  const store = useChatStore();
  const state = useChatState();
  const conversation = state.conversations[conversationId];
  const [replyTo, setReplyTo] = useState<MessageDTO | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [missing, setMissing] = useState<unknown>(null);
  const exists = !!conversation;
  const lookUp = state.status === 'ready' && !exists && !state.gone[conversationId];

  useEffect(() => {
    if (exists) store.openThread(conversationId);
  }, [store, conversationId, exists]);

  useEffect(() => {
    if (lookUp) store.fetchConversation(conversationId).catch(setMissing);
  }, [store, conversationId, lookUp]);

  // Leaving the view ends "typing" at once rather than after the idle timeout.
  useEffect(() => () => store.typing.stop(conversationId), [store, conversationId]);

  if (!conversation) {
    if (state.gone[conversationId]) return <p className="notice chat-gone" data-testid="conversation-gone">{t('chat.gone')}</p>;
    if (missing || state.status === 'error') return <ErrorNotice error={missing ?? state.error} testId="conversation-missing" />;
    return <p className="muted chat-hint">{t('app.loading')}</p>;
  }

  const thread = state.threads[conversationId];
  return (
    <div className="conversation-view" data-testid="conversation-view" data-conversation-id={conversationId}>
      <header className="conversation-header">
        <Link to="/chat" className="conversation-back narrow-only" data-testid="conversation-back" aria-label={t('mobile.backToConversations')}>
          <Icon name="back" />
        </Link>
        <h1 data-testid="conversation-heading">{conversationTitle(conversation, t)}</h1>
        {conversation.kind === 'group' && (
          <>
            <span className="muted">{t('chat.memberCount', { count: conversation.memberCount })}</span>
            <button type="button" className="button-quiet" data-testid="group-settings-toggle" aria-expanded={settingsOpen} onClick={() => setSettingsOpen((v) => !v)}>
              {t('chat.settings')}
            </button>
          </>
        )}
      </header>
      <div className="conversation-body">
        <div className="conversation-thread">
          {thread?.status === 'error' && <ErrorNotice error={thread.error} testId="history-error" />}
          <MessageList conversation={conversation} onReply={setReplyTo} focusId={focusId} />
          <TypingIndicator conversationId={conversationId} />
          <Composer key={conversationId} conversationId={conversationId} replyTo={replyTo} onCancelReply={() => setReplyTo(null)} />
        </div>
        {settingsOpen && conversation.kind === 'group' && <GroupSettings conversation={conversation} onClose={() => setSettingsOpen(false)} />}
      </div>
    </div>
  );
}
