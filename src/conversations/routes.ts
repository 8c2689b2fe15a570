import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { conversationHandlers } from './handlers.ts';

export function conversationRoutes(deps: Deps): Router {
  const h = conversationHandlers(deps);
  const router = Router();
  router.get('/bookings/:id/messages', requireUser, h.thread);
  router.post('/bookings/:id/messages', requireUser, h.create);
  return router;
}
