// Course media: one line per route. No guard here: access.ts decides, because free
// previews are open to anonymous visitors.
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { courseMediaHandlers } from './media-handlers.ts';

export function courseMediaRoutes(deps: Deps): Router {
  const h = courseMediaHandlers(deps);
  const router = Router();
  router.get('/api/v1/videos/:lessonId/secure-url', h.secureVideoUrl); // { url, expiresAt }: the lesson video for 5 minutes
  router.get('/courses/resources/:id/download', h.downloadResource); //  302 to the file for 5 minutes, named after the resource
  router.get('/media/courses/:file', h.courseImage); //                   course thumbnails and headers, public
  return router;
}
