import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';

// /healthz: the process answers. /readyz: it can also reach the database, so a load
// balancer stops sending traffic to an instance that lost it.
export function healthHandlers({ knex }: Deps) {
  const live: RequestHandler = (_req, res) => {
    res.json({ status: 'ok' });
  };

  const ready: RequestHandler = async (_req, res) => {
    try {
      await knex.raw('select 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', error: { code: 'database_unreachable' } });
    }
  };

  return { live, ready };
}
