import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { reminderHandlers } from './handlers.ts';

export function remindersRoutes(deps: Deps): Router {
  const h = reminderHandlers(deps);
  const router = Router();
  router.post('/profile/reminders', requireUser, h.update);
  // Mounted before the users' router: the profile page's reminders form reads these locals.
  router.use('/profile', requireUser, h.profileLocals);
  router.get('/dashboard/starting', requireUser, h.starting);
  return router;
}
