import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { slotHandlers } from './handlers.ts';

export function slotsRoutes(deps: Deps): Router {
  const h = slotHandlers(deps);
  const router = Router();
  router.get('/api/mentors/:id/available-slots', h.json);
  return router;
}
