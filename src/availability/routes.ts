import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole } from '../lib/guards.ts';
import { availabilityHandlers } from './handlers.ts';

export function availabilityRoutes(deps: Deps): Router {
  const h = availabilityHandlers(deps);
  const router = Router();
  router.use('/availability', requireRole('mentor'));
  router.get('/availability', h.page);
  router.post('/availability/rules', h.addRule);
  router.post('/availability/rules/:id', h.toggleRule);
  router.post('/availability/rules/:id/deletion', h.deleteRule);
  router.post('/availability/overrides', h.addOverride);
  router.post('/availability/overrides/:id/deletion', h.deleteOverride);
  router.post('/availability/restorations', h.restoreRange);
  router.post('/availability/settings', h.saveSettings);
  return router;
}
