import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole } from '../lib/guards.ts';
import { adminHandlers } from './handlers.ts';
import { adminUsersHandlers } from './users-handlers.ts';

export function adminRoutes(deps: Deps): Router {
  const h = adminHandlers(deps);
  const users = adminUsersHandlers(deps);
  const router = Router();
  router.use(['/admin', '/api/admin'], requireRole('admin'));
  router.get('/admin', h.overview);
  router.get('/admin/users', users.page);
  router.post('/admin/users/:id/disabling', users.disable);
  router.post('/admin/users/:id/enabling', users.enable);
  router.get('/api/admin/users', users.api);
  return router;
}
