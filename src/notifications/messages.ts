import type { FeatureMessages } from '../i18n/index.ts';

const messages: FeatureMessages = {
  en: {
    'notifications.title': 'Notifications',
    'notifications.markAll': 'Mark all as read',
    'notifications.empty': 'Nothing new. Requests, approvals and cancellations will appear here.',
    'notifications.unread': 'Unread',
    'notifications.open': 'Open',
    'notifications.bellLabel': '{count, plural, =0 {Notifications: none unread} other {Notifications: # unread}}',
    'notifications.kind.booking.requested': '{other} asks for "{skill}" on {when}.',
    'notifications.kind.booking.booked': '{other} booked "{skill}" on {when}.',
    'notifications.kind.booking.confirmed': 'Your session "{skill}" with {other} on {when} is confirmed.',
    'notifications.kind.booking.rejected': '{other} declined your request for {when}: {reason}',
    'notifications.kind.booking.cancelled': '{other} cancelled "{skill}" on {when}: {reason}',
    'notifications.kind.booking.expired': 'Your request to {other} for {when} expired without an answer.',
    'notifications.kind.booking.auto_cancelled': '"{skill}" on {when} was cancelled: {reason}',
  },
  fr: {
    'notifications.title': 'Notifications',
    'notifications.markAll': 'Tout marquer comme lu',
    'notifications.empty': 'Rien de nouveau. Les demandes, confirmations et annulations apparaîtront ici.',
    'notifications.unread': 'Non lue',
    'notifications.open': 'Ouvrir',
    'notifications.bellLabel': '{count, plural, =0 {Notifications : aucune non lue} one {Notifications : # non lue} other {Notifications : # non lues}}',
    'notifications.kind.booking.requested': '{other} demande « {skill} » le {when}.',
    'notifications.kind.booking.booked': '{other} a réservé « {skill} » le {when}.',
    'notifications.kind.booking.confirmed': 'Votre session « {skill} » avec {other} le {when} est confirmée.',
    'notifications.kind.booking.rejected': '{other} a refusé votre demande du {when} : {reason}',
    'notifications.kind.booking.cancelled': '{other} a annulé « {skill} » du {when} : {reason}',
    'notifications.kind.booking.expired': 'Votre demande à {other} pour le {when} a expiré sans réponse.',
    'notifications.kind.booking.auto_cancelled': '« {skill} » du {when} a été annulée : {reason}',
  },
};

export default messages;
