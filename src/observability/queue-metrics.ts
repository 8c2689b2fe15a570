// The job queue's depth by state, read from graphile-worker's table in ONE query at
// scrape time and kept for a few seconds: several Prometheus servers (or a scrape storm)
// cost one count per interval, not one per scrape.
import type { Knex } from 'knex';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../lib/clock.ts';

// Disjoint states, so sum() is the whole queue. `retrying`: failed at least once, will run again.
const STATES = ['ready', 'scheduled', 'retrying', 'locked', 'failed'] as const;
type Depth = Record<(typeof STATES)[number], number>;

const DEPTH_SQL = `
  select
    count(*) filter (where locked_at is null and attempts < max_attempts and last_error is null and run_at <= now()) as ready,
    count(*) filter (where locked_at is null and attempts < max_attempts and last_error is null and run_at > now()) as scheduled,
    count(*) filter (where locked_at is null and attempts < max_attempts and last_error is not null) as retrying,
    count(*) filter (where locked_at is not null) as locked,
    count(*) filter (where locked_at is null and attempts >= max_attempts) as failed
  from graphile_worker._private_jobs`;

export function registerQueueMetrics(registry: Registry, deps: { knex: Knex; clock: Clock; cacheMs: number }): void {
  let cached: { at: number; depth: Promise<Depth> } | undefined;
  const depth = (): Promise<Depth> => {
    const now = deps.clock.now().getTime();
    if (!cached || now - cached.at >= deps.cacheMs) {
      const query = deps.knex.raw<{ rows: Depth[] }>(DEPTH_SQL).then((r) => r.rows[0]!);
      // Concurrent scrapes share the query in flight; a failed one is not kept.
      cached = { at: now, depth: query };
      query.catch(() => { if (cached?.depth === query) cached = undefined; });
    }
    return cached.depth;
  };
  new Gauge({
    name: 'jobs_queue_depth', help: `Jobs in the queue by state (${STATES.join(', ')}), at most a few seconds old.`, labelNames: ['state'], registers: [registry],
    async collect() {
      const d = await depth();
      for (const state of STATES) this.set({ state }, Number(d[state]));
    },
  });
}
