import type { FeatureMessages } from '../i18n/types.ts';

const messages: FeatureMessages = {
  en: {
    'devOutbox.localOnly': 'The development outbox can be read only from the machine the server runs on, or by the admin.',
  },
  fr: {
    'devOutbox.localOnly': "La boîte d'envoi de développement ne se lit que depuis la machine du serveur, ou par l'admin.",
  },
};

export default messages;
