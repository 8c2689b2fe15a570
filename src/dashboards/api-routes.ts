// The dashboards' JSON API (Ag Grid, Infinite Row Model). One line per route.
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole, requireUser } from '../lib/guards.ts';
import { dashboardApiHandlers } from './api-handlers.ts';

export function dashboardApiRoutes(deps: Deps): Router {
  const h = dashboardApiHandlers(deps);
  const router = Router();
  router.get('/api/bookings', requireUser, h.rows); //            one block of the grid: { rows, lastRow }
  router.get('/api/bookings.csv', requireUser, h.csv); //         the same filters and order, as a CSV download
  router.post('/api/bookings/bulk', requireRole('mentor'), h.bulk); // approve / reject many: { results: [...] }
  return router;
}
