// The published courses in the public API (/api/v1). Same catalogue service as the pages.
import type { Deps } from '../composition.ts';
import { pageOf, pageQuery, searchText } from '../lib/api/cursor-page.ts';
import type { ApiBuilder } from '../lib/api/operation.ts';
import { z } from '../lib/api/openapi.ts';
import { CourseDetailView, CourseView, courseDetailView, courseView } from './api-views.ts';
import { LEVELS } from './model.ts';

const minor = z.coerce.number().int().min(0).max(100_000_000).optional().openapi({ type: 'integer', description: 'Minor units (cents)' });

const CourseQuery = z.object({
  q: searchText.optional().openapi({ description: 'Full text, French or English (as the catalogue page)' }),
  level: z.enum(LEVELS).optional(),
  version: z.string().trim().regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u, { error: 'validation.format' }).optional().openapi({ description: 'A version the course is compatible with' }),
  free: z.enum(['true', 'false']).optional().openapi({ description: 'true: free courses only' }),
  minPrice: minor,
  maxPrice: minor,
  ...pageQuery,
});

export function coursesApi(deps: Deps, api: ApiBuilder): void {
  const { catalog } = deps.services;

  api.operation({
    method: 'get', path: '/courses', operationId: 'listCourses', tags: ['Catalogue'], access: 'public',
    summary: 'Search the published courses',
    query: CourseQuery,
    responses: { 200: { description: 'A page of courses', schema: pageOf(CourseView, 'CoursePage') } },
    // Courses are published by the admin, rarely: a minute is fresh enough.
    cacheControl: 'public, max-age=60',
    async handler({ query }) {
      const { limit, cursor, free, ...filters } = query;
      const page = await catalog.searchAfter({ ...filters, ...(free === 'true' ? { free: '1' as const } : {}) }, { limit, cursor });
      return { body: { items: page.items.map(courseView), nextCursor: page.nextCursor } };
    },
  });

  api.operation({
    method: 'get', path: '/courses/{idOrSlug}', operationId: 'getCourse', tags: ['Catalogue'], access: 'public',
    summary: 'A published course and its curriculum outline',
    params: z.object({ idOrSlug: z.string().min(1).max(200).regex(/^[A-Za-z0-9-]+$/).openapi({ description: 'The course id or its slug' }) }),
    responses: { 200: { description: 'The course', schema: CourseDetailView } },
    errors: [404],
    cacheControl: 'public, max-age=60',
    async handler({ params }) {
      return { body: courseDetailView(await catalog.findPublished(params.idOrSlug)) };
    },
  });
}
