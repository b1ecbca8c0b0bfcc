import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { Field } from '../../ui/Field';
import { FieldProblems } from '../../ui/fieldProblems';
import { useSession } from './session';

/** E-mail and password sign-in; tells the user why they were signed out, if they were. */
export function LoginPage() {
  const { t } = useI18n();
  const { state, signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ended = state.status === 'signedOut' ? state.ended : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <div className="login-page" data-testid="login-page">
      <div className="login-tools">
        <LanguageSwitch />
      </div>
      <form className="card login-card" onSubmit={submit}>
        <FieldProblems error={error}>
          <h1>{t('login.title')}</h1>
          <p className="muted">{t('login.subtitle')}</p>
          {ended && !error && (
            <div className="notice" role="status" data-testid="session-ended">
              {t(`login.sessionEnded.${ended}`)}
            </div>
          )}
          <ErrorNotice error={error} testId="login-error" fieldsShowProblems />
          {state.status === 'signedOut' && state.loadError !== undefined && !error && <ErrorNotice error={state.loadError} testId="load-error" />}
          <Field label={t('login.email')} name="email">
            <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} data-testid="login-email" />
          </Field>
          <Field label={t('login.password')} name="password">
            <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" />
          </Field>
          <button type="submit" className="button-primary" disabled={busy} data-testid="login-submit">
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </FieldProblems>
      </form>
    </div>
  );
}
