import { z } from 'zod';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { passwordSchema } from './common.js';

/** The field-level code of a password refused as too easy to guess. */
export const WEAK_PASSWORD = 'weak_password';
/** zxcvbn's score (0–4) a password needs: 3 is "safely unguessable" for an online attacker and then some. */
export const MIN_PASSWORD_SCORE = 3;

/** Why a password is weak, by zxcvbn's feedback key, in English (clients translate the key). */
export const passwordWarnings: Record<string, string> = {
  straightRow: 'a straight row of keys is easy to guess',
  keyPattern: 'a short keyboard pattern is easy to guess',
  simpleRepeat: 'repeated characters such as "aaa" are easy to guess',
  extendedRepeat: 'repeated patterns such as "abcabcabc" are easy to guess',
  sequences: 'a sequence such as "abc" or "123" is easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
  topTen: 'it is one of the most used passwords',
  topHundred: 'it is a very often used password',
  common: 'it is a commonly used password',
  similarToCommon: 'it is too similar to a commonly used password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'a single name is easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains your name or e-mail address',
  pwned: 'it appeared in a data breach',
};

let estimator: ZxcvbnFactory | undefined;

// A password of the wrong length is already refused for that (passwordSchema); one problem at a time.
const judgeable = (password: string) => password.length >= 8 && password.length <= 200;

export type PasswordStrength = { score: number; strong: boolean; warning: string | null; suggestions: string[] };

/**
 * The strength of a password by zxcvbn (the common dictionary of @zxcvbn-ts/language-common:
 * leaked passwords, keyboard patterns), with the account's own name and e-mail address as words
 * an attacker would try. `warning` and `suggestions` are zxcvbn's feedback keys.
 */
export function passwordStrength(password: string, userInputs: string[] = []): PasswordStrength {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  // The local part and the words of an e-mail address or name are what someone would try.
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[@.\s_-]+/)]).filter((word) => word.length >= 3);
  const { score, feedback } = estimator.check(password, inputs);
  return { score, strong: score >= MIN_PASSWORD_SCORE, warning: feedback.warning, suggestions: feedback.suggestions };
}

/** The message and field-level details of a weak password. */
export function weakPasswordIssue(strength: PasswordStrength) {
  const reason = strength.warning ? passwordWarnings[strength.warning] ?? 'it is easy to guess' : 'it is easy to guess';
  return {
    message: `is too easy to guess: ${reason}; use a longer passphrase of several unrelated words`,
    params: { code: WEAK_PASSWORD, warning: strength.warning, suggestions: strength.suggestions, score: strength.score },
  };
}

/** Adds the strength rule to a password schema; `inputs` reads the name and e-mail address from the object it sits in. */
export const strongPasswordSchema = passwordSchema.superRefine((password, ctx) => {
  if (!judgeable(password)) return;
  const strength = passwordStrength(password);
  if (!strength.strong) ctx.addIssue({ code: 'custom', ...weakPasswordIssue(strength) });
});

/** A refinement for an object holding a password and the words of its owner (user creation). */
export function refineStrongPassword<T extends Record<string, unknown>>(passwordKey: keyof T & string, inputKeys: (keyof T & string)[]) {
  return (value: T, ctx: z.RefinementCtx) => {
    const password = value[passwordKey];
    if (typeof password !== 'string' || !judgeable(password)) return;
    const strength = passwordStrength(password, inputKeys.map((k) => value[k] as unknown).filter((v): v is string => typeof v === 'string'));
    if (!strength.strong) ctx.addIssue({ code: 'custom', path: [passwordKey], ...weakPasswordIssue(strength) });
  };
}
