import { createContext, useContext, type ReactNode } from 'react';
import type { FieldProblem } from '../../../shared/errors';
import { ApiError, fieldProblems } from '../api/http';
import { hasMessage, useI18n, type Translate } from '../i18n';

const FieldProblemsContext = createContext<Map<string, FieldProblem> | null>(null);

/**
 * Gives the form's fields the problems of the last refusal: each `<Field name>` shows the one whose
 * `path` is its name, worded by the problem's `code` (the server's message where the code has no
 * wording of its own). Matching is by path and code only, never by the message's text.
 */
export function FieldProblems({ error, children }: { error: unknown; children: ReactNode }) {
  const problems = new Map((error instanceof ApiError ? fieldProblems(error) : []).map((p) => [p.path, p]));
  return <FieldProblemsContext.Provider value={problems}>{children}</FieldProblemsContext.Provider>;
}

/** The problem of one field (by its path, such as `dtstart` or `quietHours.start`), if the last refusal named it. */
export function useFieldProblem(name: string | undefined): FieldProblem | undefined {
  const problems = useContext(FieldProblemsContext);
  return name ? problems?.get(name) : undefined;
}

/** The problem of a field that is not a <Field> (a rich-text editor, a group of checkboxes), where it stands. */
export function FieldProblemOf({ name }: { name: string }) {
  const problem = useFieldProblem(name);
  return problem ? <ProblemText problem={problem} testId={`field-problem-${name}`} /> : null;
}

/**
 * A field problem in the user's language: worded by its code (a weak password also says why, by
 * zxcvbn's warning key), the server's message where the code has no wording of its own.
 */
export function problemWording(problem: FieldProblem, t: Translate): string {
  if (problem.code === 'weak_password') {
    const reason = `password.weak.${problem.warning ?? 'default'}`;
    return `${t('password.weak')}: ${t(hasMessage(reason) ? reason : 'password.weak.default')}`;
  }
  const key = `field.${problem.code}`;
  return hasMessage(key) ? t(key, { message: problem.message }) : problem.message;
}

/** A field problem in the user's language. */
export function ProblemText({ problem, testId }: { problem: FieldProblem; testId: string }) {
  const { t } = useI18n();
  return (
    <span className="field-error" role="alert" data-testid={testId} data-code={problem.code} title={problem.message}>
      {problemWording(problem, t)}
    </span>
  );
}
