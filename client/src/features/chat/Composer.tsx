import { useMemo, useState, type KeyboardEvent } from 'react';
import type { MessageDTO } from '../../../../shared/chat';
import { emptyDocument, isRichTextEmpty } from '../../../../shared/richText/document';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { RichTextEditor, type MentionCandidate } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { useOfflineCopy } from '../../pwa/offlineCopy';
import { useChatState, useChatStore } from './ChatProvider';
import { useEditorLabels } from './useEditorLabels';

type Props = { conversationId: string; replyTo: MessageDTO | null; onCancelReply: () => void };

/**
 * Writes a message: rich text with @mentions of the members, an optional quoted reply. Enter
 * sends (Shift+Enter is a new line); sending never waits for the network, the message shows as
 * pending at once and the outbox delivers it.
 */
export function Composer({ conversationId, replyTo, onCancelReply }: Props) {
  const { t } = useI18n();
  const store = useChatStore();
  const state = useChatState();
  const labels = useEditorLabels();
  const [draft, setDraft] = useState<RichTextDocument>(emptyDocument);
  // Remounting the editor is how it is cleared (its initial value is read once).
  const [editorKey, setEditorKey] = useState(0);
  const members = state.members[conversationId];
  const candidates = useMemo<MentionCandidate[]>(
    () => (members?.list ?? []).filter((m) => m.id !== store.me).map((m) => ({ userId: m.id, name: m.displayName, detail: m.email })),
    [members, store.me],
  );
  const empty = isRichTextEmpty(draft);
  // Showing the saved copy without a server: read-only, rather than queueing into a conversation that may have moved on.
  const offline = useOfflineCopy();

  const send = () => {
    if (empty) return;
    store.send(conversationId, draft, replyTo);
    setDraft(emptyDocument());
    setEditorKey((k) => k + 1);
    onCancelReply();
  };

  const change = (doc: RichTextDocument) => {
    setDraft(doc);
    if (isRichTextEmpty(doc)) store.typing.stop(conversationId);
    else store.typing.typed(conversationId);
  };

  const onKeyDownCapture = (event: KeyboardEvent<HTMLDivElement>) => {
    // Enter picks a person while the @ list is open, and confirms an IME candidate while composing.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing || document.querySelector('.rt-mention-menu')) return;
    event.preventDefault();
    event.stopPropagation();
    send();
  };

  if (offline) {
    return (
      <div className="composer composer-offline" data-testid="composer-offline">
        <p className="muted">{t('mobile.offlineComposer')}</p>
      </div>
    );
  }

  return (
    <div className="composer" data-testid="composer" onKeyDownCapture={onKeyDownCapture}>
      {replyTo && (
        <div className="composer-reply" data-testid="composer-reply" data-reply-to={replyTo.id}>
          <span>
            {t('chat.replyingTo', { name: replyTo.author?.displayName ?? t('chat.someone') })} <span className="muted">{replyTo.text.slice(0, 80)}</span>
          </span>
          <button type="button" className="link-button" data-testid="composer-reply-cancel" onClick={onCancelReply}>
            {t('chat.cancel')}
          </button>
        </div>
      )}
      <div className="composer-row">
        <RichTextEditor key={editorKey} onChange={change} placeholder={t('chat.placeholder')} mentionCandidates={candidates} labels={labels} hideToolbar className="composer-editor" />
        <button type="button" className="button-primary" data-testid="send-button" disabled={empty} onClick={send}>
          {t('chat.send')}
        </button>
      </div>
    </div>
  );
}
