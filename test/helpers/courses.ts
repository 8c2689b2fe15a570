// A published course with one free-preview lesson and one paid lesson (video keys only:
// the secure URL is signed whether or not the file is there).
import type { TestApp } from './app.ts';

export async function paidCourse(t: TestApp, slug: string, options: { priceCents?: number; included?: boolean; published?: boolean } = {}) {
  const knex = t.deps.knex;
  const [course] = await knex('courses').insert({
    slug, title: `Course ${slug}`, published: options.published ?? true, priceCents: options.priceCents ?? 4900, includedInSubscription: options.included ?? false,
  }).returning('*');
  const [module] = await knex('courseModules').insert({ courseId: course.id, title: 'Module 1', position: 1 }).returning('*');
  const [preview] = await knex('lessons').insert({ moduleId: module.id, title: 'Preview', videoKey: `lessons/${slug}-preview.mp4`, freePreview: true, position: 1 }).returning('*');
  const [lesson] = await knex('lessons').insert({ moduleId: module.id, title: 'Paid lesson', videoKey: `lessons/${slug}-paid.mp4`, position: 2 }).returning('*');
  return { id: course.id as string, slug, previewId: preview.id as string, lessonId: lesson.id as string };
}
