// One translation helper for every user-facing string. Each feature owns a
// `messages.ts` with its French and English catalogs; they are merged here. A test
// (i18n.test.ts) checks that both languages have the same keys.
import adminMessages from '../admin/messages.ts';
import authMessages from '../auth/messages.ts';
import bookingsMessages from '../bookings/messages.ts';
import dashboardsMessages from '../dashboards/messages.ts';
import notificationsMessages from '../notifications/messages.ts';
import availabilityMessages from '../availability/messages.ts';
import mailMessages from '../mail/messages.ts';
import usersMessages from '../users/messages.ts';
import skillsMessages from '../skills/messages.ts';
import coursePublicMessages from '../courses/messages.ts';
import courseAdminMessages from '../course-admin/messages.ts';
import courseCurriculumMessages from '../course-admin/curriculum-messages.ts';
import reviewsMessages from '../reviews/messages.ts';
import lessonQaMessages from '../lesson-qa/messages.ts';
import coreMessages from './core-messages.ts';

export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Catalog = Record<string, string>;
export type FeatureMessages = Record<Locale, Catalog>;

const features: FeatureMessages[] = [coreMessages, authMessages, usersMessages, mailMessages, adminMessages, skillsMessages, availabilityMessages, bookingsMessages, notificationsMessages, dashboardsMessages, coursePublicMessages, courseAdminMessages, courseCurriculumMessages, reviewsMessages, lessonQaMessages];

export const catalogs: Record<Locale, Catalog> = {
  fr: Object.assign({}, ...features.map((f) => f.fr)) as Catalog,
  en: Object.assign({}, ...features.map((f) => f.en)) as Catalog,
};

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
