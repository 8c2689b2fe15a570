import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { reminderHandlers } from './handlers.ts';

export function remindersRoutes(deps: Deps): Router {
  const h = reminderHandlers(deps);
  const router = Router();
  router.post('/profile/reminders', requireUser, h.update);
  router.get('/dashboard/starting', requireUser, h.starting);
  return router;
}
