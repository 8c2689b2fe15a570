import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { dashboardPageHandlers } from './page-handlers.ts';

export function dashboardRoutes(deps: Deps): Router {
  const h = dashboardPageHandlers(deps);
  const router = Router();
  router.get('/dashboard', requireUser, h.show);
  router.get('/dashboard/figures', requireUser, h.figures);
  return router;
}
