// Pictures and files. Mounted before the session: nothing here depends on who asks
// (signed URLs carry their own permission).
import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { isLocalStorage } from '../lib/storage.ts';
import { mediaHandlers } from './handlers.ts';

export function mediaRoutes(deps: Deps): Router {
  const h = mediaHandlers(deps);
  const router = Router();
  router.get('/media/avatars/:file', h.publicImage('avatars'));
  router.get('/media/skills/:file', h.publicImage('skills'));
  router.get('/media/courses/:file', h.publicImage('courses')); // course thumbnails and headers
  if (isLocalStorage(deps.storage)) router.get('/files/*key', h.signedFile(deps.storage));
  return router;
}
