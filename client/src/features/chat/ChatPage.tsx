import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { navigate, useLocation } from '../../app/router';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useChatStore } from './ChatProvider';
import { useNarrow } from '../../ui/useNarrow';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { NewConversationPanel } from './NewConversationPanel';
import './chat.css';

/**
 * `/chat` and `/chat/:id`: the conversation list beside the open conversation (or a start panel).
 * On a phone one pane at a time: the list at `/chat`, the conversation (with a way back) at `/chat/:id`.
 */
export function ChatPage() {
  const { t } = useI18n();
  const { pathname, search } = useLocation();
  const narrow = useNarrow();
  const id = /^\/chat\/(\d+)\/?$/.exec(pathname)?.[1] ?? null;
  const [panel, setPanel] = useState<'direct' | 'group' | null>(null);
  // `/chat?direct=<user id>` (a person found by search) opens the direct conversation with them.
  const store = useChatStore();
  const direct = id ? null : search.get('direct');
  const [directError, setDirectError] = useState<unknown>(null);
  useEffect(() => {
    if (!direct) return;
    store.openDirect(direct).then((c) => navigate(`/chat/${c.id}`, { replace: true }), setDirectError);
  }, [direct, store]);
  const showing = panel ? 'panel' : id ? 'conversation' : 'list';

  return (
    <section className={narrow ? `chat-page chat-narrow chat-showing-${showing}` : 'chat-page'} data-testid="chat-page" data-showing={showing}>
      <aside className="chat-sidebar">
        <div className="chat-sidebar-tools">
          <button type="button" className="button-quiet" data-testid="chat-new-direct" onClick={() => setPanel('direct')}>
            {t('chat.newDirect')}
          </button>
          <button type="button" className="button-quiet" data-testid="chat-new-group" onClick={() => setPanel('group')}>
            {t('chat.newGroup')}
          </button>
        </div>
        <ConversationList activeId={panel ? null : id} onOpen={() => setPanel(null)} />
      </aside>
      <div className="chat-main">
        {panel ? (
          <>
            <button type="button" className="button-quiet narrow-only chat-panel-back" data-testid="chat-panel-back" onClick={() => setPanel(null)}>
              {t('mobile.backToConversations')}
            </button>
            <NewConversationPanel kind={panel} onDone={() => setPanel(null)} />
          </>
        ) : id ? (
          <ConversationView key={id} conversationId={id} focusId={search.get('message')} />
        ) : (
          <>
            {directError ? <ErrorNotice error={directError} /> : null}
            <p className="muted chat-empty" data-testid="chat-empty">
              {t('chat.pickConversation')}
            </p>
          </>
        )}
      </div>
    </section>
  );
}
