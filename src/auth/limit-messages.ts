import type { FeatureMessages } from '../i18n/index.ts';

// The login limit's wait, said beside the form in the unit a person reads it in.
const messages: FeatureMessages = {
  en: {
    'auth.limit.waitSeconds': 'Too many attempts. Try again in {count, plural, one {# second} other {# seconds}}.',
    'auth.limit.waitMinutes': 'Too many attempts. Try again in {count, plural, one {# minute} other {# minutes}}.',
  },
  fr: {
    'auth.limit.waitSeconds': 'Trop de tentatives. Réessayez dans {count, plural, one {# seconde} other {# secondes}}.',
    'auth.limit.waitMinutes': 'Trop de tentatives. Réessayez dans {count, plural, one {# minute} other {# minutes}}.',
  },
};

export default messages;
