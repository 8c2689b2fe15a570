// Admin course editing under /admin/courses (seed 001). Plain server-rendered pages;
// uploads are multipart forms whose CSRF token is checked after parsing. One line per route.
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole } from '../lib/guards.ts';
import { courseAdminHandlers } from './handlers.ts';
import { fileUpload, imageUpload, noMultipartBypass, videoUpload } from './middleware.ts';

export function courseAdminRoutes(deps: Deps): Router {
  const h = courseAdminHandlers(deps);
  const base = '/admin/courses';
  const course = `${base}/:id`;
  const lesson = `${course}/lessons/:lessonId`;
  const router = Router();
  router.use(base, requireRole('admin'));

  router.get(base, h.index);
  router.get(`${base}/new`, h.newForm);
  router.post(base, noMultipartBypass, h.create);
  router.get(`${course}/edit`, h.editForm);
  router.post(course, noMultipartBypass, h.update);
  router.get(`${course}/publication`, h.publicationPage);
  router.post(`${course}/publication`, noMultipartBypass, h.publish);
  router.post(`${course}/unpublication`, noMultipartBypass, h.unpublish);
  router.get(`${course}/deletion`, h.deletionPage);
  router.post(`${course}/deletion`, noMultipartBypass, h.destroy);

  router.get(`${course}/media`, h.media);
  router.post(`${course}/thumbnail`, ...imageUpload(), h.uploadImage('thumbnail'));
  router.post(`${course}/thumbnail/deletion`, noMultipartBypass, h.removeMedia('thumbnail'));
  router.post(`${course}/header-image`, ...imageUpload(), h.uploadImage('header'));
  router.post(`${course}/header-image/deletion`, noMultipartBypass, h.removeMedia('header'));
  router.post(`${course}/intro-video`, ...videoUpload(), h.uploadIntroVideo);
  router.post(`${course}/intro-video/deletion`, noMultipartBypass, h.removeMedia('introVideo'));

  router.get(`${course}/curriculum`, h.curriculum);
  router.post(`${course}/modules`, noMultipartBypass, h.addModule);
  router.post(`${course}/modules/:moduleId`, noMultipartBypass, h.renameModule);
  router.post(`${course}/modules/:moduleId/moves`, noMultipartBypass, h.moveModule);
  router.post(`${course}/modules/:moduleId/deletion`, noMultipartBypass, h.deleteModule);
  router.post(`${course}/modules/:moduleId/lessons`, noMultipartBypass, h.addLesson);

  router.get(`${lesson}/edit`, h.lessonForm);
  router.post(lesson, noMultipartBypass, h.updateLesson);
  router.post(`${lesson}/moves`, noMultipartBypass, h.moveLesson);
  router.post(`${lesson}/deletion`, noMultipartBypass, h.deleteLesson);
  router.post(`${lesson}/video`, ...videoUpload(), h.uploadLessonVideo);
  router.post(`${lesson}/video/deletion`, noMultipartBypass, h.removeLessonVideo);
  router.post(`${lesson}/resources`, ...fileUpload(), h.addResource('lesson'));

  router.get(`${course}/resources`, h.resources);
  router.post(`${course}/resources`, ...fileUpload(), h.addResource('course'));
  router.post(`${course}/resources/:resourceId/deletion`, noMultipartBypass, h.deleteResource);
  return router;
}
