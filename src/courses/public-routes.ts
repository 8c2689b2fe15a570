// Course pages for visitors and students, lesson Q&A, and reviews (of courses and,
// after a completed booking, of mentors). One line per route; access rules live in
// the handlers (free previews are open to anonymous visitors).
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { coursePublicHandlers } from './public-handlers.ts';

export function coursePublicRoutes(deps: Deps): Router {
  const h = coursePublicHandlers(deps);
  const lesson = '/courses/:slug/lessons/:lessonId';
  const router = Router();
  router.get('/courses', h.index);
  router.get('/courses/:slug', h.show);
  router.post('/courses/:slug/enrollment', requireUser, h.enroll);
  router.post('/courses/:slug/review', requireUser, h.saveReview);
  router.get(lesson, h.lesson);
  router.get(`${lesson}/video`, h.video); //                          302 to a fresh signed URL (no JavaScript)
  router.get(`${lesson}/comments`, h.lesson); //                      the thread (htmx) or the lesson page
  router.post(`${lesson}/comments`, h.postComment); //                question, or reply with parentId
  router.get(`${lesson}/comments/:commentId/edit`, h.editComment);
  router.post(`${lesson}/comments/:commentId`, h.updateComment);
  router.post(`${lesson}/comments/:commentId/deletion`, h.deleteComment);
  router.post(`${lesson}/comments/:commentId/pin`, h.pin);
  router.post(`${lesson}/comments/:commentId/pin/deletion`, h.unpin);
  router.get('/bookings/:id/review', requireUser, h.mentorReviewBox);
  router.post('/bookings/:id/review', requireUser, h.saveMentorReview);
  router.get('/mentors/:username/reviews', h.mentorReviews);
  return router;
}
