import { ApiError, fieldProblems } from '../api/http';
import { useI18n } from '../i18n';
import { problemWording } from './fieldProblems';

/**
 * Shows a failure: a localised headline from the error code, then the server's own message
 * (it names the exact reason, e.g. why a department cannot be deleted) and any field problems.
 */
export function ErrorNotice({ error, testId = 'error', onDismiss, fieldsShowProblems = false }: { error: unknown; testId?: string; onDismiss?: () => void; fieldsShowProblems?: boolean }) {
  const { t } = useI18n();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : new ApiError(0, 'internal', error instanceof Error ? error.message : String(error));
  // In a form whose fields show their own problems (see FieldProblems), the notice only says what happened.
  const problems = fieldsShowProblems ? [] : fieldProblems(apiError);
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
              {p.path}: {problemWording(p, t)}
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
