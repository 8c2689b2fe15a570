// Demo courses (seed 001 topics, a programming and a language course) with modules,
// lessons, sample videos and PDFs from seeds/media, enrollments, reviews, Q&A and
// mentor reviews. Loaded once, only over demo users.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { readVideoSeconds } from '../src/course-admin/video-duration.ts';
import { storeImageVariants } from '../src/lib/images.ts';
import type { Storage } from '../src/lib/storage.ts';
import { fromRoot } from '../src/lib/project-root.ts';

const META_KEY = 'demo_courses_seeded';
const MEDIA = fromRoot('seeds', 'media');

interface DemoCourse {
  slug: string; title: string; subtitle: string; level: string; priceCents: number; educator: number; thumb: string;
  short: string; html: string; compatibility: string[]; prerequisites: string[]; objectives: string[];
  modules: { title: string; lessons: { title: string; description: string; preview?: boolean; video: string }[] }[];
  resource?: { title: string; file: string };
}

const COURSES: DemoCourse[] = [
  {
    slug: 'windev-25-les-fondamentaux', title: 'WinDev 25 : les fondamentaux', subtitle: 'De l’analyse HFSQL à la première application livrée', level: 'beginner', priceCents: 0, educator: 2, thumb: 'thumb-windev.webp',
    short: 'Construisez une application de gestion complète avec WinDev 25, pas à pas.',
    html: '<p>Ce cours vous accompagne de la conception de l’analyse <strong>HFSQL</strong> jusqu’au déploiement.</p><ul><li>Analyse et liaisons</li><li>Fenêtres et contrôles</li><li>Requêtes et états</li></ul>',
    compatibility: ['WD25', 'WD26'], prerequisites: ['Savoir utiliser Windows', 'Notions de base de données'], objectives: ['Concevoir une analyse HFSQL propre', 'Écrire des requêtes paramétrées', 'Livrer un exécutable et sa base'],
    modules: [
      { title: 'Prise en main', lessons: [
        { title: 'Découvrir l’environnement', description: 'Le volet projet, l’éditeur de fenêtres et le débogueur.', preview: true, video: 'lesson-a.mp4' },
        { title: 'Créer l’analyse', description: 'Fichiers, rubriques, clés et liaisons.', video: 'lesson-b.mp4' },
      ] },
      { title: 'Requêtes et états', lessons: [
        { title: 'Requêtes paramétrées', description: 'Pourquoi ne jamais concaténer une saisie dans une requête.', video: 'lesson-a.mp4' },
        { title: 'Imprimer un état', description: 'Un état sur requête avec ruptures et totaux.', video: 'lesson-b.mp4' },
      ] },
    ],
    resource: { title: 'Aide-mémoire WinDev (PDF)', file: 'guide-windev.pdf' },
  },
  {
    slug: 'webdev-webservices-rest', title: 'WebDev : webservices REST', subtitle: 'Exposer, consommer et sécuriser vos API', level: 'intermediate', priceCents: 4900, educator: 13, thumb: 'thumb-windev.webp',
    short: 'Des webservices REST propres avec WebDev, de la conception au déploiement.',
    html: '<p>Concevez des API REST lisibles et sûres avec <em>WebDev</em> : routes, JSON, authentification et tests.</p>',
    compatibility: ['WB25', 'WB26'], prerequisites: ['Les bases de WebDev'], objectives: ['Concevoir des routes REST', 'Sérialiser en JSON', 'Protéger une API par jeton'],
    modules: [{ title: 'Concevoir l’API', lessons: [
      { title: 'Des ressources, pas des actions', description: 'Nommer les routes comme des ressources.', preview: true, video: 'lesson-b.mp4' },
      { title: 'Réponses et erreurs', description: 'Codes HTTP, messages d’erreur et versionnage.', video: 'lesson-a.mp4' },
    ] }],
  },
  {
    slug: 'typescript-types-at-the-boundaries', title: 'TypeScript: types at the boundaries', subtitle: 'Validate once, trust everywhere', level: 'advanced', priceCents: 0, educator: 0, thumb: 'thumb-typescript.webp',
    short: 'Parse input at the edges of your system with zod and keep the core simple and safe.',
    html: '<p>Where do bugs come from? From data you <strong>assumed</strong> was valid. This course shows how to parse, not validate.</p><ol><li>Branded types</li><li>Schemas at the edges</li><li>Exhaustive checks</li></ol>',
    compatibility: [], prerequisites: ['Comfortable with TypeScript generics'], objectives: ['Model inputs as schemas', 'Use branded types for ids', 'Make impossible states unrepresentable'],
    modules: [
      { title: 'Parsing, not validating', lessons: [
        { title: 'Why boundaries matter', description: 'Trust nothing that crosses a process boundary.', preview: true, video: 'lesson-a.mp4' },
        { title: 'zod in practice', description: 'Schemas, transforms and error messages.', video: 'lesson-b.mp4' },
      ] },
    ],
    resource: { title: 'TypeScript cheat sheet (PDF)', file: 'typescript-cheatsheet.pdf' },
  },
  {
    slug: 'francais-premiers-pas', title: 'Français : premiers pas (A1)', subtitle: 'Se présenter et comprendre l’essentiel', level: 'beginner', priceCents: 1900, educator: 10, thumb: 'thumb-french.webp',
    short: 'Vos premières conversations en français, avec des situations de tous les jours.',
    html: '<p>Apprenez à vous présenter, commander au café et demander votre chemin.</p>',
    compatibility: [], prerequisites: [], objectives: ['Se présenter', 'Poser des questions simples', 'Comprendre les nombres et l’heure'],
    modules: [{ title: 'Bonjour !', lessons: [
      { title: 'Se présenter', description: 'Je m’appelle…, j’habite à…', preview: true, video: 'lesson-b.mp4' },
      { title: 'Au café', description: 'Commander et payer poliment.', video: 'lesson-a.mp4' },
    ] }],
  },
];

const REVIEWS = [
  'Clair, concret et bien rythmé : exactement ce qu’il me fallait pour démarrer.',
  'Very practical, the examples map directly onto my day job.',
  'Les exercices sont bien choisis, j’aurais aimé un module de plus sur les états.',
  'Great explanations, I finally understand why this matters.',
];

async function put(storage: Storage, folder: string, file: string): Promise<string> {
  // Pictures go through the upload pipeline, so the demo pages get every width too.
  if (folder === 'courses') {
    const buffer = fs.readFileSync(path.join(MEDIA, file));
    return storeImageVariants(storage, 'courses', { buffer, size: buffer.length });
  }
  const ext = path.extname(file).slice(1);
  const key = `${folder}/demo-${path.basename(file, `.${ext}`)}.${ext}`;
  await storage.put(key, fs.readFileSync(path.join(MEDIA, file)));
  return key;
}

const DEMO_VIDEOS = ['intro.mp4', 'lesson-a.mp4', 'lesson-b.mp4'];

/** Each demo video's length, read from the file as an upload would be. */
async function demoVideoSeconds(): Promise<Record<string, number>> {
  const seconds: Record<string, number> = {};
  for (const file of DEMO_VIDEOS) seconds[file] = (await readVideoSeconds(fs.readFileSync(path.join(MEDIA, file)), 'video/mp4')) ?? 0;
  return seconds;
}

/** Set once the demo lessons' lengths are the files' own: from then on no start reads the videos. */
const DURATIONS_KEY = 'demo_video_durations';

const markDurations = (trx: Knex.Transaction, seconds: Record<string, number>, now: Date) =>
  trx('appMeta').insert({ key: DURATIONS_KEY, value: { at: now.toISOString(), seconds }, updatedAt: now }).onConflict('key').ignore();

/**
 * Demo lessons seeded before durations were read from the files carry typed lengths
 * (3:30 on a 0:06 clip): put their files' lengths back, once per database (reading the
 * videos costs a start ~100 ms). Only lessons still pointing at a demo file are touched.
 */
async function syncDemoDurations(knex: Knex, now: Date): Promise<void> {
  if (await knex('appMeta').where({ key: DURATIONS_KEY }).first('key')) return;
  const seconds = await demoVideoSeconds();
  await knex.transaction(async (trx) => {
    for (const [file, length] of Object.entries(seconds)) {
      const ext = path.extname(file).slice(1);
      await trx('lessons').where({ videoKey: `videos/demo-${path.basename(file, `.${ext}`)}.${ext}` }).whereNot({ durationSeconds: length }).update({ durationSeconds: length });
    }
    await markDurations(trx, seconds, now);
  });
}

export async function seedDemoCoursesOnce(knex: Knex, storage: Storage, now: Date): Promise<{ courses: number } | undefined> {
  if (await knex('appMeta').where({ key: META_KEY }).first('key')) {
    await syncDemoDurations(knex, now);
    return undefined;
  }
  const seeded = await knex('appMeta').where({ key: 'demo_seeded' }).first<{ value: { mentors?: number } } | undefined>('value');
  if (!seeded?.value.mentors) return undefined;
  const seconds = await demoVideoSeconds();
  // Files first (idempotent keys), rows in one transaction.
  const media: Record<string, string> = {};
  for (const file of DEMO_VIDEOS) media[file] = await put(storage, 'videos', file);
  for (const file of ['guide-windev.pdf', 'typescript-cheatsheet.pdf']) media[file] = await put(storage, 'resources', file);
  for (const file of ['thumb-windev.webp', 'thumb-typescript.webp', 'thumb-french.webp', 'header.webp']) media[file] = await put(storage, 'courses', file);

  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [META_KEY]);
    if (await trx('appMeta').where({ key: META_KEY }).first('key')) return undefined;
    const mentors: { id: string }[] = await trx('users').where({ role: 'mentor' }).orderBy('createdAt').select('id');
    const students: { id: string }[] = await trx('users').where({ role: 'student' }).orderBy('createdAt').select('id');
    for (const [c, course] of COURSES.entries()) {
      const [row] = await trx('courses').insert({
        slug: course.slug, title: course.title, subtitle: course.subtitle, published: true, shortDescription: course.short, descriptionHtml: course.html,
        thumbnailKey: media[course.thumb], headerKey: media['header.webp'], introVideoKey: media['intro.mp4'], level: course.level,
        compatibility: course.compatibility, prerequisites: course.prerequisites, objectives: course.objectives, priceCents: course.priceCents,
      }).returning('id');
      const courseId = (row as { id: string }).id;
      const educator = mentors[course.educator];
      if (educator) await trx('courseEducators').insert({ courseId, mentorId: educator.id });
      let firstLesson: string | undefined;
      for (const [m, mod] of course.modules.entries()) {
        const [moduleRow] = await trx('courseModules').insert({ courseId, title: mod.title, position: m + 1 }).returning('id');
        for (const [l, lesson] of mod.lessons.entries()) {
          const [lessonRow] = await trx('lessons').insert({
            moduleId: (moduleRow as { id: string }).id, title: lesson.title, description: lesson.description, videoKey: media[lesson.video],
            durationSeconds: seconds[lesson.video] ?? 0, freePreview: Boolean(lesson.preview), position: l + 1,
          }).returning('id');
          firstLesson ??= (lessonRow as { id: string }).id;
        }
      }
      if (course.resource) {
        const size = fs.statSync(path.join(MEDIA, course.resource.file)).size;
        await trx('courseResources').insert({ courseId, lessonId: firstLesson, title: course.resource.title, kind: 'pdf', fileKey: media[course.resource.file], contentType: 'application/pdf', sizeBytes: size });
      }
      // Enrollments (the trigger counts them), reviews (the trigger averages them).
      const enrolled = students.slice(c * 5, c * 5 + 8);
      if (enrolled.length) await trx('enrollments').insert(enrolled.map((s) => ({ courseId, userId: s.id, source: course.priceCents === 0 ? 'free' : 'admin' })));
      const reviewers = enrolled.slice(0, 3 + (c % 2));
      if (reviewers.length) {
        await trx('courseReviews').insert(reviewers.map((s, i) => ({ courseId, userId: s.id, rating: 5 - ((i + c) % 3 === 2 ? 1 : 0), body: REVIEWS[(i + c) % REVIEWS.length] })));
      }
      // A question with a reply and an official answer from the educator.
      if (firstLesson && enrolled[0] && educator) {
        const [question] = await trx('lessonComments').insert({ lessonId: firstLesson, userId: enrolled[0].id, authorRole: 'student', body: c % 2 ? 'Is the video available offline?' : 'Peut-on suivre ce cours avec la version précédente ?' }).returning('id');
        const parentId = (question as { id: string }).id;
        if (enrolled[1]) await trx('lessonComments').insert({ lessonId: firstLesson, parentId, userId: enrolled[1].id, authorRole: 'student', body: c % 2 ? 'I had the same question.' : 'Je me posais la même question.' });
        await trx('lessonComments').insert({ lessonId: firstLesson, parentId, userId: educator.id, authorRole: 'mentor', pinned: true, body: c % 2 ? 'Not offline, but every lesson stays available to enrolled students.' : 'Oui : les écrans diffèrent un peu, les principes sont les mêmes.' });
      }
    }
    // Course-linked skill (seed 004): only students of the WinDev course can book it.
    const windev = await trx('courses').where({ slug: 'windev-25-les-fondamentaux' }).first('id');
    if (windev && mentors[2]) await trx('skills').where({ mentorId: mentors[2].id }).whereILike('title', 'HFSQL%').update({ courseId: windev.id });
    // Mentor reviews for completed bookings (the trigger keeps each mentor's average).
    const completed: { id: string; mentorId: string; studentId: string }[] = await trx('bookings').where({ status: 'completed', kind: 'one_on_one' }).select('id', 'mentorId', 'studentId');
    if (completed.length) {
      await trx('mentorReviews').insert(completed.map((b, i) => ({
        bookingId: b.id, mentorId: b.mentorId, studentId: b.studentId, rating: i % 4 === 3 ? 4 : 5, body: REVIEWS[i % REVIEWS.length],
      })));
    }
    await trx('appMeta').insert({ key: META_KEY, value: { at: now.toISOString(), courses: COURSES.length }, updatedAt: now });
    // The lessons take the files' lengths right here: there is nothing to put right later.
    await markDurations(trx, seconds, now);
    return { courses: COURSES.length };
  });
}
