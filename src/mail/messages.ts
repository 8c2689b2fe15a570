import type { FeatureMessages } from '../i18n/index.ts';

const messages: FeatureMessages = {
  en: {
    'mail.greeting': 'Hello {name},',
    'mail.signature': 'The Leboncours team',
    'mail.footer': 'You receive this mail because you have an account on Leboncours.',
    'mail.welcome.subject': 'Welcome to Leboncours, {name}',
    'mail.welcome.student': 'Your account is ready. Find a mentor, pick a free slot and book your first live session.',
    'mail.welcome.mentor': 'Your mentor account is ready. Complete your profile — headline, rate, languages — so students can trust you, then open your first time slots.',
    'mail.welcome.cta': 'Complete my profile',
    'mail.password-reset.subject': 'Reset your Leboncours password',
    'mail.password-reset.body': 'Someone asked to reset the password of your account. If it was you, choose a new one with the link below. It works once, for one hour.',
    'mail.password-reset.cta': 'Choose a new password',
    'mail.password-reset.ignore': 'If you did not ask for this, ignore this mail: your password stays as it is.',
  },
  fr: {
    'mail.greeting': 'Bonjour {name},',
    'mail.signature': "L'équipe Leboncours",
    'mail.footer': 'Vous recevez ce message parce que vous avez un compte sur Leboncours.',
    'mail.welcome.subject': 'Bienvenue sur Leboncours, {name}',
    'mail.welcome.student': 'Votre compte est prêt. Trouvez un mentor, choisissez un créneau libre et réservez votre première session en direct.',
    'mail.welcome.mentor': 'Votre compte mentor est prêt. Complétez votre profil — accroche, tarif, langues — pour inspirer confiance, puis ouvrez vos premiers créneaux.',
    'mail.welcome.cta': 'Compléter mon profil',
    'mail.password-reset.subject': 'Réinitialisez votre mot de passe Leboncours',
    'mail.password-reset.body': "Quelqu'un a demandé à réinitialiser le mot de passe de votre compte. Si c'est vous, choisissez-en un nouveau avec le lien ci-dessous. Il fonctionne une fois, pendant une heure.",
    'mail.password-reset.cta': 'Choisir un nouveau mot de passe',
    'mail.password-reset.ignore': "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.",
  },
};

export default messages;
