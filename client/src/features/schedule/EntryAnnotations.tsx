import { useState } from 'react';
import type { AnnotationDTO } from '../../../../shared/schedule';
import type { RichTextDocument } from '../../../../shared/richText';
import { RichTextEditor, RichTextView } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { scheduleApi } from './scheduleApi';

/** A rich-text box with a send button that starts empty again after each send. */
export function Composer({ testId, label, onSend }: { testId: string; label: string; onSend: (doc: Record<string, unknown>) => Promise<unknown> }) {
  const [doc, setDoc] = useState<Record<string, unknown> | null>(null);
  const [round, setRound] = useState(0);
  return (
    <div className="composer" data-testid={testId}>
      <RichTextEditor key={round} onChange={(d) => setDoc(d as unknown as Record<string, unknown>)} hideToolbar />
      <button type="button" className="button" data-testid={`${testId}-send`} disabled={!doc} onClick={() => doc && void onSend(doc).then(() => (setDoc(null), setRound(round + 1)))}>
        {label}
      </button>
    </div>
  );
}

/** An entry's annotations with their replies; superiors (not the owner) add new ones. */
export function EntryAnnotations({ entryId, annotations, canAnnotate, canReply, act }: { entryId: string; annotations: AnnotationDTO[]; canAnnotate: boolean; canReply: boolean; act: (work: () => Promise<unknown>) => Promise<void> }) {
  const { t, formatDateTime } = useI18n();
  return (
    <>
      <h3>{t('schedule.annotations')}</h3>
      <ul className="annotations" data-testid="annotations">
        {annotations.map((a) => (
          <li key={a.id} data-testid="annotation">
            <strong>{a.author.displayName}</strong> <span className="muted">{formatDateTime(a.createdAt)}</span>
            <RichTextView doc={a.body as unknown as RichTextDocument} />
            <ul>
              {a.replies.map((r) => (
                <li key={r.id} data-testid="annotation-reply"><strong>{r.author.displayName}</strong> {r.text}</li>
              ))}
            </ul>
            {canReply && <Composer testId={`reply-${a.id}`} label={t('schedule.reply')} onSend={(doc) => act(() => scheduleApi.reply(a.id, doc))} />}
          </li>
        ))}
      </ul>
      {canAnnotate && <Composer testId="annotate" label={t('schedule.annotate')} onSend={(doc) => act(() => scheduleApi.annotate(entryId, doc))} />}
    </>
  );
}
