import type { FeatureMessages } from '../i18n/index.ts';

// The slot list's refusals in the API.
const messages: FeatureMessages = {
  en: {
    'slots.api.rangeTooLong': 'Ask for at most {max} days at a time.',
    'slots.api.rangeOrder': 'The end of the range must come after its start.',
    'slots.api.groupSkill': 'A group session has no slots: it takes place at its own time.',
    'slots.api.otherMentor': 'This skill belongs to another mentor.',
  },
  fr: {
    'slots.api.rangeTooLong': 'Demandez au plus {max} jours à la fois.',
    'slots.api.rangeOrder': 'La fin de la période doit venir après son début.',
    'slots.api.groupSkill': 'Une session de groupe n’a pas de créneaux : elle a lieu à son heure.',
    'slots.api.otherMentor': 'Cette compétence est celle d’un autre mentor.',
  },
};

export default messages;
