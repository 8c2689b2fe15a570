import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole } from '../lib/guards.ts';
import { insightsHandlers } from './handlers.ts';

export function insightsRoutes(deps: Deps): Router {
  const h = insightsHandlers(deps);
  const router = Router();
  router.get('/insights', requireRole('mentor'), h.mentorPage);
  router.get('/insights/definitions', requireRole('mentor', 'admin'), h.definitions);
  router.get('/insights/:table.csv', requireRole('mentor'), h.mentorCsv);
  router.get('/admin/insights', requireRole('admin'), h.adminPage);
  router.get('/admin/insights/:table.csv', requireRole('admin'), h.adminCsv);
  return router;
}
