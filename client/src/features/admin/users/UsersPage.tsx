import { useCallback, useEffect, useState } from 'react';
import type { DepartmentDTO, UserDTO } from '../../../../../shared/dto';
import { useI18n } from '../../../i18n';
import { ErrorNotice, SuccessNotice } from '../../../ui/ErrorNotice';
import { adminApi } from '../adminApi';
import { PasswordResetForm } from './PasswordResetForm';
import { SystemMessageForm } from './SystemMessageForm';
import { UserForm } from './UserForm';
import { UserTable } from './UserTable';

type Panel = { kind: 'create' } | { kind: 'edit'; user: UserDTO } | { kind: 'password'; user: UserDTO } | null;

/** Accounts: search, create, edit, deactivate, reset passwords, and send system messages. */
export function UsersPage() {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [users, setUsers] = useState<UserDTO[] | null>(null);
  const [departments, setDepartments] = useState<DepartmentDTO[]>([]);
  const [panel, setPanel] = useState<Panel>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    adminApi.departments().then(setDepartments, setError);
  }, []);

  useEffect(() => {
    let cancelled = false;
    // Searches on the server after a pause in typing.
    const timer = setTimeout(() => {
      adminApi.users(query.trim()).then(
        (found) => !cancelled && (setUsers(found.items), setError(null)),
        (failure: unknown) => !cancelled && setError(failure),
      );
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, revision]);

  const refresh = useCallback((text: string | null) => {
    setMessage(text);
    setPanel(null);
    setRevision((r) => r + 1);
  }, []);

  const setActive = async (user: UserDTO, active: boolean) => {
    setBusyId(user.id);
    setError(null);
    try {
      await adminApi.updateUser(user.id, { active });
      if (!active) setSelected((s) => new Set([...s].filter((id) => id !== user.id)));
      refresh(t(active ? 'users.reactivated' : 'users.deactivated', { name: user.displayName }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusyId(null);
    }
  };

  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));

  return (
    <div className="stack" data-testid="users-page">
      <div className="toolbar">
        <input type="search" placeholder={t('users.search')} aria-label={t('users.search')} value={query} onChange={(e) => setQuery(e.target.value)} data-testid="user-search" />
        <button type="button" className="button-primary" onClick={() => setPanel({ kind: 'create' })} data-testid="user-create">
          {t('users.create')}
        </button>
      </div>
      <ErrorNotice error={error} testId="users-error" />
      <SuccessNotice message={message} testId="users-success" />
      {panel?.kind === 'create' && <UserForm user={null} departments={departments} onSaved={(u) => refresh(t('users.created', { name: u.displayName }))} onCancel={() => setPanel(null)} />}
      {panel?.kind === 'edit' && <UserForm key={panel.user.id} user={panel.user} departments={departments} onSaved={(u) => refresh(t('users.updated', { name: u.displayName }))} onCancel={() => setPanel(null)} />}
      {panel?.kind === 'password' && <PasswordResetForm key={panel.user.id} user={panel.user} onDone={() => refresh(t('users.passwordReset', { name: panel.user.displayName }))} onCancel={() => setPanel(null)} />}
      <div className="two-columns wide-left">
        <div className="column">
          {users === null ? (
            <p className="muted">{t('app.loading')}</p>
          ) : (
            <UserTable
              users={users}
              departments={departments}
              selected={selected}
              busyId={busyId}
              onToggle={toggle}
              onEdit={(user) => (setPanel({ kind: 'edit', user }), setMessage(null))}
              onPassword={(user) => (setPanel({ kind: 'password', user }), setMessage(null))}
              onSetActive={(user, active) => void setActive(user, active)}
            />
          )}
        </div>
        <div className="column">
          <SystemMessageForm recipientIds={[...selected]} onSent={() => setSelected(new Set())} />
        </div>
      </div>
    </div>
  );
}
