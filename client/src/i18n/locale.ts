import type { Locale } from '../../../shared/schemas/common';

/** The languages the client ships, in the order the switch lists them. */
export const locales: readonly Locale[] = ['zh-CN', 'en'];

const STORAGE_KEY = 'huitong.locale';

/** True for a language the client has a dictionary for. */
export function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en';
}

/**
 * The language before anyone signs in: a choice made earlier on this browser, else the
 * browser's preference (Chinese first, since the product is Chinese-first), else zh-CN.
 */
export function initialLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    /* storage can be blocked; fall back to the browser */
  }
  const preferred = typeof navigator === 'undefined' ? [] : [...(navigator.languages ?? []), navigator.language];
  for (const tag of preferred) {
    const lower = (tag ?? '').toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

/** Remembers the language on this browser, for the login page next time. */
export function rememberLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    /* not critical */
  }
}
