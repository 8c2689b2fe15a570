import type { RequestHandler } from 'express';
import type { Deps } from '../composition.ts';

// A load balancer polls /readyz every second or two per instance: one `select 1` on the
// primary, the rest read from memory (the replica's lag comes from its background probe).
const PRIMARY_TIMEOUT_MS = 1500;

// /healthz: the process answers. /readyz: it can also reach the primary, so a load
// balancer stops sending traffic to an instance that lost it. A lagging or lost replica
// does not take the instance out: its reads go to the primary, and the body says so.
export function healthHandlers({ knex, reads, worker }: Deps) {
  const live: RequestHandler = (_req, res) => {
    res.json({ status: 'ok' });
  };

  const ready: RequestHandler = async (_req, res) => {
    const replica = reads.status();
    const replicaBody = replica ? { ok: replica.ok, lagSeconds: replica.lagSeconds, serving: replica.serving } : 'absent';
    const workerBody = { running: worker.running };
    try {
      await knex.raw('select 1').timeout(PRIMARY_TIMEOUT_MS, { cancel: false });
    } catch {
      res.status(503).json({ status: 'unavailable', database: { ok: false }, replica: replicaBody, worker: workerBody, error: { code: 'database_unreachable' } });
      return;
    }
    res.json({ status: replica && !replica.serving ? 'degraded' : 'ready', database: { ok: true }, replica: replicaBody, worker: workerBody });
  };

  return { live, ready };
}
