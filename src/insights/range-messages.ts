import type { FeatureMessages } from '../i18n/index.ts';

// The report service's refusals of a date range (src/insights/errors.ts).
const messages: FeatureMessages = {
  en: {
    'insights.range.invalidDay': 'Enter a date as YYYY-MM-DD.',
    'insights.range.invalidZone': 'This time zone is unknown.',
    'insights.range.backwards': 'The end date must be on or after the start date.',
    'insights.range.tooLong': 'Choose a range of at most {max} days.',
  },
  fr: {
    'insights.range.invalidDay': 'Saisissez une date au format AAAA-MM-JJ.',
    'insights.range.invalidZone': 'Ce fuseau horaire est inconnu.',
    'insights.range.backwards': 'La date de fin doit être le même jour que la date de début ou après.',
    'insights.range.tooLong': 'Choisissez une période de {max} jours au plus.',
  },
};

export default messages;
