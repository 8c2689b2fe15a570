import { Router } from 'express';
import type { Deps } from '../composition.ts';

// /healthz: the process answers. /readyz: it can also reach the database, so a load
// balancer stops sending traffic to an instance that lost it.
export function healthRoutes({ knex }: Deps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  router.get('/readyz', async (_req, res) => {
    try {
      await knex.raw('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', error: { code: 'database_unreachable' } });
    }
  });
  return router;
}
