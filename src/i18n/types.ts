// The shapes of the catalogue, apart so that message files depend on nothing else.
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Catalog = Record<string, string>;
export type FeatureMessages = Record<Locale, Catalog>;
