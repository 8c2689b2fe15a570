import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { requireRole } from '../lib/guards.ts';
import { IMAGE_MAX_BYTES } from '../lib/images.ts';
import { singleUpload } from '../lib/uploads.ts';
import { skillsHandlers } from './handlers.ts';

export function skillsRoutes(deps: Deps): Router {
  const h = skillsHandlers(deps);
  const mentor = requireRole('mentor');
  const router = Router();
  router.get('/', h.landing);
  router.get('/skills', h.search);
  router.get('/my/skills', mentor, h.listMine);
  router.get('/skills/new', mentor, h.newForm);
  router.post('/skills', mentor, h.create);
  router.get('/skills/:id', h.show);
  router.get('/skills/:id/edit', mentor, h.editForm);
  router.post('/skills/:id', mentor, h.update);
  router.post('/skills/:id/publication', mentor, h.publish);
  router.get('/skills/:id/cancellation', mentor, h.withdrawForm);
  router.post('/skills/:id/cancellation', mentor, h.cancel);
  router.post('/skills/:id/image', mentor, ...singleUpload('image', IMAGE_MAX_BYTES), h.uploadImage);
  router.post('/skills/:id/image/deletion', mentor, h.deleteImage);
  return router;
}
