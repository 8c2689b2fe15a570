// A course's reviews in the public API (/api/v1), by cursor. Same service as the course page.
import type { Deps } from '../composition.ts';
import { pageOf, pageQuery } from '../lib/api/cursor-page.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import type { CourseReview } from './model.ts';

const ReviewView = z.object({
  id: z.uuid(),
  rating: z.number().int().min(1).max(5),
  body: z.string(),
  author: z.object({ displayName: z.string() }).openapi({ description: 'Only the name the author shows publicly' }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
}).openapi('Review');

const reviewView = (r: CourseReview): z.infer<typeof ReviewView> => ({
  id: r.id, rating: r.rating, body: r.body, author: { displayName: r.author?.displayName ?? '' },
  createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});

export function reviewsApi(deps: Deps, api: ApiBuilder): void {
  const { catalog, reviews } = deps.services;

  api.operation({
    method: 'get', path: '/courses/{id}/reviews', operationId: 'listCourseReviews', tags: ['Catalogue'], access: 'public',
    summary: 'A published course\'s reviews, newest first',
    params: z.object({ id: z.uuid() }),
    query: z.object(pageQuery),
    responses: { 200: { description: 'A page of reviews', schema: pageOf(ReviewView, 'ReviewPage') } },
    errors: [404],
    // A new review may wait a minute to show; the rating on the course moves with it.
    cacheControl: 'public, max-age=60',
    async handler({ params, query }) {
      const course = await catalog.findPublished(params.id);
      const page = await reviews.listCourseReviewsAfter(course.id, { limit: query.limit, cursor: query.cursor });
      return { body: { items: page.items.map(reviewView), nextCursor: page.nextCursor } };
    },
  });
}
