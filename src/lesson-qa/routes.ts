// Lesson Q&A under /courses/:slug/lessons/:lessonId/comments. One line per route;
// who may post, edit or pin is decided in the handlers and the service.
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { lessonQaHandlers } from './handlers.ts';

export function lessonQaRoutes(deps: Deps): Router {
  const h = lessonQaHandlers(deps);
  const comments = '/courses/:slug/lessons/:lessonId/comments';
  const router = Router();
  router.get(comments, h.thread); //                                   the thread (htmx) or the lesson page
  router.post(comments, h.postComment); //                             question, or reply with parentId
  router.get(`${comments}/:commentId/edit`, h.editComment);
  router.post(`${comments}/:commentId`, h.updateComment);
  router.post(`${comments}/:commentId/deletion`, h.deleteComment);
  router.post(`${comments}/:commentId/pin`, h.pin);
  router.post(`${comments}/:commentId/pin/deletion`, h.unpin);
  return router;
}
