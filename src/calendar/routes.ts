import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { calendarHandlers } from './handlers.ts';

/** The subscribed feed: mounted before the session middleware (no cookie, no session row). */
export function calendarFeedRoutes(deps: Deps): Router {
  const h = calendarHandlers(deps);
  const router = Router();
  router.get('/calendar/:token.ics', h.feed);
  return router;
}

export function calendarRoutes(deps: Deps): Router {
  const h = calendarHandlers(deps);
  const router = Router();
  router.get('/bookings/:id/calendar.ics', requireUser, h.bookingIcs);
  router.post('/profile/calendar-feed', requireUser, h.regenerate);
  router.post('/profile/calendar-feed/deletion', requireUser, h.revoke);
  return router;
}
