import { useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { ErrorNotice, SuccessNotice } from '../../../ui/ErrorNotice';
import { Field } from '../../../ui/Field';
import { FieldProblems } from '../../../ui/fieldProblems';
import { adminApi } from '../adminApi';

/** Sends a system message (a notification) to the users ticked in the list. */
export function SystemMessageForm({ recipientIds, onSent }: { recipientIds: string[]; onSent: () => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      const result = await adminApi.sendSystemMessage({ recipientIds, title: title.trim(), body, urgent });
      setSent(t('systemMessage.sent', { count: result.sent }));
      setTitle('');
      setBody('');
      setUrgent(false);
      onSent();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} data-testid="system-message-form">
      <FieldProblems error={error}>
        <h2>{t('systemMessage.title')}</h2>
        <p className="muted" data-testid="system-message-recipients">
          {recipientIds.length ? t('systemMessage.recipients', { count: recipientIds.length }) : t('systemMessage.noRecipients')}
        </p>
        <ErrorNotice error={error} testId="system-message-error" />
        <SuccessNotice message={sent} testId="system-message-sent" />
        <Field label={t('systemMessage.subject')} name="title">
          <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} data-testid="system-message-title" />
        </Field>
        <Field label={t('systemMessage.body')} name="body">
          <textarea value={body} onChange={(e) => setBody(e.target.value)} maxLength={5000} rows={3} data-testid="system-message-body" />
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} />
          {t('systemMessage.urgent')}
        </label>
        <button type="submit" className="button-primary" disabled={busy || recipientIds.length === 0} data-testid="system-message-send">
          {busy ? t('common.saving') : t('systemMessage.send')}
        </button>
      </FieldProblems>
    </form>
  );
}
