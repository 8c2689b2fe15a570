// One translation helper for every user-facing string. Each feature owns a
// `messages.ts` with its French and English catalogs; src/messages.ts registers them
// here once (this module imports no feature). Messages are ICU MessageFormat
// (plurals, select); catalog-render.test.ts renders every one of them.
import coreMessages from './core-messages.ts';
import mailMessages from './mail-messages.ts';
import { compile, pluralForms, type Compiled, type PluralForms } from './compile.ts';

import { LOCALES, type Catalog, type FeatureMessages, type Locale } from './types.ts';

export { LOCALES, type Catalog, type FeatureMessages, type Locale, type PluralForms };
export { elide } from './elide.ts';

export const catalogs: Record<Locale, Catalog> = { fr: { ...coreMessages.fr, ...mailMessages.fr }, en: { ...coreMessages.en, ...mailMessages.en } };

/** Adds features' catalogs (src/messages.ts, once at start-up, before any request). */
export function registerMessages(...features: FeatureMessages[]): void {
  for (const f of features) {
    Object.assign(catalogs.fr, f.fr);
    Object.assign(catalogs.en, f.en);
  }
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: string, params?: Record<string, string | number>) => string;

const translators = new Map<Locale, Translate>();

/** The translation function of a locale (built once, with its cache of compiled messages). */
export function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) {
    t = buildTranslator(locale);
    translators.set(locale, t);
  }
  return t;
}

/**
 * The compiled form of a catalog message, cached by its text rather than its key: a
 * catalog entry replaced later (tests do) is compiled again instead of served stale.
 */
export function compiled(locale: Locale, key: string): Compiled | undefined {
  const template = catalogs[locale][key];
  if (template === undefined) return undefined;
  const cache = caches[locale];
  let c = cache.get(template);
  if (!c) {
    c = compile(template, locale);
    cache.set(template, c);
  }
  return c;
}

const caches: Record<Locale, Map<string, Compiled>> = { fr: new Map(), en: new Map() };

function buildTranslator(locale: Locale): Translate {
  return (key, params = {}) => {
    const c = compiled(locale, key);
    if (!c) return key; // visible in the page and caught by the catalog test
    return c.format(params);
  };
}

/**
 * A count message for a browser script, which cannot run ICU: its forms per plural
 * category, `{count}`-style markers left for the script (public/js/grid-support.js).
 */
export function pluralTexts(locale: Locale, key: string, params?: Record<string, string | number>): PluralForms {
  const message = catalogs[locale][key];
  return message === undefined ? { locale, arg: 'count', forms: { other: key } } : pluralForms(message, locale, params);
}
