import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Locale } from '../../../shared/schemas/common';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';
import { initialLocale, rememberLocale } from './locale';

export type { MessageKey } from './zh-CN';
export { locales, isLocale } from './locale';

const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** True when `key` is a message the client has (for keys built from a code, such as `field.<code>`). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

type I18nValue = {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** A timestamp in the current language, in the given IANA time zone (the user's). */
  formatDateTime: (iso: string, timeZone?: string) => string;
};

const I18nContext = createContext<I18nValue | null>(null);

/** Fills `{name}` placeholders; unknown placeholders stay visible so a typo is noticed. */
export function interpolate(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** Holds the current language; every visible string of the client is looked up through it. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = dictionaries[locale]['app.name'];
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    rememberLocale(next);
  }, []);

  const value = useMemo<I18nValue>(() => {
    const dictionary = dictionaries[locale];
    const formatter = new Map<string, Intl.DateTimeFormat>();
    return {
      locale,
      setLocale,
      t: (key, vars) => interpolate(dictionary[key], vars),
      formatDateTime: (iso, timeZone) => {
        const zone = timeZone ?? 'default';
        let format = formatter.get(zone);
        if (!format) {
          format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
          formatter.set(zone, format);
        }
        return format.format(new Date(iso));
      },
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, its translate function and formatters. */
export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}
