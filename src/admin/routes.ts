import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole } from '../lib/guards.ts';
import { adminHandlers } from './handlers.ts';

export function adminRoutes(deps: Deps): Router {
  const h = adminHandlers(deps);
  const router = Router();
  router.use('/admin', requireRole('admin'));
  router.get('/admin', h.overview);
  return router;
}
