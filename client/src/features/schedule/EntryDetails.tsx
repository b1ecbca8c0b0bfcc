import { useCallback, useEffect, useState } from 'react';
import type { AnnotationDTO, ScheduleEntryDTO } from '../../../../shared/schedule';
import type { RichTextDocument } from '../../../../shared/richText';
import { RichTextEditor, RichTextView } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { scheduleApi } from './scheduleApi';

/** A rich-text box with a send button that starts empty again after each send. */
function Composer({ testId, label, onSend }: { testId: string; label: string; onSend: (doc: Record<string, unknown>) => Promise<unknown> }) {
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

/** One entry: details, its result (the owner records it), annotations with replies, arriving live. */
export function EntryDetails({ entryId, onChanged, onClose }: { entryId: string; onChanged: () => void; onClose: () => void }) {
  const { t, formatDateTime } = useI18n();
  const me = useMe();
  const [entry, setEntry] = useState<ScheduleEntryDTO | null>(null);
  const [annotations, setAnnotations] = useState<AnnotationDTO[]>([]);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setEntry(await scheduleApi.get(entryId));
      setAnnotations(await scheduleApi.annotations(entryId));
    } catch (e) {
      setError(e);
    }
  }, [entryId]);
  useEffect(() => void load(), [load]);
  // An annotation or reply on this entry arrives as a notification to the people in its thread.
  useStream(`user:${me.id}`, (envelope) => {
    const data = (envelope.data as { notification?: { data?: { entryId?: string } } }).notification?.data;
    if (envelope.type === 'notification.created' && data?.entryId === entryId) void load();
  });
  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      await load();
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  if (!entry) return <ErrorNotice error={error} testId="entry-error" />;
  const mine = entry.owner.id === me.id;

  return (
    <aside className="card" data-testid="entry-details">
      <button type="button" className="button-quiet" onClick={onClose} aria-label={t('common.dismiss')}>×</button>
      <h2 data-testid="entry-details-title">{entry.title}</h2>
      <p className="muted">
        {t(`schedule.kind.${entry.kind}`)} · {formatDateTime(entry.startsAt, entry.timeZone)} · {entry.owner.displayName} · <span data-testid="entry-status">{t(`schedule.status.${entry.status}`)}</span>
        {entry.customer && <> · {entry.customer.name}</>}
      </p>
      {entry.description && <RichTextView doc={entry.description as unknown as RichTextDocument} />}
      <ErrorNotice error={error} testId="entry-error" onDismiss={() => setError(null)} />
      <h3>{t('schedule.result')}</h3>
      {entry.result ? <div data-testid="entry-result"><RichTextView doc={entry.result as unknown as RichTextDocument} /></div> : <p className="muted">{t('schedule.noResult')}</p>}
      {mine && !entry.rrule && entry.status !== 'cancelled' && <Composer testId="result-composer" label={t('schedule.recordResult')} onSend={(doc) => act(() => scheduleApi.recordResult(entry.id, doc))} />}
      {mine && entry.status === 'planned' && (
        <button type="button" className="button-quiet" onClick={() => void act(() => scheduleApi.update(entry.id, { status: 'cancelled' }))}>{t('schedule.cancelEntry')}</button>
      )}
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
            <Composer testId={`reply-${a.id}`} label={t('schedule.reply')} onSend={(doc) => act(() => scheduleApi.reply(a.id, doc))} />
          </li>
        ))}
      </ul>
      {!mine && <Composer testId="annotate" label={t('schedule.annotate')} onSend={(doc) => act(() => scheduleApi.annotate(entry.id, doc))} />}
    </aside>
  );
}
