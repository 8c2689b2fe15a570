import type { FeatureMessages } from '../i18n/index.ts';

const messages: FeatureMessages = {
  en: {
    'dashboards.col.id': 'Reference',
    'dashboards.col.startsAt': 'Start ({zone})',
    'dashboards.col.endsAt': 'End ({zone})',
    'dashboards.col.studentName': 'Student',
    'dashboards.col.mentorName': 'Mentor',
    'dashboards.col.skillTitle': 'Skill',
    'dashboards.col.durationMinutes': 'Duration (min)',
    'dashboards.col.price': 'Price',
    'dashboards.col.currency': 'Currency',
    'dashboards.col.status': 'Status',
    'dashboards.col.meetingUrl': 'Video room',
    'dashboards.col.createdAt': 'Requested on ({zone})',
  },
  fr: {
    'dashboards.col.id': 'Référence',
    'dashboards.col.startsAt': 'Début ({zone})',
    'dashboards.col.endsAt': 'Fin ({zone})',
    'dashboards.col.studentName': 'Élève',
    'dashboards.col.mentorName': 'Mentor',
    'dashboards.col.skillTitle': 'Compétence',
    'dashboards.col.durationMinutes': 'Durée (min)',
    'dashboards.col.price': 'Prix',
    'dashboards.col.currency': 'Devise',
    'dashboards.col.status': 'Statut',
    'dashboards.col.meetingUrl': 'Salle visio',
    'dashboards.col.createdAt': 'Demandée le ({zone})',
  },
};

export default messages;
