import { useState } from 'react';
import { isRichTextEmpty } from '../../../../shared/richText/document';
import type { RichTextDocument } from '../../../../shared/richText/nodes';
import { RichTextEditor } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { ComposerFiles } from '../files/ComposerFiles';
import { useFileChanges } from '../files/fileChanges';
import { useAttachingUploads } from '../files/useUploads';

/**
 * Edits a post's rich text in place (a thread's opening post or a reply). `files` (its author's own
 * post): files chosen, pasted or dropped go straight onto the post, and the page's lists show them.
 */
export function PostEditor({ initial, onSave, onCancel, testId, files }: { initial: Record<string, unknown>; onSave: (doc: Record<string, unknown>) => Promise<unknown>; onCancel: () => void; testId: string; files?: { kind: 'thread' | 'reply'; hostId: string } }) {
  const { t } = useI18n();
  const changes = useFileChanges();
  const uploads = useAttachingUploads(files?.kind ?? 'thread', files?.hostId ?? '', () => files && changes?.emit({ ...files }));
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
      <RichTextEditor initialValue={initial as unknown as RichTextDocument} onChange={setDoc} onFiles={files ? uploads.add : undefined} />
      {files && <ComposerFiles uploads={uploads} testId={`${testId}-files`} />}
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
