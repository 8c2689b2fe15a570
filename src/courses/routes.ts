// Course pages and media for visitors and students. One line per route; access rules
// live in access.ts (free previews are open to anonymous visitors).
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { coursePublicHandlers } from './handlers.ts';
import { courseMediaHandlers } from './media-handlers.ts';
import { progressHandlers } from './progress-handlers.ts';

export function coursePublicRoutes(deps: Deps): Router {
  const h = coursePublicHandlers(deps);
  const media = courseMediaHandlers(deps);
  const progress = progressHandlers(deps);
  const lesson = '/courses/:slug/lessons/:lessonId';
  const router = Router();
  router.get('/courses', h.index);
  router.get('/my/courses', requireUser, progress.mine);
  router.get('/courses/:slug', h.show);
  router.post('/courses/:slug/enrollment', requireUser, h.enroll);
  router.get(lesson, h.lesson);
  router.post(`${lesson}/completion`, requireUser, progress.complete); // the button, or the player at 90 %
  router.post(`${lesson}/completion/deletion`, requireUser, progress.uncomplete);
  router.get(`${lesson}/video`, h.video); //                                 302 to a fresh signed URL (no JavaScript)
  router.get('/courses/resources/:id/download', media.downloadResource); //   302 to the file for 5 minutes, named after the resource
  return router;
}
