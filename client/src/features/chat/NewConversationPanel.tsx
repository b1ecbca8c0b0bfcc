import { useMemo, useState, type FormEvent } from 'react';
import type { UserSummaryDTO } from '../../../../shared/dto';
import { useI18n } from '../../i18n';
import { navigate } from '../../app/router';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { useChatStore } from './ChatProvider';
import { UserSearch } from '../../components/UserSearch';

/** Starts a direct chat with someone picked from the directory, or creates a group (name + members). */
export function NewConversationPanel({ kind, onDone }: { kind: 'direct' | 'group'; onDone: () => void }) {
  const { t } = useI18n();
  const store = useChatStore();
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<UserSummaryDTO[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const exclude = useMemo(() => new Set([store.me, ...chosen.map((u) => u.id)]), [store.me, chosen]);

  const run = async (work: () => Promise<{ id: string }>) => {
    setBusy(true);
    setError(null);
    try {
      const conversation = await work();
      onDone();
      navigate(`/chat/${conversation.id}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const createGroup = (event: FormEvent) => {
    event.preventDefault();
    void run(() => store.createGroup(name.trim(), chosen.map((u) => u.id)));
  };

  return (
    <section className="card chat-panel" data-testid={kind === 'direct' ? 'new-direct-panel' : 'new-group-panel'}>
      <h2>{kind === 'direct' ? t('chat.newDirect') : t('chat.newGroup')}</h2>
      <ErrorNotice error={error} testId="new-conversation-error" />
      {kind === 'direct' ? (
        <>
          <p className="muted">{t('chat.pickPerson')}</p>
          <UserSearch testId="direct-user" exclude={exclude} onPick={(user) => !busy && void run(() => store.openDirect(user.id))} />
        </>
      ) : (
        <form className="form" onSubmit={createGroup}>
          <FieldProblems error={error}>
            <Field label={t('chat.groupName')} name="name">
              <input value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} data-testid="group-name" />
            </Field>
            <div className="field">
              <span className="field-label">{t('chat.members')}</span>
              <ul className="chips">
                {chosen.map((u) => (
                  <li key={u.id} className="chip" data-testid="group-member-chosen">
                    {u.displayName}
                    <button type="button" aria-label={t('userPicker.remove', { name: u.displayName })} onClick={() => setChosen(chosen.filter((c) => c.id !== u.id))}>
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              <UserSearch testId="group-member" exclude={exclude} onPick={(user) => setChosen([...chosen, user])} />
            </div>
            <div className="actions">
              <button type="submit" className="button-primary" disabled={busy || !name.trim()} data-testid="group-create">
                {t('chat.createGroup')}
              </button>
              <button type="button" className="button-quiet" onClick={onDone}>
                {t('chat.cancel')}
              </button>
            </div>
          </FieldProblems>
        </form>
      )}
    </section>
  );
}
