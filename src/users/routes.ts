import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireUser } from '../lib/guards.ts';
import { singleUpload } from '../lib/uploads.ts';
import { usersHandlers } from './handlers.ts';
import { mentorHandlers } from './mentor-handlers.ts';
import { AVATAR_MAX_BYTES } from './service.ts';

export function usersRoutes(deps: Deps): Router {
  const h = usersHandlers(deps);
  const mentor = mentorHandlers(deps);
  const router = Router();
  router.get('/profile', requireUser, h.editForm);
  router.post('/profile', requireUser, h.update);
  router.post('/profile/avatar', requireUser, ...singleUpload('avatar', AVATAR_MAX_BYTES), h.uploadAvatar);
  router.post('/profile/avatar/deletion', requireUser, h.deleteAvatar);
  router.get('/mentors/:username', mentor.profile);
  router.get('/locale', h.chooseLocale);
  router.post('/locale', h.setLocale);
  return router;
}
