import { useState } from 'react';
import type { RichTextDocument } from '../../../../shared/richText';
import { isRichTextEmpty } from '../../../../shared/richText';
import { RichTextEditor } from '../../components/RichTextEditor';
import { ComposerFiles } from '../files/ComposerFiles';
import { filesApi } from '../files/filesApi';
import { storedFiles, useUploads } from '../files/useUploads';

type Props = {
  testId: string;
  label: string;
  /** Sends the text; `fileIds` are the uploads to attach to what it creates (see attachToAnnotation). */
  onSend: (doc: Record<string, unknown>, fileIds: string[]) => Promise<unknown>;
  initial?: Record<string, unknown>;
  onCancel?: () => void;
  cancelLabel?: string;
  /** Takes files (chosen, pasted or dropped; a new annotation or reply, not an edit). */
  files?: boolean;
};

/** A rich-text box with a send button that starts empty again after each send. */
export function Composer({ testId, label, onSend, initial, onCancel, cancelLabel, files = false }: Props) {
  const [doc, setDoc] = useState<Record<string, unknown> | null>(initial ?? null);
  const [round, setRound] = useState(0);
  const [sending, setSending] = useState(false);
  const uploads = useUploads();
  const empty = !doc || isRichTextEmpty(doc as unknown as RichTextDocument);
  const send = () => {
    if (!doc || empty) return;
    setSending(true);
    void onSend(doc, storedFiles(uploads.uploads).map((f) => f.id))
      .then(() => (setDoc(null), setRound(round + 1), uploads.clear()))
      .finally(() => setSending(false));
  };
  return (
    <div className="composer" data-testid={testId}>
      <RichTextEditor key={round} initialValue={initial as RichTextDocument | undefined} onChange={(d) => setDoc(d as unknown as Record<string, unknown>)} hideToolbar onFiles={files ? uploads.add : undefined} />
      {files && <ComposerFiles uploads={uploads} testId={`${testId}-files`} />}
      <div className="actions">
        <button type="button" className="button-primary" data-testid={`${testId}-send`} disabled={empty || sending || uploads.busy} onClick={send}>
          {label}
        </button>
        {onCancel && (
          <button type="button" className="button-quiet" data-testid={`${testId}-cancel`} onClick={onCancel}>
            {cancelLabel}
          </button>
        )}
      </div>
    </div>
  );
}

/** Attaches a composer's uploads to the annotation or reply just created (the author's own, so the API takes them). */
export async function attachToAnnotation(created: { id: string }, fileIds: string[]): Promise<void> {
  if (fileIds.length) await filesApi.attach('annotation', created.id, fileIds);
}
