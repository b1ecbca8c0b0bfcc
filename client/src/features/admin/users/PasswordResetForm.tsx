import { useState, type FormEvent } from 'react';
import type { UserDTO } from '../../../../../shared/dto';
import { useI18n } from '../../../i18n';
import { ErrorNotice } from '../../../ui/ErrorNotice';
import { Field } from '../../../ui/Field';
import { FieldProblems } from '../../../ui/fieldProblems';
import { adminApi } from '../adminApi';

/** Sets a new password for a user; the server signs them out everywhere. */
export function PasswordResetForm({ user, onDone, onCancel }: { user: UserDTO; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await adminApi.resetPassword(user.id, password);
      onDone();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} data-testid="password-form">
      <FieldProblems error={error}>
        <h2>{t('users.passwordTitle', { name: user.displayName })}</h2>
        <ErrorNotice error={error} testId="password-form-error" fieldsShowProblems />
        <Field label={t('users.newPassword')} name="password" hint={t('password.hint')}>
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} data-testid="password-form-password" />
        </Field>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy} data-testid="password-form-submit">
            {busy ? t('common.saving') : t('users.resetPassword')}
          </button>
          <button type="button" className="button-quiet" onClick={onCancel}>
            {t('users.cancel')}
          </button>
        </div>
      </FieldProblems>
    </form>
  );
}
