import type { ReactNode } from 'react';
import { ProblemText, useFieldProblem } from './fieldProblems';

/**
 * A labelled form control; the label wraps the control so clicking it focuses the input. With a
 * `name` (the request's field path), inside <FieldProblems>, it shows that field's problem.
 */
export function Field({ label, children, hint, name }: { label: string; children: ReactNode; hint?: string; name?: string }) {
  const problem = useFieldProblem(name);
  return (
    <label className={problem ? 'field field-invalid' : 'field'}>
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
      {problem && <ProblemText problem={problem} testId={`field-problem-${name}`} />}
    </label>
  );
}
