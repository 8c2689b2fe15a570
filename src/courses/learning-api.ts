// A student's courses in the public API: enrolling, and a lesson's video URL. Same
// services and rule as the course pages: a free course enrols at once; a paid one
// answers where to pay (the page's "Buy", in API terms), enrolment following payment.
import type { Deps } from '../composition.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { NotFoundError } from '../lib/errors.ts';
import { PaymentRequired } from '../bookings/api-views.ts';
import { lessonVideoUrl } from './video-url.ts';

const EnrollmentView = z.object({
  id: z.uuid(),
  courseId: z.uuid(),
  userId: z.uuid(),
  source: z.enum(['free', 'payment', 'admin']),
  createdAt: z.iso.datetime(),
}).openapi('Enrollment');

const VideoUrl = z.object({
  url: z.string().openapi({ description: 'A signed URL of the video' }),
  expiresAt: z.iso.datetime().openapi({ description: 'The URL stops working then (five minutes): ask again for a new one' }),
}).openapi('VideoUrl');

export function learningApi(deps: Deps, api: ApiBuilder): void {
  const { catalog, enrollments, coursePayments } = deps.services;

  api.operation({
    method: 'post', path: '/courses/{id}/enrollment', operationId: 'enrollInCourse', tags: ['Student'], access: ['student', 'mentor'], idempotent: true,
    summary: 'Enrol in a course',
    description: 'A free course: 201 (200 when already enrolled). A paid one: 202 with the checkout to pay at; the enrolment follows the payment. 409 `already_paid` when a paid course is already yours.',
    params: z.object({ id: z.uuid() }),
    responses: {
      200: { description: 'Already enrolled', schema: EnrollmentView },
      201: { description: 'Enrolled', schema: EnrollmentView },
      202: { description: 'A paid course: pay at `checkoutUrl`', schema: PaymentRequired },
    },
    errors: [404, 409],
    async handler({ params, user }) {
      const row = await deps.knex('courses').where({ id: params.id }).first<{ slug: string } | undefined>('slug');
      if (!row) throw new NotFoundError();
      const course = await catalog.findBySlug(row.slug, { id: user!.id, role: user!.role });
      if (course.priceCents > 0) {
        const started = await coursePayments.start(user!, course);
        return { status: 202, body: { status: 'awaiting_payment', checkoutId: started.checkoutId, checkoutUrl: started.url } };
      }
      const { enrollment, created } = await enrollments.enroll(user!, course, 'free');
      return {
        status: created ? 201 : 200,
        body: { id: enrollment.id, courseId: enrollment.courseId, userId: enrollment.userId, source: enrollment.source, createdAt: new Date(enrollment.createdAt).toISOString() },
      };
    },
  });

  const videoUrl = (operationId: string, path: string, aliasOf?: string) => api.operation({
    method: 'get', path, operationId, tags: [aliasOf ? 'Aliases' : 'Student'], access: 'public', aliasOf,
    summary: 'A lesson\'s video URL',
    description: 'Free previews for anyone; other lessons for the course\'s students, educators and covering subscribers (403 otherwise, 401 when not signed in). A lesson without a video is a 404.',
    params: z.object({ id: z.uuid() }),
    responses: { 200: { description: 'A signed URL, valid five minutes', schema: VideoUrl } },
    errors: [401, 403, 404],
    async handler({ params, user }) {
      const { url, expiresAt } = await lessonVideoUrl({ knex: deps.knex, clock: deps.clock, storage: deps.storage, subscriptions: deps.services.subscriptions }, user, params.id);
      return { body: { url, expiresAt: expiresAt.toISOString() } };
    },
  });
  videoUrl('getLessonVideoUrl', '/lessons/{id}/video-url');
  // Seed 001's path, which the lesson player called before the API existed.
  videoUrl('getVideoSecureUrl', '/videos/{id}/secure-url', 'GET /lessons/{id}/video-url');
}
