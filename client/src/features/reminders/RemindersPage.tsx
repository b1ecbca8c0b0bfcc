import { useCallback, useEffect, useState } from 'react';
import type { ReminderDTO } from '../../../../shared/reminders';
import { userStream } from '../../../../shared/realtime';
import { describeRecurrence, rruleToForm } from '../../../../shared/recurrenceForm';
import { useI18n } from '../../i18n';
import { useStream } from '../../realtime';
import { useMe } from '../auth/session';
import { ErrorNotice, SuccessNotice } from '../../ui/ErrorNotice';
import { ReminderDetails } from './ReminderDetails';
import { ReminderEditor } from './ReminderEditor';
import { ReminderSourceLabel } from './ReminderSourceLabel';
import { remindersApi } from './remindersApi';

/** The list with a reminder put in (newest first) or replaced by its newer state. */
function withReminder(list: ReminderDTO[], reminder: ReminderDTO): ReminderDTO[] {
  const rest = list.filter((r) => r.id !== reminder.id);
  return [...rest, reminder].sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0));
}

/** The user's reminders: list with pause / resume / delete, the editor, and a selected one's details. */
export function RemindersPage() {
  const { t, locale, formatDateTime } = useI18n();
  const [reminders, setReminders] = useState<ReminderDTO[] | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ error: unknown; success: string | null }>({ error: null, success: null });
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setReminders((await remindersApi.list()).items);
    } catch (error) {
      setNotice({ error, success: null });
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // Changes made on another device (or by the server, such as a reminder that ended) arrive on one's own stream.
  const me = useMe();
  useStream(userStream(me.id), (event) => {
    if (event.type === 'reminder.changed') setReminders((list) => list && withReminder(list, event.data.reminder));
    if (event.type === 'reminder.deleted') setReminders((list) => list && list.filter((r) => r.id !== event.data.reminderId));
  });

  const act = async (work: () => Promise<unknown>, success: string | null) => {
    try {
      await work();
      setNotice({ error: null, success });
      await load();
    } catch (error) {
      setNotice({ error, success: null });
    }
  };
  const selected = reminders?.find((r) => r.id === selectedId);

  return (
    <section className="page" data-testid="reminders-page">
      <h1>{t('reminders.title')}</h1>
      <ErrorNotice error={notice.error} testId="reminders-error" onDismiss={() => setNotice({ error: null, success: null })} />
      <SuccessNotice message={notice.success} testId="reminders-success" />
      {reminders && reminders.length === 0 && <p className="muted">{t('reminders.empty')}</p>}
      {reminders && reminders.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>{t('reminders.name')}</th>
              <th>{t('reminders.repeat')}</th>
              <th>{t('reminders.next')}</th>
              <th>{t('reminders.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {reminders.map((r) => {
              const { form, end } = rruleToForm(r.rrule);
              return (
                <tr key={r.id} data-testid="reminder-row" data-id={r.id} data-status={r.status}>
                  <td>
                    <button type="button" className="link-button" data-testid="reminder-open" onClick={() => setSelectedId(r.id === selectedId ? null : r.id)}>
                      {r.title}
                    </button>
                    {r.source && <ReminderSourceLabel source={r.source} />}
                  </td>
                  <td data-testid="reminder-repeat" data-label={t('reminders.repeat')}>{describeRecurrence(form, end, locale)}</td>
                  <td data-testid="reminder-next" data-at={r.nextDueAt ?? ''} data-label={t('reminders.next')}>
                    {r.nextDueAt ? formatDateTime(r.nextDueAt, r.timeZone) : '—'}
                  </td>
                  <td data-label={t('reminders.status')}>{t(`reminders.status.${r.status}`)}</td>
                  <td className="row-actions">
                    {r.can.pause && (
                      <button type="button" className="button-quiet" data-testid="reminder-pause" onClick={() => void act(() => remindersApi.pause(r.id), null)}>
                        {t('reminders.pause')}
                      </button>
                    )}
                    {r.can.resume && (
                      <button type="button" className="button-quiet" data-testid="reminder-resume" onClick={() => void act(() => remindersApi.resume(r.id), null)}>
                        {t('reminders.resume')}
                      </button>
                    )}
                    {!r.can.delete ? null : confirming === r.id ? (
                      <button
                        type="button"
                        className="button-danger"
                        data-testid="reminder-delete-confirm"
                        onClick={() => {
                          setConfirming(null);
                          if (selectedId === r.id) setSelectedId(null);
                          void act(() => remindersApi.remove(r.id), t('reminders.deleted', { title: r.title }));
                        }}
                      >
                        {t('reminders.confirmDelete', { title: r.title })}
                      </button>
                    ) : (
                      <button type="button" className="button-quiet" data-testid="reminder-delete" onClick={() => setConfirming(r.id)}>
                        {t('reminders.delete')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {selected ? (
        <div className="stack">
          <ReminderDetails reminder={selected} />
          {!selected.can.edit ? (
            <p className="muted" data-testid="reminder-managed-elsewhere">
              {t('reminders.managedElsewhere')}
            </p>
          ) : (
            <ReminderEditor key={selected.id + selected.updatedAt} reminder={selected} onSaved={(saved) => void act(async () => saved, t('reminders.saved'))} />
          )}
        </div>
      ) : (
        <ReminderEditor key={`new-${reminders?.length ?? 0}`} onSaved={(saved) => void act(async () => setSelectedId(saved.id), t('reminders.created', { title: saved.title }))} />
      )}
    </section>
  );
}
