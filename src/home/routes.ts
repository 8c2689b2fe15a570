import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { homeHandlers } from './handlers.ts';

export function homeRoutes(deps: Deps): Router {
  const h = homeHandlers(deps);
  const router = Router();
  router.get('/', h.show);
  router.post('/locale', h.setLocale);
  return router;
}
