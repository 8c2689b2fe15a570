// Reviews of courses (from the course page) and of mentors (after a completed booking). One line per route.
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { reviewsHandlers } from './handlers.ts';

export function reviewsRoutes(deps: Deps): Router {
  const h = reviewsHandlers(deps);
  const router = Router();
  router.post('/courses/:slug/review', requireUser, h.saveCourseReview);
  router.get('/bookings/:id/review', requireUser, h.mentorReviewBox);
  router.post('/bookings/:id/review', requireUser, h.saveMentorReview);
  router.get('/mentors/:username/reviews', h.mentorReviews);
  return router;
}
