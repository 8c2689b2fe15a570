// Raw demo profiles: fictional people in the places Leboncours is used. demo.ts
// turns each entry into a users row (email, username, phone, dates, URLs).
// Everything here is fixed text so the demo database is the same on every machine.

export type DemoPlace = 'FR' | 'BE' | 'SN' | 'CI' | 'CM' | 'CA';

export interface DemoPerson {
  firstName: string;
  lastName: string;
  /** Overrides the `firstname.lastname` email (the two README accounts). */
  email?: string;
  /** Overrides the `firstname.lastname` username (the two README accounts). */
  username?: string;
  city: string;
  country: DemoPlace;
  locale: 'fr' | 'en';
  languages: string[];
  jobTitle: string;
  company: string | null;
  bio: string;
  experienceLevel: 'beginner' | 'intermediate' | 'expert' | null;
  linkedin?: boolean;
  website?: boolean;
}

export interface DemoMentor extends DemoPerson {
  headline: string;
  hourlyRateCents: number;
}

export const DEMO_MENTORS: DemoMentor[] = [
  {
    firstName: 'Alice', lastName: 'Martin', email: 'alice@example.com', username: 'alice',
    city: 'Paris', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Lead développeuse TypeScript', company: 'Batiflow',
    headline: 'Revue de code et TypeScript pour les équipes qui grandissent', hourlyRateCents: 5500,
    bio: "Dix ans de développement web, dont six à relire le code des autres. Je vous aide à rendre vos revues de code utiles (et plus rapides) et à passer un projet JavaScript en TypeScript strict sans tout casser.",
    experienceLevel: 'intermediate', linkedin: true, website: true,
  },
  {
    firstName: 'Thomas', lastName: 'Lefèvre',
    city: 'Lyon', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Ingénieur logiciel backend', company: 'Kairn Systems',
    headline: 'Rust async et Tokio, du premier future à la prod', hourlyRateCents: 7000,
    bio: "J'écris du Rust en production depuis 2019, surtout des services réseau avec Tokio. En séance on part de votre code : lifetimes, Send/Sync, ou pourquoi votre future ne se réveille jamais.",
    experienceLevel: 'beginner', linkedin: true,
  },
  {
    firstName: 'Nathalie', lastName: 'Girard',
    city: 'Nantes', country: 'FR', locale: 'fr', languages: ['fr'],
    jobTitle: 'Développeuse WinDev / WebDev', company: 'Girard Informatique',
    headline: 'WinDev, WebDev et HFSQL : reprise de projets et bonnes pratiques', hourlyRateCents: 6000,
    bio: "Je développe sous WinDev depuis la version 7 et j'accompagne des PME sur leurs logiciels de gestion. On peut travailler sur HFSQL, les états et impressions, ou la reprise d'un vieux projet WinDev vers WebDev.",
    experienceLevel: 'expert', website: true,
  },
  {
    firstName: 'Mamadou', lastName: 'Ndiaye',
    city: 'Dakar', country: 'SN', locale: 'fr', languages: ['fr', 'wo', 'en'],
    jobTitle: 'Chef de projet informatique', company: 'Teranga Soft',
    headline: 'WinDev Mobile et applications métier', hourlyRateCents: 2500,
    bio: "Je forme des développeurs à WinDev et WinDev Mobile à Dakar depuis 2012. Si vous reprenez une application de caisse ou de gestion de stock, on peut la relire ensemble, fenêtre par fenêtre.",
    experienceLevel: 'expert', linkedin: true,
  },
  {
    firstName: 'Émilie', lastName: 'Roux',
    city: 'Bordeaux', country: 'FR', locale: 'fr', languages: ['fr', 'en', 'es'],
    jobTitle: 'Professeure de guitare', company: 'École de musique Rive Droite',
    headline: 'Guitare acoustique et électrique, tous niveaux', hourlyRateCents: 3500,
    bio: "Guitariste depuis vingt ans, je donne des cours aux ados comme aux adultes qui s'y remettent. On choisit ensemble les morceaux que vous avez envie de jouer, et on travaille la technique à partir de là.",
    experienceLevel: null, website: true,
  },
  {
    firstName: 'Julien', lastName: 'Moreau',
    city: 'Montréal', country: 'CA', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Scientifique des données', company: 'Érable Analytique',
    headline: 'Data science en Python : pandas, scikit-learn et mise en production', hourlyRateCents: 6500,
    bio: "Data scientist à Montréal, ancien prof de maths au cégep. J'aime surtout aider à passer du notebook qui marche sur mon poste au modèle qu'on peut vraiment déployer.",
    experienceLevel: 'beginner', linkedin: true,
  },
  {
    firstName: 'Sarah', lastName: 'Campbell',
    city: 'Montréal', country: 'CA', locale: 'en', languages: ['en', 'fr'],
    jobTitle: 'ESL teacher and conversation coach', company: 'Plateau Language Studio',
    headline: 'English conversation for French speakers', hourlyRateCents: 3000,
    bio: "I taught English in Montréal high schools for eight years and now coach adults one-on-one. Sessions are mostly relaxed conversation about your work or your plans, with a short list of corrections at the end.",
    experienceLevel: null, linkedin: true,
  },
  {
    firstName: 'Aminata', lastName: 'Diop',
    city: 'Dakar', country: 'SN', locale: 'fr', languages: ['fr', 'wo', 'en'],
    jobTitle: 'Designer UX/UI', company: 'Sahel Digital',
    headline: 'UX design : entretiens utilisateurs et prototypes Figma', hourlyRateCents: 3000,
    bio: "Je conçois des applis mobiles pour des banques et des ONG en Afrique de l'Ouest. Je peux vous apprendre à mener vos premiers entretiens utilisateurs ou relire vos maquettes Figma avec un regard critique.",
    experienceLevel: 'beginner', linkedin: true, website: true,
  },
  {
    firstName: 'Koffi', lastName: "N'Guessan",
    city: 'Abidjan', country: 'CI', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Professeur de mathématiques', company: 'Groupe scolaire Les Palmiers',
    headline: 'Maths au lycée : analyse, probabilités, préparation au bac', hourlyRateCents: 2000,
    bio: "Professeur de maths en lycée depuis quinze ans. Je reprends les bases sans jugement et on fait beaucoup d'exercices type bac.",
    experienceLevel: null,
  },
  {
    firstName: 'Jean-Paul', lastName: 'Mbarga',
    city: 'Yaoundé', country: 'CM', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Développeur full-stack', company: 'Mboa Tech',
    headline: 'Node.js et TypeScript côté serveur', hourlyRateCents: 2500,
    bio: "Je construis des API Node.js et TypeScript pour des startups de Yaoundé et de Douala. J'ai aussi maintenu une grosse application WinDev, donc je comprends bien ceux qui viennent de l'écosystème PC Soft.",
    experienceLevel: 'intermediate', linkedin: true,
  },
  {
    firstName: 'Claire', lastName: 'Dubois',
    city: 'Bruxelles', country: 'BE', locale: 'fr', languages: ['fr', 'nl', 'en'],
    jobTitle: 'Professeure de FLE', company: 'Maison des Langues Ixelles',
    headline: 'Français pour débutants (FLE, niveaux A1 et A2)', hourlyRateCents: 3200,
    bio: "J'enseigne le français langue étrangère à des adultes qui arrivent en Belgique. Les séances sont très concrètes : se présenter, prendre un rendez-vous, comprendre un courrier de la commune.",
    experienceLevel: null, website: true,
  },
  {
    firstName: 'Pieter', lastName: 'Janssens',
    city: 'Gent', country: 'BE', locale: 'en', languages: ['nl', 'en', 'fr'],
    jobTitle: 'Pianist and piano teacher', company: null,
    headline: 'Piano lessons: classical repertoire and sight-reading', hourlyRateCents: 4500,
    bio: "I studied at the conservatory in Ghent and have been teaching piano for twelve years. I work well with adult beginners and with pianists coming back after a long break.",
    experienceLevel: null, website: true,
  },
  {
    firstName: 'Sophie', lastName: 'Laurent',
    city: 'Lille', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Chargée de recrutement tech', company: 'Nordtalent',
    headline: 'Relecture de CV et préparation aux entretiens', hourlyRateCents: 4000,
    bio: "Je lis plus de cent CV par semaine pour des postes de développeurs et de data analysts. En une séance, on rend le vôtre lisible en trente secondes et on prépare les questions qui vous font peur.",
    experienceLevel: null, linkedin: true,
  },
  {
    firstName: 'Antoine', lastName: 'Bernard',
    city: 'Toulouse', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Développeur WebDev et PHP', company: 'Occitanie Gestion',
    headline: 'WebDev et WinDev : SQL, webservices REST et déploiement', hourlyRateCents: 5000,
    bio: "Quinze ans de WinDev et WebDev, aujourd'hui surtout sur des sites métier reliés à HFSQL et MySQL. Je vous aide à exposer vos données en REST et à déployer proprement sur un serveur d'application.",
    experienceLevel: 'expert', linkedin: true,
  },
  {
    firstName: 'Fatou', lastName: 'Sow',
    city: 'Dakar', country: 'SN', locale: 'fr', languages: ['fr', 'wo'],
    jobTitle: 'Data analyst', company: 'Kayar Finance',
    headline: 'Excel avancé, SQL et Power BI', hourlyRateCents: 2200,
    bio: "Analyste de données dans la microfinance. J'explique les tableaux croisés, les requêtes SQL et les tableaux de bord Power BI avec vos propres fichiers.",
    experienceLevel: 'intermediate', linkedin: true,
  },
  {
    firstName: 'Daniel', lastName: "O'Connor",
    city: 'Montréal', country: 'CA', locale: 'en', languages: ['en', 'fr'],
    jobTitle: 'Senior frontend engineer', company: 'Northlake Labs',
    headline: 'React and TypeScript code review', hourlyRateCents: 6000,
    bio: "Frontend engineer for twelve years, mostly React and TypeScript these days. Send me a pull request before the session and we'll go through it together: types, state, tests and naming.",
    experienceLevel: 'beginner', linkedin: true, website: true,
  },
  {
    firstName: 'Louis-Philippe', lastName: 'Gagnon',
    city: 'Québec', country: 'CA', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Enseignant en mathématiques au cégep', company: 'Cégep de la Capitale',
    headline: 'Calcul différentiel et intégral, algèbre linéaire', hourlyRateCents: 4000,
    bio: "J'enseigne le calcul et l'algèbre linéaire au cégep depuis 2010. Mon truc : faire des dessins avant de faire des calculs.",
    experienceLevel: null,
  },
  {
    firstName: 'Ernest', lastName: 'Tabi',
    city: 'Buea', country: 'CM', locale: 'en', languages: ['en', 'fr'],
    jobTitle: 'Mobile developer', company: 'Mount Fako Studio',
    headline: 'Android apps with Kotlin and Flutter', hourlyRateCents: 2500,
    bio: "I build Android apps for clients in Buea and Douala, in Kotlin and Flutter. I can help you ship your first app to the Play Store or review the one you already have.",
    experienceLevel: 'intermediate', linkedin: true,
  },
  {
    firstName: 'Chloé', lastName: 'Fontaine',
    city: 'Marseille', country: 'FR', locale: 'fr', languages: ['fr', 'en', 'it'],
    jobTitle: 'Développeuse Python indépendante', company: null,
    headline: 'Premiers pas en programmation avec Python', hourlyRateCents: 3800,
    bio: "Ancienne prof de physique passée au développement. J'accompagne les grands débutants : variables, boucles, puis un petit projet qui vous sert vraiment.",
    experienceLevel: 'beginner', website: true,
  },
  {
    firstName: 'Mariam', lastName: 'Coulibaly',
    city: 'Abidjan', country: 'CI', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: "Professeure d'anglais", company: 'Institut Lagunes Langues',
    headline: 'Anglais professionnel : réunions, e-mails, entretiens', hourlyRateCents: 1800,
    bio: "J'ai vécu cinq ans à Accra et j'enseigne maintenant l'anglais à des cadres à Abidjan. On travaille à l'oral, à partir de situations que vous vivez au bureau.",
    experienceLevel: null, linkedin: true,
  },
];

export const DEMO_STUDENTS: DemoPerson[] = [
  {
    firstName: 'Bob', lastName: 'Diallo', email: 'bob@example.com', username: 'bob',
    city: 'Dakar', country: 'SN', locale: 'fr', languages: ['fr', 'wo', 'en'],
    jobTitle: 'Développeur junior', company: 'Baobab Services',
    bio: "Je viens de finir une formation WinDev et je cherche quelqu'un pour relire mon premier vrai projet. J'aimerais aussi me mettre à TypeScript.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Léa', lastName: 'Fournier',
    city: 'Paris', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Étudiante en M1 informatique', company: null,
    bio: "Je prépare mon stage de fin d'études et je voudrais quelqu'un pour relire mon code avant de le montrer.",
    experienceLevel: 'beginner', linkedin: true,
  },
  {
    firstName: 'Hugo', lastName: 'Lambert',
    city: 'Rennes', country: 'FR', locale: 'fr', languages: ['fr'],
    jobTitle: 'Développeur WinDev', company: 'Breizh Gestion',
    bio: "Je maintiens une appli WinDev 25 pour une coopérative agricole. Je voudrais réécrire les requêtes proprement en SQL et comprendre HFSQL Client/Serveur.",
    experienceLevel: 'intermediate',
  },
  {
    firstName: 'Inès', lastName: 'Benali',
    city: 'Marseille', country: 'FR', locale: 'fr', languages: ['fr', 'ar', 'en'],
    jobTitle: 'Lycéenne en terminale', company: null,
    bio: "Terminale spé maths, je bloque sur les suites et les probas. Je cherche quelqu'un de patient pour préparer le bac.",
    experienceLevel: null,
  },
  {
    firstName: 'Moussa', lastName: 'Sarr',
    city: 'Thiès', country: 'SN', locale: 'fr', languages: ['fr', 'wo'],
    jobTitle: 'Étudiant en licence de gestion', company: null,
    bio: "Je veux apprendre Excel et un peu de SQL pour mon stage dans une banque.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Awa', lastName: 'Fall',
    city: 'Dakar', country: 'SN', locale: 'fr', languages: ['fr', 'wo', 'en'],
    jobTitle: 'Assistante de direction', company: 'Cabinet Fall & Associés',
    bio: "Mon directeur reçoit de plus en plus de partenaires anglophones. Je veux gagner en aisance à l'oral, surtout au téléphone.",
    experienceLevel: null,
  },
  {
    firstName: 'Ousmane', lastName: 'Ba',
    city: 'Ziguinchor', country: 'SN', locale: 'fr', languages: ['fr', 'wo'],
    jobTitle: 'Technicien informatique', company: 'Casamance Équipement',
    bio: "On m'a confié une petite appli WinDev Mobile pour les livreurs. J'ai besoin d'aide pour la synchronisation avec le serveur.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Yannick', lastName: 'Konan',
    city: 'Abidjan', country: 'CI', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Développeur web', company: 'Lagune Web',
    bio: "Je fais surtout du JavaScript et je veux passer à TypeScript sans perdre trois semaines. Une relecture de mon projet Express m'aiderait beaucoup.",
    experienceLevel: 'intermediate', linkedin: true,
  },
  {
    firstName: 'Aya', lastName: 'Kouamé',
    city: 'Abidjan', country: 'CI', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Étudiante en design graphique', company: null,
    bio: "Je viens du graphisme print et je veux comprendre comment on conçoit une appli. Mon objectif : un premier projet UX pour mon portfolio.",
    experienceLevel: null, website: true,
  },
  {
    firstName: 'Ibrahim', lastName: 'Traoré',
    city: 'Bouaké', country: 'CI', locale: 'fr', languages: ['fr'],
    jobTitle: 'Comptable', company: 'Groupe Gbêkê Distribution',
    bio: "Notre logiciel de facturation est fait en WinDev et le prestataire est parti. Je veux comprendre assez le projet pour faire les petites modifications moi-même.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Adjoua', lastName: "N'Dri",
    city: 'Yamoussoukro', country: 'CI', locale: 'fr', languages: ['fr'],
    jobTitle: 'Professeure des écoles', company: null,
    bio: "J'ai une guitare depuis des années et je ne sais jouer que trois accords. Je voudrais accompagner des chansons avec mes élèves.",
    experienceLevel: null,
  },
  {
    firstName: 'Carine', lastName: 'Ngono',
    city: 'Yaoundé', country: 'CM', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Étudiante en génie logiciel', company: null,
    bio: "En dernière année d'école d'ingénieurs. Je m'intéresse à Rust et à la programmation asynchrone, mais les erreurs du compilateur me découragent encore.",
    experienceLevel: 'beginner', linkedin: true,
  },
  {
    firstName: 'Patrick', lastName: 'Nana',
    city: 'Douala', country: 'CM', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Gestionnaire de stock', company: 'Port Autonome Logistique',
    bio: "Je veux créer une petite application de suivi de stock avec WinDev. J'ai suivi les tutoriels, maintenant il me faut quelqu'un pour me guider sur un vrai cas.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Joël', lastName: 'Kamga',
    city: 'Douala', country: 'CM', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Développeur mobile junior', company: 'Wouri Apps',
    bio: "Je fais du Flutter depuis six mois. Je cherche des revues de code régulières pour prendre de bonnes habitudes.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Grace', lastName: 'Ayuk',
    city: 'Bamenda', country: 'CM', locale: 'en', languages: ['en'],
    jobTitle: 'Nursing student', company: null,
    bio: "I'm moving to Yaoundé for my internship and my French is very basic. I'd like to be able to talk with patients and colleagues.",
    experienceLevel: null,
  },
  {
    firstName: 'Kevin', lastName: 'Fon',
    city: 'Buea', country: 'CM', locale: 'en', languages: ['en', 'fr'],
    jobTitle: 'Computer science student', company: null,
    bio: "Final-year student writing a small web server in Rust for my project. I'd like help understanding async and Tokio before my defence.",
    experienceLevel: 'beginner', linkedin: true,
  },
  {
    firstName: 'Manon', lastName: 'Chevalier',
    city: 'Lyon', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Cheffe de projet marketing', company: 'Rhône Cosmétiques',
    bio: "Je passe mes journées dans des exports Excel et je voudrais apprendre pandas pour automatiser tout ça.",
    experienceLevel: null, linkedin: true,
  },
  {
    firstName: 'Lucas', lastName: 'Bonnet',
    city: 'Nantes', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Alternant développeur', company: 'Atlantique Mutuelle',
    bio: "En alternance dans une équipe qui fait beaucoup de revues de code. Je veux apprendre à mieux découper mes pull requests et à recevoir les commentaires sans stresser.",
    experienceLevel: 'intermediate',
  },
  {
    firstName: 'Camille', lastName: 'Rousseau',
    city: 'Strasbourg', country: 'FR', locale: 'fr', languages: ['fr', 'de', 'en'],
    jobTitle: 'Infirmière', company: 'Clinique des Vosges',
    bio: "J'ai fait du piano enfant et j'aimerais reprendre avec des horaires décalés. Plutôt du classique.",
    experienceLevel: null,
  },
  {
    firstName: 'Nicolas', lastName: 'Garnier',
    city: 'Grenoble', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Ingénieur en reconversion', company: null,
    bio: "Dix ans en mécanique, je me reconvertis dans le logiciel embarqué. Je veux progresser vite en Rust.",
    experienceLevel: 'beginner', linkedin: true,
  },
  {
    firstName: 'Zoé', lastName: 'Lemoine',
    city: 'Montpellier', country: 'FR', locale: 'fr', languages: ['fr', 'en', 'es'],
    jobTitle: 'Étudiante en licence LEA', company: null,
    bio: "Je cherche mon premier stage et je ne sais pas si mon CV donne envie. Un regard extérieur me serait très utile.",
    experienceLevel: null,
  },
  {
    firstName: 'Maxime', lastName: 'Faure',
    city: 'Clermont-Ferrand', country: 'FR', locale: 'fr', languages: ['fr'],
    jobTitle: 'Développeur WinDev', company: 'Auvergne Logistique',
    bio: "Je connais bien WinDev mais pas du tout WebDev. On doit sortir un portail client l'an prochain et je veux démarrer sur de bonnes bases.",
    experienceLevel: 'expert',
  },
  {
    firstName: 'Amélie', lastName: 'Perrin',
    city: 'Dijon', country: 'FR', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Graphiste', company: 'Studio Moutarde',
    bio: "De plus en plus de clients me demandent des maquettes d'applis. Je veux apprendre les bases de l'UX et de Figma.",
    experienceLevel: null, website: true,
  },
  {
    firstName: 'Mathieu', lastName: 'Claes',
    city: 'Bruxelles', country: 'BE', locale: 'fr', languages: ['fr', 'nl', 'en'],
    jobTitle: 'Analyste fonctionnel', company: 'Brabant Assurances',
    bio: "J'écris des spécifications pour des développeurs et je voudrais comprendre un peu mieux ce qu'ils font, en commençant par Python.",
    experienceLevel: 'beginner', linkedin: true,
  },
  {
    firstName: 'Elise', lastName: 'Peeters',
    city: 'Antwerpen', country: 'BE', locale: 'en', languages: ['nl', 'en'],
    jobTitle: 'Marketing coordinator', company: 'Scheldt Logistics',
    bio: "Half of our clients are in Wallonia and I'm tired of answering them in English. I'd like to build solid basics in French.",
    experienceLevel: null,
  },
  {
    firstName: 'Noah', lastName: 'Willems',
    city: 'Liège', country: 'BE', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Étudiant en bachelier informatique', company: null,
    bio: "On a un projet en TypeScript ce quadrimestre et je suis perdu avec les types génériques.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Laura', lastName: 'Maes',
    city: 'Namur', country: 'BE', locale: 'fr', languages: ['fr', 'nl'],
    jobTitle: 'Professeure de sciences', company: null,
    bio: "Je veux apprendre la guitare pour le plaisir, surtout de la chanson française.",
    experienceLevel: null,
  },
  {
    firstName: 'Émile', lastName: 'Tremblay',
    city: 'Montréal', country: 'CA', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: "Étudiant en techniques de l'informatique", company: null,
    bio: "Je suis au cégep et le cours de calcul me donne du fil à retordre. J'aimerais des séances avant chaque examen.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Gabrielle', lastName: 'Côté',
    city: 'Québec', country: 'CA', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: "Analyste d'affaires", company: 'Capitale Assurances',
    bio: "Je veux passer vers un poste en science des données d'ici un an. Je cherche de l'aide en Python et quelqu'un pour retravailler mon CV.",
    experienceLevel: null, linkedin: true,
  },
  {
    firstName: 'Ryan', lastName: 'MacDonald',
    city: 'Montréal', country: 'CA', locale: 'en', languages: ['en'],
    jobTitle: 'Software developer', company: 'Lachine Robotics',
    bio: "Moved to Montréal last year and my team switches to French in meetings. I need the basics, fast, and I'm happy to practise with tech vocabulary.",
    experienceLevel: 'beginner', linkedin: true,
  },
  {
    firstName: 'Jessica', lastName: 'Nguyen',
    city: 'Montréal', country: 'CA', locale: 'en', languages: ['en', 'fr', 'vi'],
    jobTitle: 'Product manager', company: 'Mile End Health',
    bio: "I review specs all day but not code. I'd like to read a pull request and understand what's being discussed.",
    experienceLevel: null, linkedin: true,
  },
  {
    firstName: 'Olivia', lastName: 'Bennett',
    city: 'Ottawa', country: 'CA', locale: 'en', languages: ['en'],
    jobTitle: 'Policy analyst', company: null,
    bio: "I need to pass my French language evaluation for work next spring. Starting from A1, honestly.",
    experienceLevel: null,
  },
  {
    firstName: 'William', lastName: 'Roy',
    city: 'Sherbrooke', country: 'CA', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Gestionnaire de PME', company: 'Quincaillerie Roy et fils',
    bio: "Notre inventaire tourne sur une vieille appli WinDev que personne ne comprend plus. Je veux savoir s'il vaut mieux la reprendre ou la remplacer.",
    experienceLevel: 'beginner',
  },
  {
    firstName: 'Ethan', lastName: 'Clarke',
    city: 'Lyon', country: 'FR', locale: 'en', languages: ['en', 'fr'],
    jobTitle: 'English teacher', company: "Presqu'île Language School",
    bio: "Teaching English in Lyon by day, trying to learn piano by night. Complete beginner, but motivated.",
    experienceLevel: null,
  },
  {
    firstName: 'Rachel', lastName: 'Adams',
    city: 'Paris', country: 'FR', locale: 'en', languages: ['en', 'fr'],
    jobTitle: 'Project manager', company: 'Canal Saint-Martin Ventures',
    bio: "I've lived in Paris for a year and still order coffee in English. Looking for patient French lessons focused on daily life.",
    experienceLevel: null, linkedin: true,
  },
  {
    firstName: 'Cheikh', lastName: 'Mbaye',
    city: 'Dakar', country: 'SN', locale: 'fr', languages: ['fr', 'wo'],
    jobTitle: 'Développeur WebDev', company: 'Ndar Solutions',
    bio: "Je développe des sites WebDev pour des écoles privées. Je veux apprendre à sécuriser les formulaires et à brancher un webservice de paiement mobile.",
    experienceLevel: 'intermediate',
  },
  {
    firstName: 'Khady', lastName: 'Seck',
    city: 'Dakar', country: 'SN', locale: 'fr', languages: ['fr', 'wo', 'en'],
    jobTitle: 'Étudiante en master data science', company: null,
    bio: "Je prépare un mémoire sur la prévision des ventes. J'ai besoin d'un regard expérimenté sur mes modèles scikit-learn.",
    experienceLevel: null, linkedin: true,
  },
  {
    firstName: 'Serge', lastName: 'Kouadio',
    city: 'Abidjan', country: 'CI', locale: 'fr', languages: ['fr'],
    jobTitle: 'Gérant de boutique en ligne', company: 'Kouadio Pagnes',
    bio: "Je vends des pagnes en ligne et mon site est lent et peu clair. Je cherche des conseils UX concrets.",
    experienceLevel: null, website: true,
  },
  {
    firstName: 'Armelle', lastName: 'Ngo Bikoko',
    city: 'Douala', country: 'CM', locale: 'fr', languages: ['fr', 'en'],
    jobTitle: 'Étudiante en master finance', company: null,
    bio: "Je vise un stage dans une banque internationale et les entretiens se font en anglais. Je veux pratiquer l'oral le plus possible.",
    experienceLevel: null,
  },
  {
    firstName: 'Pauline', lastName: 'Marchand',
    city: 'Toulouse', country: 'FR', locale: 'fr', languages: ['fr'],
    jobTitle: 'Comptable à la retraite', company: null,
    bio: "Jeune retraitée, je me lance enfin dans le piano. Je lis un peu la musique, le reste est à apprendre.",
    experienceLevel: null,
  },
];
