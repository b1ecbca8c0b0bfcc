import { ApiError, fieldProblems, type FieldProblem } from '../api/http';
import { useI18n, type MessageKey, type Translate } from '../i18n';

/** A field problem in the user's language where the client knows its code (a weak password says why), else the server's words. */
function problemText(problem: FieldProblem, t: Translate): string {
  if (problem.code === 'weak_password') {
    const reason = `password.weak.${problem.warning ?? 'default'}`;
    return `${t('password.weak')}: ${t((reason in knownReasons ? reason : 'password.weak.default') as MessageKey)}`;
  }
  return `${problem.path}: ${problem.message}`;
}
const knownReasons = Object.fromEntries(
  ['default', 'straightRow', 'keyPattern', 'simpleRepeat', 'extendedRepeat', 'sequences', 'recentYears', 'dates', 'topTen', 'topHundred', 'common', 'similarToCommon', 'wordByItself', 'namesByThemselves', 'commonNames', 'userInputs', 'pwned'].map((k) => [`password.weak.${k}`, true]),
);

/**
 * Shows a failure: a localised headline from the error code, then the server's own message
 * (it names the exact reason, e.g. why a department cannot be deleted) and any field problems.
 */
export function ErrorNotice({ error, testId = 'error', onDismiss }: { error: unknown; testId?: string; onDismiss?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : new ApiError(0, 'internal', error instanceof Error ? error.message : String(error));
  const problems = fieldProblems(apiError);
  return (
    <div className="notice notice-error" role="alert" data-testid={testId} data-code={apiError.code}>
      <strong>{t(`error.${apiError.code}`)}</strong>
      <span className="notice-message" data-testid={`${testId}-message`}>
        {apiError.message}
      </span>
      {problems.length > 0 && (
        <ul>
          {problems.map((p) => (
            <li key={p.path + p.message} data-code={p.code}>
              {problemText(p, t)}
            </li>
          ))}
        </ul>
      )}
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss}>
          {t('common.dismiss')}
        </button>
      )}
    </div>
  );
}

/** A short confirmation after something worked. */
export function SuccessNotice({ message, testId = 'success' }: { message: string | null; testId?: string }) {
  if (!message) return null;
  return (
    <div className="notice notice-success" role="status" data-testid={testId}>
      {message}
    </div>
  );
}
