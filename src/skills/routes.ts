import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole } from '../lib/guards.ts';
import { skillsHandlers } from './handlers.ts';

export function skillsRoutes(deps: Deps): Router {
  const h = skillsHandlers(deps);
  const mentor = requireRole('mentor');
  const router = Router();
  router.get('/skills', h.search);
  router.get('/my/skills', mentor, h.listMine);
  router.get('/skills/new', mentor, h.newForm);
  router.post('/skills', mentor, h.create);
  router.get('/skills/:id', h.show);
  router.get('/skills/:id/edit', mentor, h.editForm);
  router.post('/skills/:id', mentor, h.update);
  router.post('/skills/:id/publication', mentor, h.publish);
  router.post('/skills/:id/cancellation', mentor, h.cancel);
  return router;
}
