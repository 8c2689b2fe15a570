import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { healthHandlers } from './handlers.ts';

export function healthRoutes(deps: Deps): Router {
  const h = healthHandlers(deps);
  const router = Router();
  router.get('/healthz', h.live);
  router.get('/readyz', h.ready);
  return router;
}
