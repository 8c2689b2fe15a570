import type { FeatureMessages } from '../i18n/index.ts';

// What a mentor offers, told the same way everywhere: prices, course-linked skills, the
// public mentor page, the zone the slots are shown in and the booking list's groups.
const messages: FeatureMessages = {
  en: {
    'skills.priceLine.single': '{price} · {minutes} min',
    'skills.priceLine.from': 'from {price}',
    'skills.priceLine.duration': '{minutes} min · {price}',
    'skills.priceLine.byDuration': 'Price by duration',
    'skills.course.label': 'Reserved to the students of a course',
    'skills.course.none': 'No: open to every student',
    'skills.course.hint': 'Only students enrolled in the course can book this skill.',
    'skills.course.invalid': 'Choose one of the published courses.',
    'skills.course.forStudents': 'For students of the course',
    'mentorPage.skillsTitle': 'Skills and sessions',
    'mentorPage.noSkills': 'No skill on offer right now.',
    'mentorPage.perSession': 'per session',
    'mentorPage.bookSkill': 'Book {title}',
    'mentorPage.noOneOnOne': 'No one-on-one session on offer: see the group sessions below.',
    'mentorPage.slotsFor': 'For {title}',
    'mentorPage.bookAt': 'Book {when}',
    'mentorPage.allSlots': 'All free slots',
    'zonePicker.label': 'Times shown in',
    'zonePicker.apply': 'Show',
    'bookingList.calledOff': 'Cancelled or declined',
    'bookingList.none.calledOff': 'No cancelled or declined session.',
  },
  fr: {
    'skills.priceLine.single': '{price} · {minutes} min',
    'skills.priceLine.from': 'dès {price}',
    'skills.priceLine.duration': '{minutes} min · {price}',
    'skills.priceLine.byDuration': 'Prix selon la durée',
    'skills.course.label': 'Réservée aux élèves d’un cours',
    'skills.course.none': 'Non : ouverte à tous les élèves',
    'skills.course.hint': 'Seuls les élèves inscrits au cours peuvent réserver cette compétence.',
    'skills.course.invalid': 'Choisissez l’un des cours publiés.',
    'skills.course.forStudents': 'Pour les élèves du cours',
    'mentorPage.skillsTitle': 'Compétences et sessions',
    'mentorPage.noSkills': 'Aucune compétence proposée pour le moment.',
    'mentorPage.perSession': 'la session',
    'mentorPage.bookSkill': 'Réserver {title}',
    'mentorPage.noOneOnOne': 'Pas de session individuelle proposée : voyez les sessions de groupe ci-dessous.',
    'mentorPage.slotsFor': 'Pour {title}',
    'mentorPage.bookAt': 'Réserver {when}',
    'mentorPage.allSlots': 'Tous les créneaux libres',
    'zonePicker.label': 'Horaires affichés en',
    'zonePicker.apply': 'Afficher',
    'bookingList.calledOff': 'Annulées ou refusées',
    'bookingList.none.calledOff': 'Aucune session annulée ou refusée.',
  },
};

export default messages;
