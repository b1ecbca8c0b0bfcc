import { useMemo, useState } from 'react';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { isRichTextEmpty } from '../../../../shared/richText/document';
import { RichTextEditor, type MentionSource } from '../../components/RichTextEditor';
import { useChatState } from './ChatProvider';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useEditorLabels } from './useEditorLabels';

type Props = { conversationId: string; initial: RichTextDocument; onSave: (body: RichTextDocument) => Promise<void>; onCancel: () => void };

/** Edits one's own message in place (mentioning members, as the composer does); the server's refusal (e.g. offline) stays visible. */
export function MessageEditor({ conversationId, initial, onSave, onCancel }: Props) {
  const { t } = useI18n();
  const labels = useEditorLabels();
  const [body, setBody] = useState(initial);
  const mentionEveryone = useChatState().conversations[conversationId]?.can.mentionEveryone ?? false;
  const mentions = useMemo<MentionSource>(() => ({ conversationId, everyone: mentionEveryone }), [conversationId, mentionEveryone]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSave(body);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <div className="message-editor" data-testid="message-editor">
      <RichTextEditor initialValue={initial} onChange={setBody} mentions={mentions} labels={labels} hideToolbar />
      <ErrorNotice error={error} testId="message-edit-error" />
      <div className="actions">
        <button type="button" className="button-primary" data-testid="message-edit-save" disabled={busy || isRichTextEmpty(body)} onClick={() => void save()}>
          {busy ? t('common.saving') : t('chat.save')}
        </button>
        <button type="button" className="button-quiet" onClick={onCancel}>
          {t('chat.cancel')}
        </button>
      </div>
    </div>
  );
}
