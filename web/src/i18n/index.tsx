// A small message catalogue: zh-CN (default) and en. Components never hard-code user-facing text;
// they call t('key', {vars}). Labels that come from the server as {zh, en} go through pick().
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import zh from './zh-CN.ts';
import en from './en.ts';

export type MessageKey = keyof typeof zh;
export type Locale = 'zh-CN' | 'en';
export type Label = { zh: string; en: string };
type Vars = Record<string, string | number | null | undefined>;

const catalogues: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };
const STORAGE_KEY = 'gz.locale';

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const s = catalogues[locale][key] ?? zh[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => (vars[k] == null ? '' : String(vars[k]))) : s;
}

/** True when the catalogue has the key (for keys built at run time, e.g. 'role.' + role). */
export function hasKey(key: string): key is MessageKey {
  return key in zh;
}

function initialLocale(): Locale {
  const url = new URLSearchParams(window.location.search).get('lang');
  if (url === 'en' || url === 'zh-CN') return url;
  const saved = window.localStorage.getItem(STORAGE_KEY);
  return saved === 'en' ? 'en' : 'zh-CN';
}

interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  t(key: MessageKey, vars?: Vars): string;
  /** A server label {zh, en} in the current locale. */
  pick(label: Label | null | undefined, fallback?: string): string;
  /** t() for keys composed at run time; falls back to the raw value. */
  tk(prefix: string, value: string | null | undefined): string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((l: Locale) => {
    window.localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    document.documentElement.lang = locale;
    return {
      locale,
      setLocale,
      t: (key, vars) => translate(locale, key, vars),
      pick: (label, fallback = '') => (label ? (locale === 'en' ? label.en || label.zh : label.zh || label.en) : fallback),
      tk: (prefix, value) => {
        if (value == null) return '';
        const key = `${prefix}${value}`;
        return hasKey(key) ? translate(locale, key) : value;
      },
    };
  }, [locale, setLocale]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
