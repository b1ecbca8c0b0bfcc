import { useMemo, useState } from 'react';
import type { MessageDTO } from '../../../../shared/chat';
import { emptyDocument, isRichTextEmpty } from '../../../../shared/richText/document';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { RichTextEditor, type MentionSource } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { useChatState, useChatStore } from './ChatProvider';
import { useEditorLabels } from './useEditorLabels';

type Props = { conversationId: string; replyTo: MessageDTO | null; onCancelReply: () => void };

/**
 * Writes a message: rich text with @mentions of the members (and @所有人 for a group's owners and
 * admins), an optional quoted reply. Enter sends (Shift+Enter is a new line; not while an input
 * method composes or the @ picker is open); sending never waits for the network, the message shows as
 * pending at once and the outbox delivers it.
 */
export function Composer({ conversationId, replyTo, onCancelReply }: Props) {
  const { t } = useI18n();
  const store = useChatStore();
  const state = useChatState();
  const labels = useEditorLabels();
  const [draft, setDraft] = useState<RichTextDocument>(emptyDocument);
  // Remounting the editor is how it is cleared (its initial value is read once); the new one keeps the focus.
  const [editorKey, setEditorKey] = useState(0);
  const mentionEveryone = state.conversations[conversationId]?.can.mentionEveryone ?? false;
  const mentions = useMemo<MentionSource>(() => ({ conversationId, everyone: mentionEveryone }), [conversationId, mentionEveryone]);
  const empty = isRichTextEmpty(draft);

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

  return (
    <div className="composer" data-testid="composer">
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
        <RichTextEditor key={editorKey} onChange={change} placeholder={t('chat.placeholder')} mentions={mentions} onSubmit={send} autoFocus={editorKey > 0} labels={labels} hideToolbar className="composer-editor" />
        <button type="button" className="button-primary" data-testid="send-button" disabled={empty} onClick={send}>
          {t('chat.send')}
        </button>
      </div>
    </div>
  );
}
