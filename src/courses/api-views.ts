// How a course looks in the public API: what its public page shows before purchase.
// Never a video or file key, nor a URL to one: those are for enrolled students.
import { z } from '../lib/api/openapi.ts';
import { LEVELS, type Course } from './model.ts';

const money = z.object({ amount: z.number().int().openapi({ description: 'Minor units (cents); 0 is a free course' }), currency: z.string().length(3) });

export const CourseView = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  subtitle: z.string().nullable(),
  summary: z.string(),
  level: z.enum(LEVELS),
  compatibility: z.array(z.string()),
  price: money,
  includedInSubscription: z.boolean(),
  rating: z.object({ average: z.number().nullable(), count: z.number().int() }),
  studentsCount: z.number().int(),
  createdAt: z.iso.datetime(),
}).openapi('Course');

export const CourseDetailView = CourseView.extend({
  objectives: z.array(z.string()),
  prerequisites: z.array(z.string()),
  educators: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
  curriculum: z.array(z.object({
    title: z.string(),
    lessons: z.array(z.object({
      title: z.string(),
      durationSeconds: z.number().int().openapi({ description: 'The video\'s length; 0 for a reading' }),
      freePreview: z.boolean(),
    })),
  })).openapi({ description: 'Modules in order, each with its lessons in order' }),
}).openapi('CourseDetail');

export function courseView(c: Course): z.infer<typeof CourseView> {
  return {
    id: c.id, slug: c.slug, title: c.title, subtitle: c.subtitle, summary: c.shortDescription, level: c.level, compatibility: c.compatibility ?? [],
    price: { amount: c.priceCents, currency: c.currency }, includedInSubscription: c.includedInSubscription,
    rating: { average: c.ratingCount > 0 ? Number(c.ratingAverage) : null, count: c.ratingCount }, studentsCount: c.studentsCount, createdAt: c.createdAt.toISOString(),
  };
}

export function courseDetailView(c: Course): z.infer<typeof CourseDetailView> {
  return {
    ...courseView(c), objectives: c.objectives ?? [], prerequisites: c.prerequisites ?? [],
    educators: (c.educators ?? []).map((e) => ({ id: e.id, displayName: e.displayName })),
    curriculum: (c.modules ?? []).map((m) => ({ title: m.title, lessons: (m.lessons ?? []).map((l) => ({ title: l.title, durationSeconds: l.durationSeconds, freePreview: l.freePreview })) })),
  };
}
