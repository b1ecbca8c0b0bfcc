import { useState } from 'react';
import type { RichTextDocument } from '../../../../shared/richText';
import { isRichTextEmpty } from '../../../../shared/richText';
import { RichTextEditor } from '../../components/RichTextEditor';

/** A rich-text box with a send button that starts empty again after each send. */
export function Composer({ testId, label, onSend, initial, onCancel, cancelLabel }: { testId: string; label: string; onSend: (doc: Record<string, unknown>) => Promise<unknown>; initial?: Record<string, unknown>; onCancel?: () => void; cancelLabel?: string }) {
  const [doc, setDoc] = useState<Record<string, unknown> | null>(initial ?? null);
  const [round, setRound] = useState(0);
  const [sending, setSending] = useState(false);
  const empty = !doc || isRichTextEmpty(doc as unknown as RichTextDocument);
  const send = () => {
    if (!doc || empty) return;
    setSending(true);
    void onSend(doc)
      .then(() => (setDoc(null), setRound(round + 1)))
      .finally(() => setSending(false));
  };
  return (
    <div className="composer" data-testid={testId}>
      <RichTextEditor key={round} initialValue={initial as RichTextDocument | undefined} onChange={(d) => setDoc(d as unknown as Record<string, unknown>)} hideToolbar />
      <div className="actions">
        <button type="button" className="button-primary" data-testid={`${testId}-send`} disabled={empty || sending} onClick={send}>
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
