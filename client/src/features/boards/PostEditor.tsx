import { useState } from 'react';
import { isRichTextEmpty } from '../../../../shared/richText/document';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';

/** Edits a post's rich text in place (a thread's opening post or a reply). */
export function PostEditor({ initial, onSave, onCancel, testId }: { initial: Record<string, unknown>; onSave: (doc: Record<string, unknown>) => Promise<unknown>; onCancel: () => void; testId: string }) {
  const { t } = useI18n();
  const [doc, setDoc] = useState<RichTextDocument>(initial as unknown as RichTextDocument);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await onSave(doc as unknown as Record<string, unknown>);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="post-editor" data-testid={testId}>
      <RichTextEditor initialValue={initial as unknown as RichTextDocument} onChange={setDoc} />
      <ErrorNotice error={error} testId={`${testId}-error`} />
      <div className="actions">
        <button type="button" className="button-primary" disabled={busy || isRichTextEmpty(doc)} onClick={() => void save()} data-testid={`${testId}-save`}>
          {t('common.save')}
        </button>
        <button type="button" className="button-quiet" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}
