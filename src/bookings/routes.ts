import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole, requireUser } from '../lib/guards.ts';
import { flowHandlers } from './flow-handlers.ts';
import { bookingHandlers } from './handlers.ts';
import { seriesHandlers } from './series-handlers.ts';

export function bookingsRoutes(deps: Deps): Router {
  const flow = flowHandlers(deps);
  const h = bookingHandlers(deps);
  const series = seriesHandlers(deps);
  const student = requireUser;
  const mentor = requireRole('mentor');
  const router = Router();
  router.get('/skills/:id/book', flow.picker);
  router.post('/skills/:id/holds', student, flow.hold);
  router.post('/skills/:id/holds/deletion', student, flow.release);
  router.get('/skills/:id/book/details', student, flow.details);
  router.post('/skills/:id/book/summary', student, flow.summary);
  router.post('/skills/:id/bookings', student, flow.create);
  router.get('/skills/:id/series', student, series.form);
  router.post('/skills/:id/series/preview', student, series.preview);
  router.post('/skills/:id/series', student, series.create);
  router.post('/booking-series/:id/confirmation', mentor, series.acceptAll);
  router.post('/booking-series/:id/rejection', mentor, series.declineAll);
  router.post('/bookings/:id/following-cancellation', requireUser, series.cancelFollowing);
  router.get('/bookings', requireUser, h.list);
  router.get('/bookings/:id', requireUser, h.show);
  router.post('/bookings/:id/confirmation', mentor, h.confirm);
  router.post('/bookings/:id/rejection', mentor, h.reject);
  router.post('/bookings/:id/cancellation', requireUser, h.cancel);
  router.post('/bookings/:id/outcome', mentor, h.outcome);
  return router;
}
