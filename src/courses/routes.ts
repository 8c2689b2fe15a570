// Course pages for visitors and students. One line per route; access rules live in
// the handlers (free previews are open to anonymous visitors).
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { coursePublicHandlers } from './handlers.ts';

export function coursePublicRoutes(deps: Deps): Router {
  const h = coursePublicHandlers(deps);
  const lesson = '/courses/:slug/lessons/:lessonId';
  const router = Router();
  router.get('/courses', h.index);
  router.get('/courses/:slug', h.show);
  router.post('/courses/:slug/enrollment', requireUser, h.enroll);
  router.get(lesson, h.lesson);
  router.get(`${lesson}/video`, h.video); //                          302 to a fresh signed URL (no JavaScript)
  return router;
}
