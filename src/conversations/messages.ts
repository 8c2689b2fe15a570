import type { FeatureMessages } from '../i18n/index.ts';

const messages: FeatureMessages = {
  en: {
    'conversations.title': 'Messages',
    'conversations.pageTitle': 'Messages: {subject}',
    'conversations.empty': 'No messages yet. Ask a question or share what you would like to cover.',
    'conversations.label': 'Your message',
    'conversations.hint': 'Plain text, up to 2,000 characters. Links starting with http:// or https:// become clickable.',
    'conversations.send': 'Send',
    'conversations.admin': 'Leboncours team',
    'conversations.you': 'you',
    'conversations.formerMember': 'Former member',
    'conversations.error.required': 'Write a message before sending.',
    'conversations.error.tooLong': 'A message holds at most 2,000 characters: shorten it or split it in two.',
    'conversations.error.control': 'The message contains invisible control characters: remove them (paste it as plain text).',
    'conversations.error.rate': 'You are sending messages too fast. Try again in {seconds} s.',
    'notifications.kind.message.received': 'New message from {other} about "{skill}".',
    'mail.conversation-digest.subject': 'New messages about "{subject}"',
    'mail.conversation-digest.body': 'You have {count, plural, one {# unread message} other {# unread messages}} about "{subject}" ({skill}):',
    'mail.conversation-digest.cta': 'Reply on Leboncours',
  },
  fr: {
    'conversations.title': 'Messages',
    'conversations.pageTitle': 'Messages : {subject}',
    'conversations.empty': 'Aucun message pour l’instant. Posez une question ou dites ce que vous aimeriez aborder.',
    'conversations.label': 'Votre message',
    'conversations.hint': 'Texte simple, 2 000 caractères au plus. Les liens commençant par http:// ou https:// deviennent cliquables.',
    'conversations.send': 'Envoyer',
    'conversations.admin': 'Équipe Leboncours',
    'conversations.you': 'vous',
    'conversations.formerMember': 'Ancien membre',
    'conversations.error.required': 'Écrivez un message avant d’envoyer.',
    'conversations.error.tooLong': 'Un message fait au plus 2 000 caractères : raccourcissez-le ou coupez-le en deux.',
    'conversations.error.control': 'Le message contient des caractères de contrôle invisibles : retirez-les (collez-le en texte simple).',
    'conversations.error.rate': 'Vous envoyez des messages trop vite. Réessayez dans {seconds} s.',
    'notifications.kind.message.received': 'Nouveau message de {other} à propos de « {skill} ».',
    'mail.conversation-digest.subject': 'Nouveaux messages : « {subject} »',
    'mail.conversation-digest.body': 'Vous avez {count, plural, one {# message non lu} other {# messages non lus}} à propos de « {subject} » ({skill}) :',
    'mail.conversation-digest.cta': 'Répondre sur Leboncours',
  },
};

export default messages;
