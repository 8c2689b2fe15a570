// Admin course editing under /admin/courses (seed 001). Plain server-rendered pages;
// uploads are multipart forms whose CSRF token is checked after parsing.
import { Router, type RequestHandler } from 'express';
import type { Deps } from '../composition.ts';
import type { createCsrf } from '../lib/csrf.ts';
import { requireRole } from '../lib/guards.ts';
import { singleUpload } from '../lib/uploads.ts';
import { courseAdminHandlers } from './admin-handlers.ts';
import { COURSE_UPLOAD_LIMITS } from './admin-service.ts';

/**
 * The global CSRF check leaves multipart bodies to the upload middleware. A route that
 * takes no file must not become a way around it: a multipart post there needs the
 * token in its X-CSRF-Token header (the body is never parsed).
 */
const noMultipartBypass: RequestHandler = (req, res, next) => {
  if (!req.is('multipart/form-data')) return next();
  (req.app.locals.csrf as ReturnType<typeof createCsrf>).protectParsed(req, res, next);
};

export function courseAdminRoutes(deps: Deps): Router {
  const h = courseAdminHandlers(deps);
  const image = () => singleUpload('image', COURSE_UPLOAD_LIMITS.imageBytes);
  const video = () => singleUpload('video', COURSE_UPLOAD_LIMITS.videoBytes);
  const file = () => singleUpload('file', COURSE_UPLOAD_LIMITS.resourceBytes);
  const base = '/admin/courses';
  const course = `${base}/:id`;
  const lesson = `${course}/lessons/:lessonId`;
  const router = Router();
  router.use(base, requireRole('admin'));
  const post = (path: string, handler: RequestHandler) => router.post(path, noMultipartBypass, handler);

  router.get(base, h.index);
  router.get(`${base}/new`, h.newForm);
  post(base, h.create);
  router.get(`${course}/edit`, h.editForm);
  post(course, h.update);
  post(`${course}/publication`, h.publish);
  post(`${course}/unpublication`, h.unpublish);
  router.get(`${course}/deletion`, h.deletionPage);
  post(`${course}/deletion`, h.destroy);

  router.get(`${course}/media`, h.media);
  router.post(`${course}/thumbnail`, ...image(), h.uploadImage('thumbnail'));
  post(`${course}/thumbnail/deletion`, h.removeMedia('thumbnail'));
  router.post(`${course}/header-image`, ...image(), h.uploadImage('header'));
  post(`${course}/header-image/deletion`, h.removeMedia('header'));
  router.post(`${course}/intro-video`, ...video(), h.uploadIntroVideo);
  post(`${course}/intro-video/deletion`, h.removeMedia('introVideo'));

  router.get(`${course}/curriculum`, h.curriculum);
  post(`${course}/modules`, h.addModule);
  post(`${course}/modules/:moduleId`, h.renameModule);
  post(`${course}/modules/:moduleId/moves`, h.moveModule);
  post(`${course}/modules/:moduleId/deletion`, h.deleteModule);
  post(`${course}/modules/:moduleId/lessons`, h.addLesson);

  router.get(`${lesson}/edit`, h.lessonForm);
  post(lesson, h.updateLesson);
  post(`${lesson}/moves`, h.moveLesson);
  post(`${lesson}/deletion`, h.deleteLesson);
  router.post(`${lesson}/video`, ...video(), h.uploadLessonVideo);
  post(`${lesson}/video/deletion`, h.removeLessonVideo);
  router.post(`${lesson}/resources`, ...file(), h.addResource('lesson'));

  router.get(`${course}/resources`, h.resources);
  router.post(`${course}/resources`, ...file(), h.addResource('course'));
  post(`${course}/resources/:resourceId/deletion`, h.deleteResource);
  return router;
}
