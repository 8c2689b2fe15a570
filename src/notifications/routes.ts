import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { notificationHandlers } from './handlers.ts';

export function notificationsRoutes(deps: Deps): Router {
  const h = notificationHandlers(deps);
  const router = Router();
  router.use('/notifications', requireUser);
  router.get('/notifications', h.list);
  router.get('/notifications/bell', h.bell);
  router.post('/notifications/read', h.readAll);
  router.post('/notifications/:id/read', h.read);
  return router;
}
