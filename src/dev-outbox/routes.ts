import { Router } from 'express';
import type { Deps } from '../composition.ts';
import { localOrAdmin, outboxHandlers } from './handlers.ts';

/** Development only (not mounted in production): the mail a developer would have received. */
export function devOutboxRoutes(deps: Deps): Router {
  const h = outboxHandlers(deps);
  const router = Router();
  router.use('/dev/outbox', localOrAdmin);
  router.get('/dev/outbox', h.list);
  router.get('/dev/outbox/:id', h.show);
  router.get('/dev/outbox/:id/html', h.html);
  router.get('/dev/outbox/:id/attachments/:index', h.attachment);
  return router;
}
