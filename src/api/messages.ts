import type { FeatureMessages } from '../i18n/index.ts';

// The API's own words: problem titles (a client shows them), and its token and
// idempotency refusals. Detail messages of domain errors come from their features.
const messages: FeatureMessages = {
  en: {
    'api.title.400': 'Malformed request',
    'api.title.401': 'Authentication required',
    'api.title.403': 'Not allowed',
    'api.title.404': 'Not found',
    'api.title.409': 'Conflict',
    'api.title.413': 'Request too large',
    'api.title.415': 'Unsupported media type',
    'api.title.422': 'Invalid input',
    'api.title.429': 'Too many requests',
    'api.title.500': 'Internal error',
    'api.title.503': 'Temporarily unavailable',
    'api.notFound': 'There is no such API operation. The list is at /api/v1/openapi.json.',
    'api.jsonRequired': 'Send the body as JSON (Content-Type: application/json).',
    'api.token.invalid': 'The access token is not valid. Log in again or refresh it.',
    'api.token.expired': 'The access token has expired. Refresh it with your refresh token.',
    'api.idempotency.reused': 'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
    'api.idempotency.invalid': 'The Idempotency-Key must be 1 to 255 visible ASCII characters.',
    'api.idempotency.inProgress': 'A request with this Idempotency-Key is still being processed. Retry in a moment.',
    'api.auth.refresh.reused': 'This refresh token was already used. Every token of this login has been revoked: log in again.',
    'api.auth.refresh.expired': 'This refresh token has expired. Log in again.',
    'api.auth.refresh.invalid': 'This refresh token is not valid. Log in again.',
  },
  fr: {
    'api.title.400': 'Requête mal formée',
    'api.title.401': 'Authentification requise',
    'api.title.403': 'Accès refusé',
    'api.title.404': 'Introuvable',
    'api.title.409': 'Conflit',
    'api.title.413': 'Requête trop volumineuse',
    'api.title.415': 'Format non pris en charge',
    'api.title.422': 'Données invalides',
    'api.title.429': 'Trop de requêtes',
    'api.title.500': 'Erreur interne',
    'api.title.503': 'Service momentanément indisponible',
    'api.notFound': "Cette opération de l'API n'existe pas. La liste est dans /api/v1/openapi.json.",
    'api.jsonRequired': 'Envoyez le corps en JSON (Content-Type: application/json).',
    'api.token.invalid': "Le jeton d'accès n'est pas valide. Reconnectez-vous ou renouvelez-le.",
    'api.token.expired': "Le jeton d'accès a expiré. Renouvelez-le avec votre jeton de rafraîchissement.",
    'api.idempotency.reused': "Cette clé Idempotency-Key a déjà servi pour une autre requête. Utilisez une nouvelle clé pour une nouvelle requête.",
    'api.idempotency.invalid': 'La clé Idempotency-Key doit compter de 1 à 255 caractères ASCII visibles.',
    'api.idempotency.inProgress': 'Une requête avec cette clé Idempotency-Key est encore en cours. Réessayez dans un instant.',
    'api.auth.refresh.reused': 'Ce jeton de rafraîchissement a déjà servi. Tous les jetons de cette connexion ont été révoqués : reconnectez-vous.',
    'api.auth.refresh.expired': 'Ce jeton de rafraîchissement a expiré. Reconnectez-vous.',
    'api.auth.refresh.invalid': "Ce jeton de rafraîchissement n'est pas valide. Reconnectez-vous.",
  },
};

export default messages;
