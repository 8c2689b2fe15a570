import type { FeatureMessages } from '../i18n/index.ts';

const messages: FeatureMessages = {
  en: {
    'admin.title': 'Administration',
    'admin.intro': 'The platform at a glance.',
    'admin.mentors': 'Mentors',
    'admin.students': 'Students',
    'admin.newThisWeek': 'New this week',
    'admin.disabled': 'Disabled accounts',
    'admin.recent': 'Latest sign-ups',
    'admin.role.mentor': 'Mentor',
    'admin.role.student': 'Student',
    'admin.colName': 'Name',
    'admin.colRole': 'Role',
    'admin.colCity': 'City',
    'admin.colJoined': 'Joined',
  },
  fr: {
    'admin.title': 'Administration',
    'admin.intro': "La plateforme en un coup d'œil.",
    'admin.mentors': 'Mentors',
    'admin.students': 'Élèves',
    'admin.newThisWeek': 'Nouveaux cette semaine',
    'admin.disabled': 'Comptes désactivés',
    'admin.recent': 'Dernières inscriptions',
    'admin.role.mentor': 'Mentor',
    'admin.role.student': 'Élève',
    'admin.colName': 'Nom',
    'admin.colRole': 'Rôle',
    'admin.colCity': 'Ville',
    'admin.colJoined': 'Inscription',
  },
};

export default messages;
