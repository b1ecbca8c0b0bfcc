import type { EscalationLadder, EscalationLimits } from '../../../shared/announcements.js';
import type { FieldProblem } from '../../../shared/errors.js';
import { AppError } from '../../errors.js';

/** One step of a ladder as scheduled: its number, channel and due instant. */
export type LadderStep = { step: number; channel: EscalationLadder['steps'][number]['channel']; dueAt: Date };

/**
 * The ladder is within the administrator's limits (organisation setting `escalationLimits`): at most
 * `maxSteps` steps, none sooner than `minDelayMinutes` nor later than `maxDelayDays`, repeats no more
 * often than `minDelayMinutes` and at most `maxRepeats` of them, SMS only when allowed. A 400 names
 * every field outside them.
 */
export function checkLadder(ladder: EscalationLadder, limits: EscalationLimits): void {
  const problems: FieldProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path: `escalation.${path}`, code, message });
  if (ladder.steps.length > limits.maxSteps) add('steps', 'too_many_steps', `at most ${limits.maxSteps} steps (the administrator's limit)`);
  ladder.steps.forEach((step, i) => {
    if (step.afterMinutes < limits.minDelayMinutes) add(`steps.${i}.afterMinutes`, 'below_limit', `must be at least ${limits.minDelayMinutes} minutes (the administrator's limit)`);
    if (step.afterMinutes > limits.maxDelayDays * 1440) add(`steps.${i}.afterMinutes`, 'above_limit', `must be at most ${limits.maxDelayDays} days (the administrator's limit)`);
    if (step.channel === 'sms' && !limits.allowSms) add(`steps.${i}.channel`, 'sms_not_allowed', 'the administrator does not allow SMS steps');
  });
  const repeat = ladder.repeat;
  if (repeat) {
    if (repeat.times > limits.maxRepeats) add('repeat.times', 'above_limit', `at most ${limits.maxRepeats} repeats (the administrator's limit)`);
    if (repeat.everyHours * 60 < limits.minDelayMinutes) add('repeat.everyHours', 'below_limit', `must be at least ${limits.minDelayMinutes} minutes (the administrator's limit)`);
    const last = (ladder.steps.at(-1)?.afterMinutes ?? 0) + repeat.everyHours * 60 * repeat.times;
    if (last > limits.maxDelayDays * 1440) add('repeat.times', 'above_limit', `the last repeat must come within ${limits.maxDelayDays} days (the administrator's limit)`);
    if (repeat.channel === 'sms' && !limits.allowSms) add('repeat.channel', 'sms_not_allowed', 'the administrator does not allow SMS steps');
  }
  if (problems.length) throw new AppError(400, 'validation_failed', `The escalation ladder is outside the limits: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
}

/** The ladder's steps from `from` on: the steps at their delays, then the repeats after the last step (or after `from`). */
export function ladderSteps(ladder: EscalationLadder, from: Date): LadderStep[] {
  const at = (minutes: number) => new Date(from.getTime() + minutes * 60_000);
  const steps: LadderStep[] = ladder.steps.map((s, i) => ({ step: i + 1, channel: s.channel, dueAt: at(s.afterMinutes) }));
  if (ladder.repeat) {
    const base = ladder.steps.at(-1)?.afterMinutes ?? 0;
    for (let k = 1; k <= ladder.repeat.times; k++) steps.push({ step: steps.length + 1, channel: ladder.repeat.channel, dueAt: at(base + k * ladder.repeat.everyHours * 60) });
  }
  return steps;
}
