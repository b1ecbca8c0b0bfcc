import { useI18n } from '../../i18n';
import { Link } from '../../app/router';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { sortedConversations } from './chatState';
import { useChatState, useChatStore } from './ChatProvider';
import { conversationTitle } from './conversationTitle';
import { messagePreview } from './systemText';

/** The user's conversations, newest activity first, with unread badges and the last message. */
export function ConversationList({ activeId, onOpen }: { activeId: string | null; onOpen: () => void }) {
  const { t, formatDateTime } = useI18n();
  const state = useChatState();
  const store = useChatStore();
  const me = useMe();
  const conversations = sortedConversations(state);

  if (state.status === 'error' && conversations.length === 0) {
    return (
      <div className="chat-list-error">
        <ErrorNotice error={state.error} testId="conversation-list-error" />
        <button type="button" className="link-button" onClick={() => void store.loadList()}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (state.status === 'loading' && conversations.length === 0) return <p className="muted chat-hint">{t('app.loading')}</p>;
  if (conversations.length === 0) return <p className="muted chat-hint" data-testid="conversation-list-empty">{t('chat.noConversations')}</p>;

  return (
    <ul className="conversation-list" data-testid="conversation-list">
      {conversations.map((c) => (
        <li key={c.id}>
          <Link
            to={`/chat/${c.id}`}
            onClick={onOpen}
            className={c.id === activeId ? 'conversation-item active' : 'conversation-item'}
            data-testid="conversation-item"
            data-conversation-id={c.id}
            data-unread={c.unreadCount}
            aria-current={c.id === activeId ? 'page' : undefined}
          >
            <span className="conversation-item-head">
              <span className="conversation-item-title" data-testid="conversation-title">
                {conversationTitle(c, t)}
              </span>
              <time className="conversation-item-time" dateTime={c.lastMessageAt}>
                {formatDateTime(c.lastMessageAt, me.timeZone)}
              </time>
            </span>
            <span className="conversation-item-foot">
              <span className="conversation-item-preview" data-testid="conversation-preview">
                {c.lastMessage ? messagePreview(c.lastMessage, state.names, t, c.kind === 'group') : t('chat.noMessages')}
              </span>
              {c.unreadCount > 0 && (
                <span className="unread-badge" data-testid="unread-badge" data-count={c.unreadCount} aria-label={t('chat.unread', { count: c.unreadCount })}>
                  {c.unreadCount > 99 ? '99+' : c.unreadCount}
                </span>
              )}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
