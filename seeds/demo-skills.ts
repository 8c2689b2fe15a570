// Demo skills for the demo mentors (in the order they were created), loaded once and
// only on a database whose users came from the demo seed.
import type { Knex } from 'knex';
import type { SkillCategory } from '../src/skills/model.ts';

const META_KEY = 'demo_skills_seeded';
const DAY_MS = 86_400_000;

interface DemoSkill {
  title: string;
  description: string;
  category: SkillCategory;
  priceCents: number;
  durations: number[];
  group?: { inDays: number; hourUtc: number; capacity: number };
}

// Index = position of the mentor in DEMO_MENTORS (seeds/demo-people.ts).
const SKILLS: DemoSkill[][] = [
  [
    { title: 'Revue de code TypeScript', description: "Envoyez-moi une pull request avant la session : nous la relisons ensemble, ligne par ligne, et vous repartez avec une liste claire d'améliorations (types, tests, lisibilité).", category: 'code-review', priceCents: 4500, durations: [30, 60] },
    { title: 'Code review for growing teams', description: 'Set up a review culture that scales: checklists, small pull requests, useful comments. We practise on your own repository.', category: 'code-review', priceCents: 5500, durations: [60, 90] },
  ],
  [
    { title: 'Rust async: from futures to Tokio in production', description: 'Futures, pinning, executors, cancellation and backpressure, explained on a small service you bring or one I provide.', category: 'programming', priceCents: 7000, durations: [60, 90, 120] },
    { title: 'Atelier Rust asynchrone en groupe', description: 'Deux heures pour écrire un petit serveur Tokio à plusieurs, avec des exercices progressifs. Niveau intermédiaire.', category: 'programming', priceCents: 2500, durations: [120], group: { inDays: 9, hourUtc: 17, capacity: 8 } },
  ],
  [
    { title: 'Reprise de projet WinDev', description: "Vous héritez d'une application WinDev ? Nous faisons le tour de l'analyse HFSQL, des fenêtres et du code pour prioriser les corrections.", category: 'pc-soft', priceCents: 6000, durations: [60, 90] },
    { title: 'HFSQL : requêtes et performances', description: 'Index, requêtes paramétrées, réplication : on mesure et on accélère vos traitements.', category: 'pc-soft', priceCents: 6000, durations: [60] },
  ],
  [{ title: 'WinDev Mobile : votre première application métier', description: 'Une application de saisie terrain avec synchronisation, construite pas à pas.', category: 'pc-soft', priceCents: 2500, durations: [60, 90] }],
  [
    { title: 'Accorder sa guitare et premiers accords', description: "Accordage à l'oreille et à l'accordeur, posture, cinq accords ouverts et un premier rythme. Pour grands débutants.", category: 'music', priceCents: 3000, durations: [30, 60] },
    { title: 'Guitar tuning and maintenance', description: 'Tuning, string changes and basic set-up so your guitar plays in tune all the way up the neck.', category: 'music', priceCents: 3500, durations: [30] },
  ],
  [{ title: 'Data science en Python : de pandas à la production', description: 'Nettoyage de données avec pandas, un modèle scikit-learn, puis comment le servir et le surveiller.', category: 'data', priceCents: 6500, durations: [60, 90, 120] }],
  [
    { title: 'English conversation practice', description: 'Relaxed conversation on topics you choose, with gentle corrections and a written summary of new vocabulary after each session.', category: 'languages', priceCents: 3000, durations: [30, 60] },
    { title: 'English conversation club', description: 'Small group conversation on a weekly theme. Intermediate level (B1+).', category: 'languages', priceCents: 1200, durations: [60], group: { inDays: 5, hourUtc: 18, capacity: 6 } },
  ],
  [{ title: 'UX : mener des entretiens utilisateurs', description: "Préparer un guide d'entretien, poser des questions ouvertes, synthétiser. On s'entraîne sur votre produit.", category: 'design', priceCents: 3000, durations: [60] }],
  [
    { title: 'Maths : préparation au bac', description: 'Analyse, suites, probabilités : méthodes et exercices types, à votre rythme.', category: 'maths', priceCents: 2000, durations: [60, 90] },
    { title: 'Révisions bac de maths en groupe', description: 'Une séance collective de révision sur les sujets des années précédentes.', category: 'maths', priceCents: 1000, durations: [90], group: { inDays: 12, hourUtc: 15, capacity: 12 } },
  ],
  [{ title: 'Node.js et TypeScript côté serveur', description: 'Express, validation avec zod, tests avec vitest : une API propre de bout en bout.', category: 'programming', priceCents: 2500, durations: [60, 90] }],
  [{ title: 'Français pour débutants (A1–A2)', description: 'Se présenter, commander, demander son chemin : des situations concrètes et beaucoup de pratique orale.', category: 'languages', priceCents: 3200, durations: [30, 60] }],
  [{ title: 'Piano: sight-reading for beginners', description: 'Read simple scores fluently with short daily exercises and pieces you enjoy.', category: 'music', priceCents: 4500, durations: [30, 60] }],
  [{ title: 'Relecture de CV et lettre de motivation', description: "Un regard de recruteuse sur votre CV : structure, mots-clés, réalisations chiffrées. Relecture envoyée avant la session.", category: 'career', priceCents: 4000, durations: [30, 60] }],
  [{ title: 'WebDev : webservices REST et déploiement', description: 'Exposer et consommer des webservices REST depuis WebDev, puis déployer proprement.', category: 'pc-soft', priceCents: 5000, durations: [60, 90] }],
  [{ title: 'Excel avancé et Power BI', description: 'Tableaux croisés, Power Query et un premier rapport Power BI à partir de vos fichiers.', category: 'data', priceCents: 2200, durations: [60] }],
  [{ title: 'React and TypeScript code review', description: 'Component design, hooks, state and tests reviewed on your own code, with concrete refactorings.', category: 'code-review', priceCents: 6000, durations: [60, 90] }],
  [{ title: 'Calcul différentiel et algèbre linéaire', description: 'Pour les étudiants de première année : dérivées, intégrales, matrices, avec des exercices corrigés.', category: 'maths', priceCents: 4000, durations: [60, 90] }],
  [{ title: 'Android apps with Kotlin', description: 'Build and ship a small Android app: layouts, navigation, data storage and the Play Store.', category: 'programming', priceCents: 2500, durations: [60, 120] }],
  [{ title: 'Premiers pas en programmation avec Python', description: 'Variables, boucles, fonctions : on écrit de petits programmes utiles dès la première séance.', category: 'programming', priceCents: 3800, durations: [60] }],
  [{ title: 'Anglais professionnel : réunions et entretiens', description: "Simulations d'entretien et de réunion en anglais, avec un retour précis sur vos tournures.", category: 'languages', priceCents: 1800, durations: [30, 60] }],
];

export async function seedDemoSkillsOnce(knex: Knex, now: Date): Promise<number | undefined> {
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [META_KEY]);
    if (await trx('app_meta').where({ key: META_KEY }).first('key')) return undefined;
    const seeded = await trx('app_meta').where({ key: 'demo_seeded' }).first<{ value: { mentors?: number } } | undefined>('value');
    if (!seeded?.value.mentors) return undefined; // real data: demo skills would be noise
    const mentors = await trx('users').where({ role: 'mentor' }).orderBy('createdAt', 'asc').limit(SKILLS.length).select('id', 'createdAt');
    const rows = mentors.flatMap((m: { id: string; createdAt: Date }, i: number) =>
      (SKILLS[i] ?? []).map((s, j) => {
        const createdAt = new Date(Math.max(m.createdAt.getTime(), now.getTime() - (60 - i * 2 - j) * DAY_MS));
        const startsAt = s.group ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + s.group.inDays, s.group.hourUtc)) : null;
        return {
          mentorId: m.id, title: s.title, description: s.description, category: s.category, priceCents: s.priceCents, currency: 'EUR',
          durations: s.durations, mode: s.group ? 'group' : 'one_on_one', status: 'published', startsAt,
          capacity: s.group?.capacity ?? null, createdAt, updatedAt: createdAt,
        };
      }),
    );
    if (rows.length) await trx('skills').insert(rows);
    await trx('app_meta').insert({ key: META_KEY, value: { at: now.toISOString(), skills: rows.length }, updatedAt: now });
    return rows.length;
  });
}
