import type { FeatureMessages } from '../i18n/index.ts';

// The login limit's wait, said beside the form in the unit a person reads it in.
const messages: FeatureMessages = {
  en: {
    'auth.limit.waitSeconds.one': 'Too many attempts. Try again in 1 second.',
    'auth.limit.waitSeconds.other': 'Too many attempts. Try again in {count} seconds.',
    'auth.limit.waitMinutes.one': 'Too many attempts. Try again in 1 minute.',
    'auth.limit.waitMinutes.other': 'Too many attempts. Try again in {count} minutes.',
  },
  fr: {
    'auth.limit.waitSeconds.one': 'Trop de tentatives. Réessayez dans 1 seconde.',
    'auth.limit.waitSeconds.other': 'Trop de tentatives. Réessayez dans {count} secondes.',
    'auth.limit.waitMinutes.one': 'Trop de tentatives. Réessayez dans 1 minute.',
    'auth.limit.waitMinutes.other': 'Trop de tentatives. Réessayez dans {count} minutes.',
  },
};

export default messages;
