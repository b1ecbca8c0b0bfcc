import { useMemo, useState } from 'react';
import type { MessageDTO } from '../../../../shared/chat';
import { emptyDocument, isRichTextEmpty } from '../../../../shared/richText/document';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { RichTextEditor, type MentionSource } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { useOfflineCopy } from '../../pwa/offlineCopy';
import { useChatState, useChatStore } from './ChatProvider';
import { useEditorLabels } from './useEditorLabels';
import { FilePicker } from '../../ui/FilePicker';
import { UploadList } from '../files/UploadList';
import { LimitsNote } from '../files/FilesPanel';
import { messageLine } from './systemText';
import { useUploads } from '../files/useUploads';

type Props = { conversationId: string; replyTo: MessageDTO | null; onCancelReply: () => void };

/**
 * Writes a message: rich text with @mentions of the members (and @所有人 for a group's owners and
 * admins), an optional quoted reply. Enter sends (Shift+Enter is a new line; not while an input
 * method composes or the @ picker is open); sending never waits for the network, the message shows as
 * pending at once and the outbox delivers it. Files chosen, pasted or dropped upload at once (progress,
 * cancel, retry) and go with the message by id.
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
  const uploads = useUploads();
  const ready = uploads.uploads.flatMap((u) => (u.status === 'done' && u.result ? [u.result] : []));
  // A message may be only files (a pasted photo); it waits for its uploads to finish.
  const empty = isRichTextEmpty(draft) && ready.length === 0;
  const blocked = empty || uploads.busy;
  // Showing the saved copy without a server: read-only, rather than queueing into a conversation that may have moved on.
  const offline = useOfflineCopy();

  const send = () => {
    if (blocked) return;
    store.send(conversationId, draft, replyTo, ready);
    uploads.clear();
    setDraft(emptyDocument());
    setEditorKey((k) => k + 1);
    onCancelReply();
  };

  const change = (doc: RichTextDocument) => {
    setDraft(doc);
    if (isRichTextEmpty(doc)) store.typing.stop(conversationId);
    else store.typing.typed(conversationId);
  };

  if (offline) {
    return (
      <div className="composer composer-offline" data-testid="composer-offline">
        <p className="muted">{t('mobile.offlineComposer')}</p>
      </div>
    );
  }

  return (
    <div className="composer" data-testid="composer">
      {replyTo && (
        <div className="composer-reply" data-testid="composer-reply" data-reply-to={replyTo.id}>
          <span>
            {t('chat.replyingTo', { name: replyTo.author?.displayName ?? t('chat.someone') })} <span className="muted">{messageLine(replyTo, t).slice(0, 80)}</span>
          </span>
          <button type="button" className="link-button" data-testid="composer-reply-cancel" onClick={onCancelReply}>
            {t('chat.cancel')}
          </button>
        </div>
      )}
      <UploadList uploads={uploads} />
      <div className="composer-row">
        <RichTextEditor key={editorKey} onChange={change} placeholder={t('chat.placeholder')} mentions={mentions} onSubmit={send} autoFocus={editorKey > 0} labels={labels} hideToolbar className="composer-editor" onFiles={uploads.add} />
        <FilePicker label={t('files.attach')} multiple onFile={() => undefined} onFiles={uploads.add} data-testid="composer-file-input" />
        <button type="button" className="button-primary" data-testid="send-button" disabled={blocked} onClick={send}>
          {t('chat.send')}
        </button>
      </div>
      <LimitsNote />
    </div>
  );
}
