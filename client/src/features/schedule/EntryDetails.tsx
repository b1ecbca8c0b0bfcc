import { useCallback, useEffect, useState } from 'react';
import type { AnnotationDTO, ScheduleEntryDTO } from '../../../../shared/schedule';
import { userStream } from '../../../../shared/realtime';
import type { RichTextDocument } from '../../../../shared/richText';
import { RichTextView } from '../../components/RichTextEditor';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useMe } from '../auth/session';
import { Composer, EntryAnnotations } from './EntryAnnotations';
import { cancelEntry, deleteEntry, saveEntryChanges, type EntryTarget } from './entryChanges';
import { EntryForm } from './EntryForm';
import { entryToForm, occurrenceTimes, type EditScope } from './entryForm';
import { EntrySummary } from './EntrySummary';
import { ScopePrompt } from './ScopePrompt';
import { scheduleApi } from './scheduleApi';

/**
 * One entry, or one occurrence of a recurring entry: details, editing and deleting (asking
 * "this / following / all" for an occurrence), its result, annotations with replies arriving live.
 */
export function EntryDetails({ target: initialTarget, onChanged, onClose }: { target: EntryTarget; onChanged: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  // Editing one occurrence makes a new entry, which the view then follows.
  const [target, setTarget] = useState(initialTarget);
  const [entry, setEntry] = useState<ScheduleEntryDTO | null>(null);
  const [annotations, setAnnotations] = useState<AnnotationDTO[]>([]);
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setEntry(await scheduleApi.get(target.id));
      setAnnotations(await scheduleApi.annotations(target.id));
    } catch (e) {
      setError(e);
    }
  }, [target.id]);
  useEffect(() => void load(), [load]);
  // An annotation or reply on this entry arrives as a notification to the people in its thread.
  useStream(userStream(me.id), (envelope) => {
    if (envelope.type === 'notification.created' && envelope.data.notification.data?.entryId === target.id) void load();
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
  const moveTo = async (work: () => Promise<EntryTarget>) => {
    const next = await work();
    setMode('view');
    onChanged();
    if (next.id === target.id && next.occurrenceStart === target.occurrenceStart) await load();
    else setTarget(next);
  };
  if (!entry || entry.id !== target.id) return <ErrorNotice error={error} testId="entry-error" />;
  const { can } = entry;
  // Only an occurrence of the series shown from the calendar; opened by id, a recurring entry is the whole series.
  const occurrence = entry.rrule ? target.occurrenceStart : null;
  const times = occurrence ? occurrenceTimes(entry, occurrence) : undefined;
  const initialForm = entryToForm(entry, times);

  const remove = (scope: EditScope) => void deleteEntry(entry, occurrence, scope).then(() => (onChanged(), onClose()), setError);
  const recordResult = async (doc: Record<string, unknown>) => {
    // A result belongs to one occurrence, so that occurrence first becomes an entry of its own.
    const id = occurrence ? (await scheduleApi.editOccurrence(entry.id, occurrence, 'this', { status: 'planned' })).id : entry.id;
    await scheduleApi.recordResult(id, doc);
    return { id, occurrenceStart: null };
  };

  return (
    <aside className="card" data-testid="entry-details">
      <button type="button" className="button-quiet" onClick={onClose} aria-label={t('common.dismiss')}>×</button>
      <h2 data-testid="entry-details-title">{entry.title}</h2>
      <ErrorNotice error={error} testId="entry-error" onDismiss={() => setError(null)} />
      {mode === 'edit' ? (
        <EntryForm
          initial={initialForm}
          timeZone={entry.timeZone}
          canRecur={!entry.masterId}
          askScope={!!occurrence}
          onSubmit={(state, scope) => moveTo(() => saveEntryChanges(entry, occurrence, initialForm, state, scope))}
          onCancel={() => setMode('view')}
        />
      ) : (
        <EntrySummary entry={entry} startsAt={occurrence ?? entry.startsAt} />
      )}
      {can.edit && mode === 'view' && (
        <div className="toolbar">
          <button type="button" className="button-quiet" data-testid="entry-edit" onClick={() => setMode('edit')}>{t('schedule.edit')}</button>
          {entry.status === 'planned' && (
            <button type="button" className="button-quiet" data-testid="entry-cancel" onClick={() => void moveTo(() => cancelEntry(entry, occurrence)).catch(setError)}>{t('schedule.cancelEntry')}</button>
          )}
          <button type="button" className="button-quiet" data-testid="entry-delete" onClick={() => setMode('delete')}>{t('schedule.delete')}</button>
        </div>
      )}
      {mode === 'delete' &&
        (occurrence ? (
          <ScopePrompt action="delete" onChoose={remove} onCancel={() => setMode('view')} />
        ) : (
          <div className="toolbar">
            <button type="button" className="button-danger" data-testid="entry-delete-confirm" onClick={() => remove('all')}>{t('schedule.confirmDelete')}</button>
            <button type="button" className="button-quiet" onClick={() => setMode('view')}>{t('common.cancel')}</button>
          </div>
        ))}
      <h3>{t('schedule.result')}</h3>
      {entry.result ? <div data-testid="entry-result"><RichTextView doc={entry.result as unknown as RichTextDocument} /></div> : <p className="muted">{t('schedule.noResult')}</p>}
      {can.edit && (occurrence || !entry.rrule) && entry.status !== 'cancelled' && (
        <Composer testId="result-composer" label={t('schedule.recordResult')} onSend={(doc) => moveTo(() => recordResult(doc)).catch(setError)} />
      )}
      <EntryAnnotations entryId={entry.id} annotations={annotations} canAnnotate={can.annotate} canReply={can.reply} act={act} />
    </aside>
  );
}
