// One translation helper for every user-facing string. Each feature owns a
// `messages.ts` with its French and English catalogs; src/messages.ts registers them
// here once (this module imports no feature). A test (i18n.test.ts) checks that both
// languages have the same keys.
import coreMessages from './core-messages.ts';
import mailMessages from './mail-messages.ts';

import { LOCALES, type Catalog, type FeatureMessages, type Locale } from './types.ts';

export { LOCALES, type Catalog, type FeatureMessages, type Locale };

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

/** The translation function of a locale (built once: PluralRules are not free). */
export function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) {
    t = buildTranslator(locale);
    translators.set(locale, t);
  }
  return t;
}

function buildTranslator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  const plural = new Intl.PluralRules(locale);
  return (key, params = {}) => {
    // A `count` param picks "key.one" / "key.other" when the catalog has them.
    let template = catalog[key];
    if (typeof params.count === 'number') template = catalog[`${key}.${plural.select(params.count)}`] ?? catalog[`${key}.other`] ?? template;
    if (template === undefined) return key; // visible in the page and caught by the catalog test
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}
